"""The two staff roles as groups: "district staff" run the projects of their district,
"coordinator" reads them. Other apps rely on these exact names. Reverse removes the groups.

Permissions are created by post_migrate, which has not run yet on a fresh database, so this
migration creates the ones it needs itself (the usual create_permissions pattern)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "district staff": {
        "projects": {
            "project": ["add", "change", "view", "delete"],
            "organisation": ["add", "change", "view", "delete"],
            "participation": ["add", "change", "view", "delete"],
            "targetgroup": ["view"],
        },
        "donations": {
            "donationpledge": ["view", "change"],
            "donationreceipt": ["view", "change"],
        },
        "talents": {"talentoffer": ["view", "change"]},
        "residents": {"residentprofile": ["view"]},
    },
    "coordinator": {
        "projects": {
            "project": ["view"],
            "organisation": ["view"],
            "neighbourhood": ["view"],
        },
    },
}


def _ensure_permissions(apps):
    for label in {app for role in ROLES.values() for app in role}:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, models in grants.items():
            for model, actions in models.items():
                for action in actions:
                    wanted.append(
                        Permission.objects.get(
                            content_type__app_label=app_label,
                            content_type__model=model,
                            codename=f"{action}_{model}",
                        )
                    )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0003_target_groups"),
        ("donations", "0001_initial"),
        ("talents", "0001_initial"),
        ("residents", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
