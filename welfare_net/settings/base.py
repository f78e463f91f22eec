"""Settings shared by every environment.

Every value that differs between machines is read from the environment through the one
``env`` object below; ``local``, ``test`` and ``production`` only change defaults.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from welfare_net import embedded_postgres

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's own overrides; a deployment sets real environment variables instead.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# What the embedded default keeps on disk: its PostgreSQL server, file cache, broker folders.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    # The apps' tokens: one per device, stored as digests, with an expiry (REST_KNOX below).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "import_export",
    "simple_history",
    "csp",
    "axes",
]
# Bottom of the dependency order first: seed_demo runs each app's demo data in this order.
LOCAL_APPS = [
    "projects",
    "residents",
    "visitors",
    "donations",
    "talents",
    "surveys",
    "matching",
    "impact",
    # On top with impact: the retention run and a resident's data export call into every app.
    "privacy",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "residents.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every page, error and lockout page gets the Content-Security-Policy below (static files,
    # answered by WhiteNoise above, need none).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Counts the day's distinct visitors of the pages; stores no address (visitors.services).
    "visitors.middleware.VisitorCountMiddleware",
    # Last, as django-axes asks: turns a login that hit the lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "welfare_net.urls"
WSGI_APPLICATION = "welfare_net.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # After Django's own csrf processor: pages cached whole carry a placeholder.
                "welfare_net.page_cache.csrf_placeholder",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
# PostgreSQL only. Without DATABASE_URL, the embedded server in var/postgres (started by
# `make run`, or `python -m welfare_net.embedded_postgres start`): a first run needs no
# server installed by hand, and runs the engine production runs.
EMBEDDED_POSTGRES = not env.str("DATABASE_URL", default="")
DATABASES = {
    "default": embedded_postgres.database_settings(VAR_DIR)
    if EMBEDDED_POSTGRES
    else env.db("DATABASE_URL")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "welfare_net.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "welfare_net",
        }
    }
else:
    # Shared between the web, worker and beat processes of `make run`, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery -------------------------------------------------------------------------------
# Without CELERY_BROKER_URL, kombu's filesystem transport in var/ stands in for a broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # The exchanges' table (kombu's default is a "control" folder wherever the worker
        # started).
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task whose worker dies is delivered again; every task is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# django-celery-beat's DatabaseScheduler copies these entries into its tables at start.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "matching-all-districts": {
        "task": "matching.tasks.match_all_districts",
        "schedule": 300.0,  # every five minutes
        # A pass nobody picked up before the next one is due is not worth running late.
        "options": {"expire_seconds": 290},
    },
    # Each coordinator's digest of new and ageing cases, before the community centres open.
    "matching-coordinator-digests": {
        "task": "matching.tasks.send_coordinator_digests",
        "schedule": crontab(hour=8, minute=0),  # CELERY_TIMEZONE: Seoul time
        "options": {"expire_seconds": 3 * 3600},
    },
    # Messages whose task never reached the broker (Redis down as their event was saved) are
    # sent once it is back: those asked for between five minutes and two days ago, once.
    "matching-notifications-catch-up": {
        "task": "matching.tasks.catch_up_notifications",
        "schedule": 300.0,  # every five minutes
        "options": {"expire_seconds": 290},
    },
    # Yesterday's visitor hashes and salt are deleted once the day is over; its count stays.
    "visitors-discard-old-hashes": {
        "task": "visitors.tasks.visitors_discard_old_hashes",
        "schedule": crontab(hour=0, minute=10),  # CELERY_TIMEZONE: Seoul time
    },
    # Personal data past its retention period (RETENTION_DAYS below) is anonymised or deleted,
    # in the quiet of the night; a run missed or repeated changes nothing more.
    "privacy-apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),  # CELERY_TIMEZONE: Seoul time
        "options": {"expire_seconds": 12 * 3600},
    },
}

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses every password check (site, admin, API token) for a username and address
    # that failed too often. The standalone backend only guards; ModelBackend below logs in
    # and answers permissions, so they are not asked twice.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "residents.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# allauth's built-in rate limits stay on, counted in the cache (Redis wherever REDIS_URL is
# set): login failures, signups and verification mails as below, password reset mails at its
# default of 20 a minute per address and 5 a minute per email address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# How many proxies of the deployment's own stand in front of gunicorn, each appending to
# X-Forwarded-For. The login limits (allauth's above, axes' below) then count the client's
# address rather than the proxy's, which would lock everyone out at once. 0: the header is
# ignored (anyone could write it).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-axes (residents/login_guard.py), counting under the account whatever name was typed
# (email or username, any case), at the site, the admin and the API's token door alike:
# - after AXES_FAILURE_LIMIT failed passwords for one account from one address, that pair is
#   refused for AXES_COOLOFF_TIME;
# - after LOGIN_ACCOUNT_FAILURE_LIMIT failed passwords for one account from all addresses
#   together, the account is refused everywhere for LOGIN_ACCOUNT_COOLOFF: higher and shorter,
#   so guessing from many addresses is slowed to a few tries a minute, and an attacker cannot
#   keep the resident out for more than a few minutes after they stop.
# Tries during a pause are not counted (they would make it longer). Counted in the database
# (axes' AccessAttempt, visible and deletable in the admin to unlock someone early); expired
# attempts are deleted as new ones come in.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "residents.login_guard.LoginGuardHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_COOLOFF = timedelta(minutes=env.int("LOGIN_ACCOUNT_COOLOFF_MINUTES", default=5))
AXES_RESET_ON_SUCCESS = True
# No row per successful login (address and browser of every resident, kept for ever).
AXES_DISABLE_ACCESS_LOG = True
# The site logs in by email, the admin and the API also by username: one name for all three.
AXES_USERNAME_CALLABLE = "residents.login_guard.login_name"
AXES_CLIENT_IP_CALLABLE = "residents.login_guard.client_ip"
AXES_LOCKOUT_CALLABLE = "residents.login_guard.locked_out_response"

# --- Email --------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="welfare-net <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages: a dotted path to a matching.sms.SmsBackend; the console one only logs.
SMS_BACKEND = env.str("SMS_BACKEND", default="matching.sms.ConsoleSmsBackend")

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API ----------------------------------------------------------------------------------
# The shared pieces live in welfare_net/api.py and api_schema.py. Closed by default: every
# view says who may use it (the public ones set AllowAny). Token first, so an anonymous app
# gets a 401 with WWW-Authenticate rather than a 403; the site's own pages use the session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "welfare_net.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Reads only plain JSON text: malformed, too deep or not valid text is a 400.
    "DEFAULT_PARSER_CLASSES": ["welfare_net.api_parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "welfare_net.api_schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "welfare_net.filters.FilterBackend",
        "welfare_net.api.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "welfare_net.api.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "welfare_net.api.api_exception_handler",
    # Rates per scope, for views with throttle_classes = [welfare_net.api.ScopedRateThrottle]
    # and a throttle_scope; counted in the cache (Redis wherever REDIS_URL is set).
    "DEFAULT_THROTTLE_RATES": {
        "api_login": "10/minute",
    },
}
# The apps' tokens (django-rest-knox, welfare_net/api_auth.py): one per device that logged in at
# /api/auth/token/, each ending API_TOKEN_TTL_DAYS after it was issued, or sooner: at a new
# password, a reset, a closed or deactivated account, /api/auth/logout/ (this device) and
# /api/auth/logout-all/ or My page's "sign out everywhere" (every device).
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
}
# At most this many devices' tokens a user: logging in on one more ends the oldest's.
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "welfare_net API",
    "DESCRIPTION": (
        "The district welfare platform's data for apps and other directories. Public data "
        "needs no login; everything else takes a token from /api/auth/token/ "
        "(header `Authorization: Token <key>`). Errors always have the shape of `Error`, "
        "their message in the language of Accept-Language (Korean by default). "
        "The HSDS feed below /api/hsds/ follows the Open Referral Human Services Data "
        "Specification 3.1."
    ),
    "VERSION": "0.1.0",
    "LICENSE": {"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
    # The site that serves the document (a relative server: no host written into it).
    "SERVERS": [{"url": "/", "description": "This site"}],
    # The tags the operations name, described (Redocly's tag-description, Spectral's
    # operation-tag-defined; welfare_net.api_schema.postprocess_document lists any other).
    "TAGS": [
        {"name": "areas", "description": "The five areas residents take part in."},
        {"name": "auth", "description": "An app's token for an account."},
        {"name": "consent-texts", "description": "The consent texts residents are shown."},
        {"name": "hsds", "description": "Public projects as Open Referral HSDS 3.1."},
        {"name": "impact", "description": "The district's public figures."},
        {"name": "me", "description": "The logged-in resident's own records."},
        {"name": "neighbourhoods", "description": "The district's neighbourhoods."},
        {"name": "projects", "description": "Public sharing projects."},
        {"name": "queue", "description": "A coordinator's queue of cases."},
        {"name": "staff", "description": "District staff: projects and matching passes."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "welfare_net.api_schema.postprocess_document",
    ],
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Content-Security-Policy ------------------------------------------------------------
# Scripts, styles, images and fonts only from this site's own files: no inline <script>, no
# on*= attributes, no style= attributes or <style> blocks (templates/ and the few
# third-party templates that had them are overridden; tests/welfare_net/test_security.py
# scans them). Only the API docs page loosens one directive (welfare_net/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- The platform -------------------------------------------------------------------------
# The admin lives at a configurable path, away from the address bots try first: a deployment
# sets its own (e.g. "office-7f3a/"); the slashes are put right whatever is given.
ADMIN_URL = (env.str("ADMIN_URL", default="admin/").strip("/") or "admin") + "/"
# Demo logins printed by `make run`; seed_demo creates these users.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="welfare-demo-2026")
# Test only: a match run sleeps this long inside its transaction, after solving and before
# writing, so a test can kill the worker in the middle of a run. Always 0 in real use.
MATCHING_RUN_DELAY_SECONDS = env.float("MATCHING_RUN_DELAY_SECONDS", default=0)
# The visitor count takes the visitor's address from the first X-Forwarded-For entry instead
# of the connection's: only behind a proxy that sets that header, or anyone could pick theirs.
VISITORS_TRUST_X_FORWARDED_FOR = env.bool("VISITORS_TRUST_X_FORWARDED_FOR", default=False)

# --- Personal data retention --------------------------------------------------------------
# Days each kind of personal data is kept before the nightly run (privacy.tasks.apply_retention,
# or `manage.py apply_retention`) anonymises or deletes it. The Personal Information Protection
# Act (PIPA) Article 21(1) requires personal information to be destroyed without delay once
# its retention period has passed or the purpose it was collected for has been achieved; what
# can no longer identify anyone is outside the Act (Article 58-2). So the run removes the
# personal fields and keeps the rows, their dates, statuses, neighbourhoods and areas: the
# figures count the same afterwards. Each value may be changed per deployment through the
# environment; the system check `privacy.E001` refuses a value that is not a whole
# number of days, or an access log kept less than the legal minimum.
RETENTION_DAYS: dict[str, int] = {
    # Support applications: the applicant's name, phone, email, birth year, household type,
    # declared groups, what they wrote, and the notes on the case's events and proposals.
    # Counted from the day the case ended (delivered, closed or withdrawn: its last event).
    # The purpose is achieved when the case ends; three years more allow a follow-up, a
    # complaint or an audit of the support given. This is the period the residents' consent
    # text states (residents/consents.py): change that text with this value.
    "applications": env.int("RETENTION_APPLICATIONS_DAYS", default=3 * 365),
    # A neighbour's name, situation, how to reach them and the coordinator's notes, on a
    # referral that is closed, connected, or whose application has ended: counted from its
    # last change. Shorter than applications: the neighbour never consented to the referral.
    "referrals": env.int("RETENTION_REFERRALS_DAYS", default=365),
    # The words of messages sent (they name people) and a neighbour's phone number as their
    # recipient; the row (kind, channel, when) stays. Counted from the day it was sent.
    "notifications": env.int("RETENTION_NOTIFICATIONS_DAYS", default=365),
    # Free-text survey answers (they may name people); the scores stay. Counted from the
    # response's last change.
    "survey_free_text": env.int("RETENTION_SURVEY_FREE_TEXT_DAYS", default=2 * 365),
    # The log of staff views of personal data (residents.PersonalDataAccess): rows are deleted.
    # Not less than two years: the PIPC's Standards for Safety Measures (Article 8) require a
    # system holding sensitive data, or data on 50,000 people or more, to keep its access
    # records at least two years.
    "access_log": env.int("RETENTION_ACCESS_LOG_DAYS", default=730),
}
# Not in this table, on purpose:
# - Visitor hashes live one day by design (visitors.models): the beat entry
#   "visitors-discard-old-hashes" deletes them just after midnight, and the retention run
#   repeats that as a backstop. No setting: keeping them longer would defeat their purpose.
# - Inactive accounts are not closed automatically: the 2023 amendment of PIPA removed the
#   rule that forced it (the former Article 39-6), and closing a resident's account unasked
#   would lose their history. A resident deletes their account themselves (account_delete);
#   the personal fields of their old cases go by the rules above whether they log in or not.
# - Donation receipts keep the donor's name: tax law requires keeping them (five years).
# - Consent records stay as the proof of what was agreed, while the account exists.
# Rows changed per transaction: short locks, and a run stopped half-way keeps what it did.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=1000)
