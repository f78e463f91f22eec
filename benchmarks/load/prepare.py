"""What the load test's simulated people need, read from the demo district-year just seeded.

    DJANGO_SETTINGS_MODULE=benchmarks.load.settings python -m benchmarks.load.prepare OUT.json

Writes OUT.json with the ids of the public projects (the project pages visited) and one
logged-in session per resident who may apply (a profile and an active personal-information
consent). The sessions are made the way ``django.contrib.auth.login`` makes them, so the
simulated residents skip the login form: a password check costs a third of a second of CPU
by design, and logging in is not one of the measured actions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def prepare(out: Path, residents: int) -> dict[str, object]:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from projects.selectors import projects_public
    from residents.models import Consent, User

    applicants = (
        User.objects.filter(
            is_active=True,
            is_staff=False,
            profile__isnull=False,
            consents__kind=Consent.Kind.PERSONAL,
            consents__withdrawn_at__isnull=True,
        )
        .distinct()
        .order_by("pk")[:residents]
    )
    sessions = []
    for user in applicants:
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    world: dict[str, object] = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sessions": sessions,
        "project_ids": list(projects_public().values_list("pk", flat=True)),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(world))
    return world


if __name__ == "__main__":
    made = prepare(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    print(f"{len(made['sessions'])} resident sessions, {len(made['project_ids'])} projects")  # type: ignore[arg-type]
