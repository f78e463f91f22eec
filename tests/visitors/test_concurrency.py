"""The day's first visitors arriving at once, each in its own database connection."""

import threading

import pytest
from django.db import connection

from visitors.models import DailySalt, DailyVisitors, VisitorHash
from visitors.services import visitor_record

from .helpers import FIREFOX
from .test_services import DAY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

VISITORS = 8


def test_the_days_first_visitors_at_once_make_one_salt_and_are_all_counted() -> None:
    start = threading.Barrier(VISITORS)
    errors: list[BaseException] = []

    def visit(number: int) -> None:
        try:
            start.wait(timeout=10)
            visitor_record(address=f"192.0.2.{number}", user_agent=FIREFOX, day=DAY)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert DailySalt.objects.filter(day=DAY).count() == 1
    assert VisitorHash.objects.filter(day=DAY).count() == VISITORS
    assert DailyVisitors.objects.get(day=DAY).visitors == VISITORS
