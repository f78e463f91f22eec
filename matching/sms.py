"""Text messages behind a small interface: the gateway is outside the platform.

``SMS_BACKEND`` (a dotted path, read at each send) names the backend; the default console
backend only logs, and stands for the gateway wherever no real one is configured.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "matching.sms.ConsoleSmsBackend"


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None:
        """Send one text message; raise on failure so the task retries."""


class ConsoleSmsBackend:
    """Writes each message to the log instead of a gateway."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


def sms_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND)
    backend: SmsBackend = import_string(path)()
    return backend


def sms_send(*, to: str, body: str) -> None:
    sms_backend().send(to=to, body=body)
