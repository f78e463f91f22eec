# The application image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=welfare_net.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . \
    && useradd --system --home /app welfare \
    && mkdir -p /app/var \
    && chown -R welfare /app/var

# Build-time only values: collectstatic and compilemessages need settings to import.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build-only@localhost/unused \
    python manage.py compilemessages --ignore '.venv' -v0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build-only@localhost/unused \
    python manage.py collectstatic --noinput -v0

USER welfare
EXPOSE 8000
CMD ["gunicorn", "welfare_net.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
