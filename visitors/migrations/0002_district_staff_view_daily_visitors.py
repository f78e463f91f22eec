"""District staff read the daily visitor counts (read-only, issue 7); the permission is added
to the "district staff" group made in projects.0004_roles. Reverse removes just this grant."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "district staff"


def _permission(apps):
    app_config = apps.get_app_config("visitors")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(
        content_type__app_label="visitors", codename="view_dailyvisitors"
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(_permission(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_roles"),
        ("visitors", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
