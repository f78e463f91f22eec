"""The coordinator queue's API: the same tabs, cases and decisions as the website's queue
(``views.py``), through the same selectors and services.

Who may: ``scope.IsQueueMember``. Every case is looked up among the requester's cases, so one
outside their neighbourhoods (or district) is not found. Reading a case's personal data writes
the same personal-data access log rows as the website.

A service's ``ValidationError`` is a 400 with its messages (``welfare_net.api``), except where
the case has moved on -- decided meanwhile, its project full, its outcome recorded: that is a
409 with a code of its own and the service's message, and nothing changed but what the
service says (a proposal whose project filled up expires and goes back to matching).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from residents.models import PersonalDataAccess, User
from residents.services import personal_data_access_record, personal_data_accesses_record
from welfare_net.api import ApiError, ErrorSerializer
from welfare_net.filters import FilterBackend

from .. import services
from ..models import MatchProposal, Referral
from . import selectors
from . import serializers as s
from .filters import QueueFilter
from .scope import IsQueueMember, requester_scope

# Service codes that mean "the case has moved on", and the API's code for each.
DECIDED = {"invalid_state": "already_decided", "no_free_place": "no_free_place"}
OUTCOME = {"invalid_state": "already_decided", "outcome_recorded": "outcome_recorded"}
REFERRAL = {
    "invalid_state": "already_decided",
    "not_contacted": "not_contacted",
    "already_converted": "already_converted",
    "application_open": "application_open",
}
MAX_ID = 2**63 - 1  # PostgreSQL's bigint

Data = serializers.Serializer[Any]  # a request, validated


def conflict(description: StrOrPromise) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


@contextmanager
def conflicts(codes: Mapping[str, str]) -> Iterator[None]:
    """A service's refusal of the whole request for one of ``codes`` as a 409 under the API's
    code, the service's message kept; field errors stay a 400."""
    try:
        yield
    except ValidationError as error:
        found = {e.code for e in error.error_list} if not hasattr(error, "error_dict") else set()
        if len(found) == 1 and (code := found.pop()) in codes:
            message = " ".join(error.messages)
            raise ApiError(code=codes[str(code)], message=message, status=409) from error
        raise


def _user(request: Request) -> User:
    return cast(User, request.user)


def _scope(request: Request) -> selectors.QueueScope:
    scope = requester_scope(request)
    assert scope is not None  # IsQueueMember let the request in
    return scope


def _proposal(request: Request, pk: int) -> MatchProposal:
    proposal = selectors.proposal_in_scope(_scope(request), pk) if pk <= MAX_ID else None
    if proposal is None:
        raise Http404
    return proposal


def _referral(request: Request, public_id: UUID) -> Referral:
    referral = selectors.referral_in_scope(_scope(request), public_id)
    if referral is None:
        raise Http404
    return referral


def _valid(serializer_class: type[Data], request: Request) -> Any:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data


def _decided(proposal: MatchProposal) -> Response:
    fresh = MatchProposal.objects.select_related("project", "application").get(pk=proposal.pk)
    return Response(s.ProposalDecisionSerializer(fresh).data)


# --- Reading the queue ----------------------------------------------------------------------


class QueueListApi(generics.ListAPIView[Any]):
    """One tab of the requester's queue (proposals to review by default), most urgent first.

    Each row names a person: a page is a personal-data view, logged once per person shown.
    """

    permission_classes = [IsQueueMember]
    serializer_class = s.QueueRowSerializer
    filterset_class = QueueFilter
    filter_backends = [FilterBackend]  # QueueFilter orders too

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # drawing the schema
            return MatchProposal.objects.none()
        # The default tab; QueueFilter asks the selector again for the tab asked for.
        return selectors.queue_rows(_scope(self.request), selectors.QueueFilters())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        personal_data_accesses_record(
            viewer=_user(request),
            view_name="api:queue-list",
            reason=PersonalDataAccess.Reason.CASE_REVIEW,
            subjects=selectors.access_subjects(page),
        )
        rows = [selectors.queue_row(item) for item in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class QueueCountsApi(APIView):
    """How many cases wait in each tab of the requester's queue (no personal data)."""

    permission_classes = [IsQueueMember]

    @extend_schema(responses=s.QueueCountsSerializer)
    def get(self, request: Request) -> HttpResponse:
        counts = selectors.queue_counts(_scope(request))
        return Response(s.QueueCountsSerializer(counts).data)


class QueueApplicationDetailApi(APIView):
    """A case: the person and the need, the proposals with their reasons and score, the
    timeline, and the projects it could be reassigned to. Logged as a personal-data view."""

    permission_classes = [IsQueueMember]

    @extend_schema(responses=s.ApplicationCaseSerializer)
    def get(self, request: Request, public_id: UUID) -> HttpResponse:
        case = selectors.application_case(_scope(request), public_id)
        if case is None:
            raise Http404
        personal_data_access_record(
            viewer=_user(request),
            view_name="api:queue-application-detail",
            reason=PersonalDataAccess.Reason.CASE_REVIEW,
            subject_user=case.application.applicant,
            subject_application_id=case.application.pk,
        )
        return Response(s.ApplicationCaseSerializer(case).data)


# --- Decisions on proposals -----------------------------------------------------------------

DECISION_RESPONSES: dict[int, Any] = {
    200: s.ProposalDecisionSerializer,
    409: conflict(
        _(
            "The proposal was already decided (already_decided), or, on accept, its project "
            "has no free place left (no_free_place): the proposal then expired and the "
            "application is back in matching."
        )
    ),
}


class ProposalDecisionApi(APIView):
    """A decision on a proposal among the requester's cases (no door of its own): a door
    names the serializer of its request and, in ``decide``, the service it calls. A case
    that has moved on is a 409; the answer is where the proposal ``decide`` returns stands."""

    permission_classes = [IsQueueMember]
    serializer_class: type[Data]

    @extend_schema(responses=DECISION_RESPONSES)  # the request: serializer_class
    def post(self, request: Request, pk: int) -> HttpResponse:
        proposal = _proposal(request, pk)
        data = _valid(self.serializer_class, request)
        with conflicts(DECIDED):
            decided = self.decide(proposal, by=_user(request), data=data)
        return _decided(decided)

    def decide(self, proposal: MatchProposal, *, by: User, data: Data) -> MatchProposal:
        raise NotImplementedError


class ProposalAcceptApi(ProposalDecisionApi):
    """Accept a proposal: the project gives the person one of its places (a held case is
    taken off hold first)."""

    serializer_class = s.AcceptSerializer

    def decide(self, proposal: MatchProposal, *, by: User, data: Data) -> MatchProposal:
        return services.proposal_approve(proposal=proposal, by=by, **data.validated_data)


class ProposalRejectApi(ProposalDecisionApi):
    """Reject a proposal, saying why: the pair is never proposed again and the application
    goes back to matching."""

    serializer_class = s.RejectSerializer

    def decide(self, proposal: MatchProposal, *, by: User, data: Data) -> MatchProposal:
        return services.proposal_decline(proposal=proposal, by=by, **data.validated_data)


class ProposalHoldApi(ProposalDecisionApi):
    """Put the decision off, saying why: the proposal keeps waiting (it takes no place) and
    the case moves to the on-hold tab."""

    serializer_class = s.HoldSerializer

    def decide(self, proposal: MatchProposal, *, by: User, data: Data) -> MatchProposal:
        return services.proposal_hold(proposal=proposal, by=by, **data.validated_data)


class ProposalReassignApi(ProposalDecisionApi):
    """Connect the person to another eligible project with a free place instead (one of the
    case's ``reassign_options``). Answers with the new, accepted proposal."""

    serializer_class = s.ReassignSerializer

    def decide(self, proposal: MatchProposal, *, by: User, data: Data) -> MatchProposal:
        return services.proposal_reassign(proposal=proposal, by=by, **data.validated_data)


NOT_ACCEPTED = _("This application has no accepted connection, so it has no outcome to record.")


class OutcomeRecordApi(APIView):
    """Record how an accepted connection ended, once: ``delivered`` (support actually given:
    the connection counts), or declined, unreachable, ineligible, withdrawn."""

    permission_classes = [IsQueueMember]

    @extend_schema(
        request=s.OutcomeSerializer,
        responses={
            200: s.ApplicationStateSerializer,
            409: conflict(
                _(
                    "The outcome is already recorded (outcome_recorded), or the application "
                    "has no accepted connection (not_accepted, already_decided)."
                )
            ),
        },
    )
    def post(self, request: Request, public_id: UUID) -> HttpResponse:
        application = selectors.application_in_scope(_scope(request), public_id)
        if application is None:
            raise Http404
        data = _valid(s.OutcomeSerializer, request)
        proposal = selectors.accepted_proposal(application)
        if proposal is None:
            raise ApiError(code="not_accepted", message=NOT_ACCEPTED, status=409)
        with conflicts(OUTCOME):
            done = services.connection_record_outcome(
                proposal=proposal, by=_user(request), **data.validated_data
            )
        return Response(s.ApplicationStateSerializer(done).data)


# --- Referrals ------------------------------------------------------------------------------

REFERRAL_RESPONSES: dict[int, Any] = {
    200: s.ReferralStateSerializer,
    409: conflict(
        _(
            "The referral has moved on (already_decided), was already made an application "
            "(already_converted), needs a contact first (not_contacted), or its application "
            "is still open (application_open)."
        )
    ),
}


class QueueReferralDetailApi(APIView):
    """A referral to contact: the neighbour as the referrer described them. Logged as a
    personal-data view."""

    permission_classes = [IsQueueMember]

    @extend_schema(responses=s.ReferralCaseSerializer)
    def get(self, request: Request, public_id: UUID) -> HttpResponse:
        referral = _referral(request, public_id)
        personal_data_access_record(
            viewer=_user(request),
            view_name="api:queue-referral-detail",
            reason=PersonalDataAccess.Reason.REFERRAL_CONTACT,
            subject_referral_id=referral.pk,
        )
        return Response(s.ReferralCaseSerializer(referral).data)


class ReferralDecisionApi(APIView):
    """A step on a referral among the requester's cases (no door of its own): a door names
    the serializer of its request and, in ``decide``, the service it calls. A referral that
    has moved on is a 409; the answer is where the referral stands."""

    permission_classes = [IsQueueMember]
    serializer_class: type[Data]
    answer_status = 200

    @extend_schema(responses=REFERRAL_RESPONSES)  # the request: serializer_class
    def post(self, request: Request, public_id: UUID) -> HttpResponse:
        referral = _referral(request, public_id)
        data = _valid(self.serializer_class, request)
        with conflicts(REFERRAL):
            self.decide(referral, by=_user(request), data=data)
        return _referral_state(referral, status=self.answer_status)

    def decide(self, referral: Referral, *, by: User, data: Data) -> None:
        raise NotImplementedError


class ReferralContactApi(ReferralDecisionApi):
    """Record the contact with the neighbour (or the attempt): received becomes contacted."""

    serializer_class = s.ReferralContactSerializer

    def decide(self, referral: Referral, *, by: User, data: Data) -> None:
        services.referral_record_contact(referral=referral, by=by, **data.validated_data)


class ReferralConvertApi(ReferralDecisionApi):
    """With the neighbour's consent, apply for support on their behalf: the new application
    goes to matching like any other."""

    serializer_class = s.ReferralConvertSerializer
    answer_status = 201

    @extend_schema(responses={201: s.ReferralStateSerializer, 409: REFERRAL_RESPONSES[409]})
    def post(self, request: Request, public_id: UUID) -> HttpResponse:
        return super().post(request, public_id)

    def decide(self, referral: Referral, *, by: User, data: Data) -> None:
        arguments = cast(s.ReferralConvertSerializer, data).service_arguments()
        services.referral_convert(referral=referral, by=by, **arguments)


class ReferralCloseApi(ReferralDecisionApi):
    """Close a referral that will not lead to support, saying why."""

    serializer_class = s.ReferralCloseSerializer

    def decide(self, referral: Referral, *, by: User, data: Data) -> None:
        services.referral_close(referral=referral, by=by, **data.validated_data)


def _referral_state(referral: Referral, status: int = 200) -> Response:
    fresh = Referral.objects.select_related("application").get(pk=referral.pk)
    return Response(s.ReferralStateSerializer(fresh).data, status=status)
