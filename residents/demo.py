"""Demo data: the three demo logins (a resident, a coordinator, a district staff member)."""

from allauth.account.models import EmailAddress
from django.conf import settings

from welfare_net.demo import DemoContext

from .models import User

# (role shown to the user, username, email, first name, is_staff)
DEMO_USERS = [
    ("resident", "resident", "resident@example.com", "김주민", False),
    ("coordinator", "coordinator", "coordinator@example.com", "이복지", False),
    ("staff", "staff", "staff@example.com", "박구청", True),
]


def seed(ctx: DemoContext) -> None:
    for role, username, email, first_name, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first_name, "is_staff": is_staff},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # allauth requires a verified address before an email login.
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ctx.logins.append((role, email, settings.DEMO_PASSWORD))
