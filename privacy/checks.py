"""The system check of the retention policy: a deployment that sets a period the run cannot
apply, or an access log kept less than the law asks, fails ``manage.py check`` at start."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from welfare_net.retention import retention_problems


@register()
def retention_settings_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            problem, hint="See RETENTION_DAYS in welfare_net/settings/base.py.", id="privacy.E001"
        )
        for problem in retention_problems(getattr(settings, "RETENTION_DAYS", None))
    ]
