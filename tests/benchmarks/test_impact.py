"""The impact benchmark, run small in the test database: its synthetic district and its report."""

import pytest
from django.utils import timezone

from benchmarks.impact import measure, table
from matching.models import ApplicationEvent, SupportApplication

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_benchmark_builds_five_years_and_times_the_figures() -> None:
    last_year = timezone.localdate().year - 1

    report = measure(per_year=80, runs=2, seed=7, last_year=last_year, vacuum=False)

    assert report["applications"] == SupportApplication.objects.count() == 5 * 80
    assert report["events"] == ApplicationEvent.objects.count()
    one_year, five_years, last_of_five, narrowed = report["rows"]
    assert (one_year["applications"], five_years["applications"]) == (80, 400)
    assert last_of_five["applications"] == 80
    assert narrowed["applications"] is None or narrowed["applications"] < 400
    # About 88% delivered, as in the model district's first year.
    assert 0.75 < five_years["connections"] / five_years["applications"] < 0.95
    assert all(len(row["each_ms"]) == 2 for row in report["rows"])
    assert "target: five years under 200 ms" in table(report)


def test_the_synthetic_rows_obey_the_databases_rules() -> None:
    report = measure(per_year=30, runs=1, seed=3, last_year=2025, vacuum=False)

    # Each application's events run from pending to where it ended, one after another.
    application = SupportApplication.objects.order_by("pk").first()
    assert application is not None
    steps = list(
        ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True)
    )
    assert steps[0] == "pending"
    assert steps[-1] == application.status
    assert report["residents"] > 0
