"""District staff read applications, referrals, match runs and proposals (read-only, issue 3);
the permissions are added to the "district staff" group made in projects.0004_roles.
Reverse removes just these grants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "district staff": [
        "supportapplication",
        "applicationevent",
        "referral",
        "matchrun",
        "matchproposal",
    ],
}


def _permissions(apps):
    app_config = apps.get_app_config("matching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {
        group: list(
            Permission.objects.filter(
                content_type__app_label="matching",
                codename__in=[f"view_{model}" for model in models],
            )
        )
        for group, models in GRANTS.items()
    }


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, permissions in _permissions(apps).items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, permissions in _permissions(apps).items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_roles"),
        ("matching", "0003_connection_outcomes_referral_handling_notifications"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
