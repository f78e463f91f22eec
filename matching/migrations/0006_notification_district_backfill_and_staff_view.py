"""Notifications sent before 0005 learn their case's district (so the scoped admin shows them
to that district's staff), and the "district staff" group may view notifications.

Their subject and body were never kept and stay empty. Reverse removes just the grant; the
district column goes with 0005's reverse."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _district_id(apps, notification):
    key = notification.object_key
    if notification.kind == "application_event" and key.isdigit():
        ApplicationEvent = apps.get_model("matching", "ApplicationEvent")
        event = ApplicationEvent.objects.filter(pk=int(key)).select_related("application").first()
        return event.application.district_id if event else None
    if notification.kind == "referral_status" and key.split(":")[0].isdigit():
        Referral = apps.get_model("matching", "Referral")
        referral = Referral.objects.filter(pk=int(key.split(":")[0])).first()
        return referral.district_id if referral else None
    if notification.kind == "referral_converted" and key.isdigit():
        SupportApplication = apps.get_model("matching", "SupportApplication")
        application = SupportApplication.objects.filter(pk=int(key)).first()
        return application.district_id if application else None
    if notification.kind == "coordinator_digest" and notification.user_id:
        StaffMember = apps.get_model("projects", "StaffMember")
        member = StaffMember.objects.filter(user_id=notification.user_id).first()
        return member.district_id if member else None
    return None


def backfill(apps, schema_editor):
    Notification = apps.get_model("matching", "Notification")
    for notification in Notification.objects.filter(district__isnull=True).iterator():
        district_id = _district_id(apps, notification)
        if district_id is not None:
            Notification.objects.filter(pk=notification.pk).update(district_id=district_id)


def _view_permission(apps):
    app_config = apps.get_app_config("matching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(
        content_type__app_label="matching", codename="view_notification"
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="district staff")
    group.permissions.add(_view_permission(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="district staff").first()
    if group is not None:
        group.permissions.remove(_view_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_notification_district_and_words"),
        ("projects", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
