"""The coordinator queue's pages: who may see what, tabs and filters, decisions, budgets."""

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pytest_django import DjangoAssertNumQueries

from matching.models import MatchProposal, Referral, SupportApplication
from matching.queue.selectors import UNMATCHED_WORDS
from matching.services import proposal_accept
from projects.models import Neighbourhood, Project
from tests.matching.engine_factories import ProjectFactory, UserFactory

from .helpers import NeighbourhoodFactory, application_in, coordinator_of, proposal_in, staff_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = SupportApplication.Status


def _referral_in(neighbourhood: Neighbourhood, **fields: Any) -> Referral:
    return Referral.objects.create(
        referrer=UserFactory.create(),
        district=neighbourhood.district,
        neighbourhood=neighbourhood,
        situation="혼자 지내세요",
        how_to_reach="010-0000-0000",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
        **fields,
    )


@pytest.fixture
def case() -> MatchProposal:
    return proposal_in(NeighbourhoodFactory.create(), days_ago=1)


def _urls(proposal: MatchProposal, referral: Referral) -> list[str]:
    return [
        reverse("queue:index"),
        reverse("queue:application", args=[proposal.application.public_id]),
        reverse("queue:referral", args=[referral.public_id]),
    ]


def test_anonymous_users_are_sent_to_log_in_for_every_queue_page(
    client: Client, case: MatchProposal
) -> None:
    for url in _urls(case, _referral_in(case.application.neighbourhood)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_residents_get_not_found_for_every_queue_page(client: Client, case: MatchProposal) -> None:
    client.force_login(UserFactory.create())
    for url in _urls(case, _referral_in(case.application.neighbourhood)):
        assert client.get(url).status_code == 404
    decide = reverse("queue:decide", args=[case.pk, "accept"])
    assert client.post(decide).status_code == 404


def test_a_coordinator_of_another_neighbourhood_neither_sees_nor_opens_the_case(
    client: Client, case: MatchProposal
) -> None:
    referral = _referral_in(case.application.neighbourhood)
    other = NeighbourhoodFactory.create(district=case.application.district)
    client.force_login(coordinator_of(other))

    listing = client.get(reverse("queue:index"))
    assert case.application.applicant_name not in listing.content.decode()
    for url in _urls(case, referral)[1:]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("queue:decide", args=[case.pk, "accept"])).status_code == 404
    case.refresh_from_db()
    assert case.status == "proposed"


def test_the_coordinator_of_the_neighbourhood_and_district_staff_open_every_page(
    client: Client, case: MatchProposal
) -> None:
    referral = _referral_in(case.application.neighbourhood)
    for user in (coordinator_of(case.application.neighbourhood), staff_of(case.project.district)):
        client.force_login(user)
        for url in _urls(case, referral):
            assert client.get(url).status_code == 200, url


def test_staff_of_another_district_get_not_found(client: Client, case: MatchProposal) -> None:
    referral = _referral_in(case.application.neighbourhood)
    client.force_login(staff_of(NeighbourhoodFactory.create().district))
    assert (
        case.application.applicant_name not in client.get(reverse("queue:index")).content.decode()
    )
    for url in _urls(case, referral)[1:]:
        assert client.get(url).status_code == 404


def test_a_coordinator_with_areas_sees_only_cases_of_those_areas(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    health = proposal_in(place)
    education = proposal_in(place, application__areas=["education"])
    client.force_login(coordinator_of(place, areas=["education"]))
    page = client.get(reverse("queue:index")).content.decode()
    assert education.application.applicant_name in page
    assert health.application.applicant_name not in page


def test_the_tabs_show_their_counts_and_cases(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    proposal_in(place)
    application_in(place, unmatched_reason="no_free_place", applicant_name="미매칭")
    application_in(place, status=Status.ON_HOLD, applicant_name="보류중")
    application_in(place, status=Status.ACCEPTED, applicant_name="연결중")
    _referral_in(place, neighbour_name="이웃분")
    client.force_login(coordinator_of(place))

    response = client.get(reverse("queue:index"))
    assert response.context["counts"] == {
        "proposals": 1,
        "unmatched": 1,
        "referrals": 1,
        "connections": 1,
        "on_hold": 1,
    }
    unmatched = client.get(reverse("queue:index"), {"tab": "unmatched"}).content.decode()
    assert "미매칭" in unmatched
    with translation.override("ko"):
        assert str(UNMATCHED_WORDS["no_free_place"]) in unmatched  # the reason, in words
    assert "보류중" in client.get(reverse("queue:index"), {"tab": "on_hold"}).content.decode()
    assert "연결중" in client.get(reverse("queue:index"), {"tab": "connections"}).content.decode()
    assert "이웃분" in client.get(reverse("queue:index"), {"tab": "referrals"}).content.decode()


def test_the_default_order_is_urgency_then_waiting_and_waiting_order_is_oldest_first(
    client: Client,
) -> None:
    place = NeighbourhoodFactory.create()
    old_calm = proposal_in(place, days_ago=9, application__urgency=1)
    new_urgent = proposal_in(place, days_ago=0, application__urgency=4)
    mid_urgent = proposal_in(place, days_ago=2, application__urgency=4)
    client.force_login(coordinator_of(place))

    def order(**params: str) -> list[int]:
        rows = client.get(reverse("queue:index"), params).context["rows"]
        return [row.proposal.pk for row in rows]

    assert order() == [mid_urgent.pk, new_urgent.pk, old_calm.pk]
    assert order(sort="waiting") == [old_calm.pk, mid_urgent.pk, new_urgent.pk]


def test_the_filters_narrow_the_list_and_ignore_foreign_neighbourhoods(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    second = NeighbourhoodFactory.create(district=place.district)
    foreign = NeighbourhoodFactory.create(district=place.district)
    old = proposal_in(place, days_ago=8)
    mid = proposal_in(place, days_ago=4, application__urgency=4)
    there = proposal_in(second, application__areas=["education"])
    proposal_in(foreign)
    client.force_login(coordinator_of(place, second))

    def shown(**params: Any) -> set[int]:
        rows = client.get(reverse("queue:index"), params).context["rows"]
        return {row.proposal.pk for row in rows}

    assert shown() == {old.pk, mid.pk, there.pk}
    assert shown(neighbourhood=second.pk) == {there.pk}
    assert shown(neighbourhood=foreign.pk) == {old.pk, mid.pk, there.pk}
    assert shown(area="education") == {there.pk}
    assert shown(urgency=4) == {mid.pk}
    assert shown(age="3") == {old.pk, mid.pk}
    assert shown(age="7") == {old.pk}


def test_ageing_is_marked_with_a_class_and_a_label(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    proposal_in(place, days_ago=8)
    proposal_in(place, days_ago=4)
    client.force_login(coordinator_of(place))
    page = client.get(reverse("queue:index")).content.decode()
    assert "age-over-7" in page and "age-over-3" in page
    with translation.override("ko"):
        assert gettext("Over 7 days") in page and gettext("Over 3 days") in page


def test_the_page_is_korean_by_default_and_free_text_is_escaped(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    proposal = proposal_in(place, application__description="<script>alert(1)</script>")
    client.force_login(coordinator_of(place))
    for url in (
        reverse("queue:index"),
        reverse("queue:application", args=[proposal.application.public_id]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;" in page
    detail = reverse("queue:application", args=[proposal.application.public_id])
    assert "연계 검토 중" in client.get(detail).content.decode()  # the status, from the catalog
    page = client.get(reverse("queue:index")).content.decode()
    assert '<html lang="ko">' in page
    with translation.override("ko"):
        assert gettext("Match queue") in page


def test_accepting_takes_a_place_and_redirects_back_to_the_tab_with_its_filters(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    back = reverse("queue:index") + "?tab=proposals&urgency=2"
    response = client.post(
        reverse("queue:decide", args=[case.pk, "accept"]), {"next": back}, follow=True
    )
    assert response.redirect_chain[-1][0] == back
    case.refresh_from_db()
    case.project.refresh_from_db()
    assert (case.status, case.project.places_taken) == ("accepted", 1)
    assert f"{case.application.applicant_name}" in response.content.decode()


def test_accepting_in_place_with_htmx_returns_the_result_row(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "accept"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'class="card queue-row queue-result"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == "accepted"


def test_deciding_in_place_sends_the_tab_bar_again_with_the_new_counts(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "accept"]),
        {"next": reverse("queue:index") + "?tab=proposals&urgency=2"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'id="queue-tabs" hx-swap-oob="true"' in page
    assert response.context["counts"]["proposals"] == 0
    assert response.context["counts"]["connections"] == 1
    assert response.context["current_tab"] == "proposals"
    assert 'href="?tab=proposals" class="current"' in page


def test_an_unknown_tab_in_the_address_of_an_in_place_decision_falls_back_to_proposals(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "hold"]),
        {"note": "다음 주", "next": "/queue/?tab=<script>"},
        HTTP_HX_REQUEST="true",
    )
    assert response.context["current_tab"] == "proposals"
    assert "<script>" not in response.content.decode()


def test_accepting_an_already_decided_proposal_is_refused_and_changes_nothing(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    url = reverse("queue:decide", args=[case.pk, "accept"])
    client.post(url)
    response = client.post(url, follow=True)
    assert "이미" in response.content.decode()
    case.project.refresh_from_db()
    assert case.project.places_taken == 1


def test_accepting_when_the_project_is_full_says_so_and_returns_the_case_to_matching(
    client: Client,
) -> None:
    proposal = proposal_in(NeighbourhoodFactory.create(), project__capacity=1)
    Project.objects.filter(pk=proposal.project_id).update(places_taken=1)
    client.force_login(coordinator_of(proposal.application.neighbourhood))
    response = client.post(reverse("queue:decide", args=[proposal.pk, "accept"]), follow=True)
    assert "남은 자리" in response.content.decode()
    proposal.application.refresh_from_db()
    assert proposal.application.status == Status.PENDING


def test_rejecting_needs_a_reason(client: Client, case: MatchProposal) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    url = reverse("queue:decide", args=[case.pk, "reject"])
    client.post(url, {"note": ""})
    case.refresh_from_db()
    assert case.status == "proposed"
    client.post(url, {"note": "이미 다른 지원을 받고 계심"})
    case.refresh_from_db()
    assert (case.status, case.decision_note) == ("rejected", "이미 다른 지원을 받고 계심")


def test_holding_moves_the_case_to_the_on_hold_tab_and_it_can_be_accepted_from_there(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    client.post(reverse("queue:decide", args=[case.pk, "hold"]), {"note": "연락 기다림"})
    case.application.refresh_from_db()
    assert case.application.status == Status.ON_HOLD
    counts = client.get(reverse("queue:index")).context["counts"]
    assert (counts["proposals"], counts["on_hold"]) == (0, 1)

    client.post(reverse("queue:decide", args=[case.pk, "accept"]))
    case.refresh_from_db()
    assert case.status == "accepted"


def test_reassigning_connects_the_case_to_another_eligible_project(
    client: Client, case: MatchProposal
) -> None:
    other = ProjectFactory.create(district=case.project.district, title="다른 사업")
    ineligible = ProjectFactory.create(district=case.project.district, area="education")
    client.force_login(coordinator_of(case.application.neighbourhood))
    page = client.get(reverse("queue:application", args=[case.application.public_id]))
    choices = [o.project.pk for o in page.context["options"]]
    assert other.pk in choices and ineligible.pk not in choices

    url = reverse("queue:decide", args=[case.pk, "reassign"])
    client.post(url, {"project": ineligible.pk})
    case.refresh_from_db()
    assert case.status == "proposed"

    client.post(url, {"project": other.pk, "note": "가까운 곳"})
    case.refresh_from_db()
    assert case.status == "expired"
    new = MatchProposal.objects.get(application=case.application, project=other)
    assert (new.status, new.reasons["by_hand"]) == ("accepted", True)


def test_bulk_accept_reports_each_row(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    fine = proposal_in(place)
    full = proposal_in(place, project__capacity=1)
    Project.objects.filter(pk=full.project_id).update(places_taken=1)
    foreign = proposal_in(NeighbourhoodFactory.create())
    client.force_login(coordinator_of(place))

    response = client.post(
        reverse("queue:bulk_accept"), {"proposals": [fine.pk, full.pk, foreign.pk]}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 2
    fine.refresh_from_db()
    full.refresh_from_db()
    foreign.refresh_from_db()
    assert (fine.status, full.status, foreign.status) == ("accepted", "expired", "proposed")


@pytest.mark.parametrize("tab", ["proposals", "unmatched", "referrals", "connections", "on_hold"])
def test_every_tab_costs_the_same_few_queries_with_500_cases(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries, tab: str
) -> None:
    place = NeighbourhoodFactory.create()
    project = ProjectFactory.create(district=place.district, capacity=1000)
    user = coordinator_of(place)
    for index in range(100):
        proposal_in(place, project=project, days_ago=index % 10)
        application_in(place, unmatched_reason="no_eligible_project")
        application_in(place, status=Status.ON_HOLD)
        accepted = proposal_in(place, project=project)
        MatchProposal.objects.filter(pk=accepted.pk).update(status="accepted")
        SupportApplication.objects.filter(pk=accepted.application_id).update(status="accepted")
        _referral_in(place)
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("queue:index"), {"tab": tab})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_the_last_place_at_once_one_wins_the_other_is_told() -> None:
    place = NeighbourhoodFactory.create()
    project = ProjectFactory.create(district=place.district, capacity=1)
    proposals = [proposal_in(place, project=project) for _ in range(2)]
    users = [coordinator_of(place), coordinator_of(place)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def accept(index: int) -> None:
        try:
            client = Client()
            client.force_login(users[index])
            barrier.wait(timeout=10)
            response = client.post(
                reverse("queue:decide", args=[proposals[index].pk, "accept"]), follow=True
            )
            # The page itself, not response.context: the test client collects contexts through
            # a process-wide signal, which two threads rendering at once would mix up.
            results.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2
    assert sum("제안이 만료되었습니다" in page for page in results) == 1
    assert sum("연계되었습니다" in page for page in results) == 1
    project.refresh_from_db()
    assert project.places_taken == 1
    assert sorted(MatchProposal.objects.values_list("status", flat=True)) == [
        "accepted",
        "expired",
    ]


def test_the_queue_link_is_shown_to_staff_members_only(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    queue_url = f'href="{reverse("queue:index")}"'
    client.force_login(UserFactory.create())
    assert queue_url not in client.get(reverse("home")).content.decode()
    client.force_login(coordinator_of(place))
    assert queue_url in client.get(reverse("home")).content.decode()


def test_an_unknown_decision_is_not_found(client: Client, case: MatchProposal) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    assert client.post(reverse("queue:decide", args=[case.pk, "delete"])).status_code == 404


def test_a_next_address_on_another_site_is_ignored(client: Client, case: MatchProposal) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "hold"]),
        {"note": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("queue:application", args=[case.application.public_id])


@pytest.mark.parametrize("target", ["abc", "a\x00b", "/queue/\x00", "/queue/\r\nX-Evil: 1"])
def test_a_next_address_that_is_no_address_of_ours_goes_back_to_the_case(
    client: Client, case: MatchProposal, target: str
) -> None:
    # "abc" was looked up as a view name (NoReverseMatch: a 500), a NUL or a line break
    # could not go into the Location header.
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "hold"]), {"note": "x", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("queue:application", args=[case.application.public_id])


def test_a_next_address_of_ours_is_followed(client: Client, case: MatchProposal) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = client.post(
        reverse("queue:decide", args=[case.pk, "hold"]),
        {"note": "x", "next": "/queue/?tab=held"},
    )
    assert response["Location"] == "/queue/?tab=held"


def test_the_case_page_costs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    place = NeighbourhoodFactory.create()
    proposal = proposal_in(place)
    for _ in range(30):
        ProjectFactory.create(district=place.district)
    client.force_login(coordinator_of(place))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("queue:application", args=[proposal.application.public_id]))
    assert len(response.context["options"]) == 30


def test_opening_a_case_writes_one_row_in_the_personal_data_access_log(
    client: Client, case: MatchProposal
) -> None:
    from residents.models import PersonalDataAccess

    viewer = coordinator_of(case.application.neighbourhood)
    client.force_login(viewer)

    response = client.get(reverse("queue:application", args=[case.application.public_id]))

    assert response.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert row.viewer == viewer
    assert row.subject_application_id == case.application.pk
    assert row.reason == PersonalDataAccess.Reason.CASE_REVIEW


def test_a_coordinator_turns_a_contacted_referral_into_an_application_with_consent(
    client: Client,
) -> None:
    from matching.models import Referral, SupportApplication
    from tests.factories import UserFactory as BaseUserFactory

    place = NeighbourhoodFactory.create()
    referral = Referral.objects.create(
        referrer=BaseUserFactory.create(),
        district=place.district,
        neighbourhood=place,
        situation="혼자 지내십니다",
        how_to_reach="010-1111-2222",
        neighbour_knows=True,
        status=Referral.Status.CONTACTED,
        submission_key=uuid.uuid4(),
    )
    client.force_login(coordinator_of(place))
    url = reverse("queue:referral_act", args=[referral.public_id, "convert"])
    answers = {
        "applicant_name": "김이웃",
        "contact_phone": "010-1111-2222",
        "areas": ["network"],
        "description": "안부 확인이 필요합니다",
        "urgency": "3",
    }

    refused = client.post(url, answers)
    assert not SupportApplication.objects.exists()
    accepted = client.post(url, {**answers, "consent": "on"})

    assert refused.status_code == accepted.status_code == 302
    application = SupportApplication.objects.get()
    assert application.applicant is None
    assert application.applicant_name == "김이웃"
    assert application.consent_text_version == "2026-01"
    referral.refresh_from_db()
    assert referral.application == application


# --- Outcomes on the case page ------------------------------------------------------------


def _accepted_case() -> tuple[MatchProposal, Any]:
    place = NeighbourhoodFactory.create()
    proposal = proposal_in(place)
    coordinator = coordinator_of(place)
    proposal_accept(proposal=proposal, by=coordinator)
    return proposal, coordinator


def _outcome(client: Client, proposal: MatchProposal, **answers: str) -> Any:
    data = {"outcome": "delivered", "on": timezone.localdate().isoformat(), "note": "전달 완료"}
    return client.post(
        reverse("queue:application_outcome", args=[proposal.application.public_id]),
        {**data, **answers},
        follow=True,
    )


def test_recording_delivery_on_the_case_page_counts_the_connection_and_removes_the_form(
    client: Client,
) -> None:
    proposal, coordinator = _accepted_case()
    client.force_login(coordinator)
    case_url = reverse("queue:application", args=[proposal.application.public_id])
    assert client.get(case_url).context["outcome_form"] is not None

    response = _outcome(client, proposal)

    assert response.redirect_chain[-1][0] == case_url
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert response.context["outcome_form"] is None
    assert "/outcome/" not in response.content.decode()
    assert 'class="outcome outcome-delivered"' in response.content.decode()
    proposal.application.refresh_from_db()
    assert (proposal.application.status, proposal.application.outcome) == (
        "delivered",
        "delivered",
    )


def test_recording_an_outcome_twice_on_the_case_page_is_refused_and_changes_nothing(
    client: Client,
) -> None:
    proposal, coordinator = _accepted_case()
    client.force_login(coordinator)
    _outcome(client, proposal)

    again = _outcome(client, proposal, outcome="declined", note="바뀜")

    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    # "The outcome of this connection is already recorded: “Support delivered”."
    assert "이미" in str(next(iter(again.context["messages"])))
    application = proposal.application
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("delivered", "delivered")
    assert application.events.filter(to_status="delivered").count() == 1
    assert not application.events.filter(note="바뀜").exists()


def test_an_outcome_without_a_date_or_in_the_future_is_refused_with_a_message(
    client: Client,
) -> None:
    proposal, coordinator = _accepted_case()
    client.force_login(coordinator)

    no_date = _outcome(client, proposal, on="")
    future = _outcome(
        client, proposal, on=(timezone.localdate() + dt.timedelta(days=2)).isoformat()
    )

    for response in (no_date, future):
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    proposal.application.refresh_from_db()
    assert proposal.application.status == "accepted"


def test_the_outcome_of_a_case_not_yet_accepted_is_refused(
    client: Client, case: MatchProposal
) -> None:
    client.force_login(coordinator_of(case.application.neighbourhood))
    response = _outcome(client, case)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    case.application.refresh_from_db()
    assert case.application.status == "proposed"


# --- Every door that acts, for those outside the case --------------------------------------


def _action_posts(proposal: MatchProposal, referral: Referral) -> list[tuple[str, dict[str, Any]]]:
    return [
        (reverse("queue:decide", args=[proposal.pk, "accept"]), {}),
        (reverse("queue:decide", args=[proposal.pk, "reject"]), {"note": "x"}),
        (reverse("queue:decide", args=[proposal.pk, "hold"]), {"note": "x"}),
        (reverse("queue:decide", args=[proposal.pk, "reassign"]), {"project": proposal.project_id}),
        (
            reverse("queue:application_outcome", args=[proposal.application.public_id]),
            {"outcome": "delivered", "on": timezone.localdate().isoformat()},
        ),
        (reverse("queue:referral_act", args=[referral.public_id, "contact"]), {"note": "x"}),
        (reverse("queue:referral_act", args=[referral.public_id, "close"]), {"reason": "x"}),
        (reverse("queue:referral_act", args=[referral.public_id, "convert"]), {"consent": "on"}),
    ]


def test_no_one_outside_the_case_acts_on_it_through_any_door(client: Client) -> None:
    place = NeighbourhoodFactory.create()
    proposal = proposal_in(place)
    referral = _referral_in(place)
    outsiders = [
        None,  # anonymous: sent to log in
        UserFactory.create(),  # a resident
        coordinator_of(NeighbourhoodFactory.create(district=place.district)),
        staff_of(NeighbourhoodFactory.create().district),
    ]
    for outsider in outsiders:
        client.logout()
        if outsider is not None:
            client.force_login(outsider)
        for url, data in _action_posts(proposal, referral):
            response = client.post(url, data)
            if outsider is None:
                assert response.status_code == 302, url
                assert "/accounts/login/" in response["Location"]
            else:
                assert response.status_code == 404, (outsider, url)
        bulk = client.post(reverse("queue:bulk_accept"), {"proposals": [proposal.pk]})
        assert bulk.status_code in (302, 404)

    proposal.refresh_from_db()
    referral.refresh_from_db()
    assert (proposal.status, referral.status) == ("proposed", "received")
    assert proposal.application.events.count() == 0


def test_opening_a_referral_writes_one_row_in_the_personal_data_access_log(
    client: Client,
) -> None:
    from residents.models import PersonalDataAccess

    place = NeighbourhoodFactory.create()
    referral = _referral_in(place)
    viewer = coordinator_of(place)
    client.force_login(viewer)

    client.get(reverse("queue:referral", args=[referral.public_id]))

    row = PersonalDataAccess.objects.get()
    assert (row.viewer, row.subject_referral_id, row.view_name, row.reason) == (
        viewer,
        referral.pk,
        "queue:referral",
        PersonalDataAccess.Reason.REFERRAL_CONTACT,
    )


def test_a_page_of_the_list_logs_one_access_per_person_it_shows(client: Client) -> None:
    from residents.models import PersonalDataAccess

    place = NeighbourhoodFactory.create()
    proposals = [proposal_in(place, days_ago=index) for index in range(30)]
    referral = _referral_in(place)
    viewer = coordinator_of(place)
    client.force_login(viewer)

    client.get(reverse("queue:index"))  # the first 25 of 30 proposals
    client.get(reverse("queue:index"), {"tab": "referrals"})
    client.get(reverse("queue:index"), {"tab": "on_hold"})  # nobody shown, nothing logged

    rows = PersonalDataAccess.objects.filter(view_name="queue:index")
    assert rows.count() == 26
    assert {r.viewer_id for r in rows} == {viewer.pk}
    assert {r.reason for r in rows} == {PersonalDataAccess.Reason.CASE_REVIEW}
    shown = set(
        rows.exclude(subject_application_id=None).values_list("subject_application_id", flat=True)
    )
    assert shown <= {p.application_id for p in proposals} and len(shown) == 25
    assert rows.get(subject_referral_id__isnull=False).subject_referral_id == referral.pk
