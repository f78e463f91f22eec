"""District staff define their district's surveys and questions and read the responses
(read-only: the admin never edits answers); the permissions are added to the "district staff"
group made in projects.0004_roles. Reverse removes just these grants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "district staff": {
        "survey": ["add", "change", "view", "delete"],
        "question": ["add", "change", "view", "delete"],
        "response": ["view"],
        "answer": ["view"],
    },
}


def _permissions(apps):
    app_config = apps.get_app_config("surveys")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {
        group: list(
            Permission.objects.filter(
                content_type__app_label="surveys",
                codename__in=[
                    f"{action}_{model}" for model, actions in models.items() for action in actions
                ],
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
        ("surveys", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
