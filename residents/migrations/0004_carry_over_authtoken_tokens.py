"""The apps' tokens of DRF's authtoken (one a user, kept in clear) become knox tokens (kept
as digests), so no app has to log in again at the switch. Each gets the full lifetime from
today. The old rows are then deleted: a key kept in clear in a table nothing reads any more
is only a risk. Nothing to undo on the way back: the digests cannot give the keys again (the
apps then log in once more)."""

import hashlib
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def carry_over(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")  # noqa: S608  # a constant
        rows = cursor.fetchall()
    AuthToken.objects.bulk_create(
        # knox.crypto.hash_token: the SHA-512 of the key; knox finds it by its first 15.
        AuthToken(
            digest=hashlib.sha512(key.encode()).hexdigest(),
            token_key=key[:15],
            user_id=user_id,
            expiry=expiry,
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # noqa: S608  # a constant


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0003_user_sessions_ended_at"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
