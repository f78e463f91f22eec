"""The staff's match runs in the API: their own district's, and asking for one now."""

from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from pytest_django import DjangoAssertNumQueries

from matching.models import MatchRun
from matching.services import match_runs
from projects.models import District, StaffMember
from tests.factories import DistrictFactory, MatchRunFactory, StaffMemberFactory, UserFactory
from tests.matching.queue.helpers import token_client

pytestmark = pytest.mark.django_db

RUNS = "/api/staff/match-runs/"
START = "/api/staff/match-runs/start/"


@pytest.fixture
def district() -> District:
    return DistrictFactory.create(code="jungnang")


def staff_of(district: District, role: str = StaffMember.Role.STAFF) -> Any:
    return StaffMemberFactory.create(district=district, role=role).user


def test_staff_list_their_districts_runs_newest_first(district: District) -> None:
    old = MatchRunFactory.create(district=district, proposed=3)
    new = MatchRunFactory.create(district=district, status=MatchRun.Status.FAILED)
    MatchRunFactory.create()  # another district's

    body = token_client(staff_of(district)).get(RUNS).json()

    assert [run["id"] for run in body["results"]] == [new.pk, old.pk]
    assert body["results"][1]["proposed"] == 3
    assert body["results"][0]["district"]["code"] == "jungnang"


def test_runs_filter_by_status_and_order_by_what_they_did(district: District) -> None:
    few = MatchRunFactory.create(district=district, proposed=1)
    many = MatchRunFactory.create(district=district, proposed=9)
    failed = MatchRunFactory.create(district=district, status=MatchRun.Status.FAILED)
    client = token_client(staff_of(district))

    def ids(**params: str) -> list[int]:
        return [run["id"] for run in client.get(RUNS, params).json()["results"]]

    assert ids(status="failed") == [failed.pk]
    assert ids(status="succeeded", ordering="-proposed") == [many.pk, few.pk]
    assert client.get(RUNS, {"status": "sleeping"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("resident", 403), ("coordinator", 403)],
)
def test_no_one_but_district_staff_reads_or_starts_runs(
    district: District, who: str, status: int
) -> None:
    user = {
        "anonymous": lambda: None,
        "resident": lambda: UserFactory.create(),
        "coordinator": lambda: staff_of(district, StaffMember.Role.COORDINATOR),
    }[who]()
    client = token_client(user)

    with mock.patch("matching.tasks.match_district.apply_async") as enqueued:
        started = client.post(START, {}, format="json")
    assert client.get(RUNS).status_code == started.status_code == status
    enqueued.assert_not_called()


def test_staff_of_another_district_neither_see_nor_start_its_runs(district: District) -> None:
    MatchRunFactory.create(district=district)
    client = token_client(staff_of(DistrictFactory.create(code="nowon")))

    with mock.patch("matching.tasks.match_district.apply_async") as enqueued:
        started = client.post(START, {"district": "jungnang"}, format="json")

    assert client.get(RUNS).json()["count"] == 0
    assert (started.status_code, list(started.json()["errors"])) == (422, ["district"])
    enqueued.assert_not_called()


def test_starting_a_run_enqueues_the_workers_task_once_and_answers_202(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    client = token_client(staff_of(district))

    with (
        mock.patch("matching.tasks.match_district.apply_async") as enqueued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = client.post(START, {}, format="json")
        second = client.post(START, {}, format="json")

    assert first.status_code == second.status_code == 202
    body = first.json()
    assert (body["district"], body["repeated"]) == ("jungnang", False)
    assert body["runs"].endswith("/api/staff/match-runs/?district=jungnang")
    # The second call joins the first: same reference, nothing more queued.
    assert second.json()["task_id"] == body["task_id"]
    assert second.json()["repeated"] is True
    assert enqueued.call_count == 1
    assert enqueued.call_args.kwargs["args"] == (district.pk,)
    assert enqueued.call_args.kwargs["task_id"] == body["task_id"]


def test_a_request_after_the_window_enqueues_again(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    client = token_client(staff_of(district))

    with (
        mock.patch("matching.tasks.match_district.apply_async") as enqueued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = client.post(START, {}, format="json").json()
        cache.delete(f"matching:run-requested:{district.pk}")  # the minute has passed
        later = client.post(START, {}, format="json").json()

    assert first["task_id"] != later["task_id"]
    assert enqueued.call_count == 2


def test_a_superuser_names_the_district_to_match(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    DistrictFactory.create(code="nowon")
    client = token_client(UserFactory.create(is_superuser=True, is_staff=True))

    with (
        mock.patch("matching.tasks.match_district.apply_async") as enqueued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        unnamed = client.post(START, {}, format="json")
        named = client.post(START, {"district": "nowon"}, format="json")

    assert (unnamed.status_code, list(unnamed.json()["errors"])) == (400, ["district"])
    assert (named.status_code, named.json()["district"]) == (202, "nowon")
    assert enqueued.call_count == 1


def test_the_requested_task_is_the_one_the_website_enqueues(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("matching.tasks.match_district.apply_async") as enqueued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        asked = match_runs.match_run_request(district_id=district.pk)

    assert enqueued.call_count == 1
    assert enqueued.call_args.kwargs["args"] == (district.pk,)
    assert enqueued.call_args.kwargs["task_id"] == asked.task_id


def test_the_list_costs_a_fixed_number_of_queries(
    district: District, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    MatchRunFactory.create_batch(30, district=district)
    client = token_client(staff_of(district))

    # Token, staff member, count, the page (with its district).
    with django_assert_max_num_queries(4):
        response = client.get(RUNS, {"page_size": "25"})

    assert len(response.json()["results"]) == 25
