"""District staff invite coordinators rather than name them (issue 15): the "district staff"
group may add (send) and view coordinator invitations. Reverse removes just these grants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_coordinatorinvitation", "view_coordinatorinvitation"]


def _permissions(apps):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="projects", codename__in=CODENAMES)
    )


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="district staff")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="district staff").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_coordinator_invitations")]

    operations = [migrations.RunPython(grant, revoke)]
