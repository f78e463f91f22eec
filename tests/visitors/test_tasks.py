import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from visitors.models import DailySalt, DailyVisitors, VisitorHash
from visitors.services import salt_cache_key, visitor_record
from visitors.tasks import visitors_discard_old_hashes

from .helpers import ADDRESS, FIREFOX, OTHER_ADDRESS

pytestmark = pytest.mark.django_db


def test_the_nightly_task_forgets_yesterdays_visitors_but_keeps_their_count() -> None:
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    for address in (ADDRESS, OTHER_ADDRESS):
        visitor_record(address=address, user_agent=FIREFOX, day=yesterday)
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=today)

    visitors_discard_old_hashes()

    assert not VisitorHash.objects.filter(day=yesterday).exists()
    assert not DailySalt.objects.filter(day=yesterday).exists()
    assert cache.get(salt_cache_key(yesterday)) is None
    assert DailyVisitors.objects.get(day=yesterday).visitors == 2
    # Today's visitors are still being counted.
    assert VisitorHash.objects.filter(day=today).count() == 1
    assert DailySalt.objects.filter(day=today).exists()
    assert visitor_record(address=ADDRESS, user_agent=FIREFOX, day=today) is False


def test_the_nightly_task_run_twice_changes_nothing_more() -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=yesterday)
    visitors_discard_old_hashes()
    counts = list(DailyVisitors.objects.values_list("day", "visitors"))

    visitors_discard_old_hashes()

    assert list(DailyVisitors.objects.values_list("day", "visitors")) == counts
    assert not VisitorHash.objects.exists()
    assert not DailySalt.objects.exists()


def test_the_task_is_on_the_beat_schedule_just_after_midnight_seoul_time() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["visitors-discard-old-hashes"]
    assert entry["task"] == "visitors.tasks.visitors_discard_old_hashes"
    schedule = entry["schedule"]
    assert schedule.hour == {0}  # type: ignore[attr-defined]
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"
