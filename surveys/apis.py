"""The resident's surveys in the API (below ``/api/me/``): the yearly surveys open to them,
the follow-ups offered after delivered support, answering them (and changing the answers
while a survey is open) through ``services.response_submit``, and their own responses.

A survey that is not published, not yearly or not for this resident is not found, as is a
follow-up offered to someone else. A closed survey can be read but not answered (400
``closed``)."""

import uuid

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from residents.models import User
from welfare_net.http import requester

from . import selectors, services
from .models import FollowUpInvitation, Survey
from .models import Response as SurveyResponse
from .serializers import (
    MyFollowUpSerializer,
    MySurveyResponseSerializer,
    MySurveySerializer,
    SurveyAnswerSerializer,
    SurveyQuestionsSerializer,
)


def _yearly_survey_for(user: User, pk: int) -> Survey:
    """A published yearly survey the user may answer, with its questions; else 404."""
    survey = selectors.survey_with_questions(pk=pk)
    if survey is None or not survey.is_published or survey.kind != Survey.Kind.YEARLY:
        raise NotFound
    district_id = selectors.district_id_of(user)
    if not selectors.may_answer(survey=survey, user=user, district_id=district_id):
        raise NotFound
    return survey


def _follow_up_for(user: User, pk: int) -> tuple[FollowUpInvitation, Survey]:
    """The user's own follow-up invitation and its survey with the questions; else 404."""
    invitation = selectors.follow_up_of(user=user, pk=pk)
    if invitation is None:
        raise NotFound
    survey = selectors.survey_with_questions(pk=invitation.survey_id)
    assert survey is not None  # the invitation's survey cannot be deleted before it
    return invitation, survey


def _questions(survey: Survey, user: User, subject_key: uuid.UUID | None = None) -> Response:
    previous = selectors.response_of(survey=survey, respondent=user, subject_key=subject_key)
    is_open = selectors.survey_is_open(survey, timezone.localdate())
    context = {"is_open": is_open, "response": previous}
    return Response(SurveyQuestionsSerializer(survey, context=context).data)


def _answer(
    request: Request, survey: Survey, user: User, subject_key: uuid.UUID | None = None
) -> Response:
    given = SurveyAnswerSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    response = services.response_submit(
        survey=survey,
        respondent=user,
        answers=given.validated_data["answers"],
        submission_key=given.validated_data["submission_key"],
        subject_key=subject_key,
    )
    shown = selectors.responses_of(respondent=user).get(pk=response.pk)
    return Response(MySurveyResponseSerializer(shown).data)


class SurveyListApi(generics.ListAPIView[Survey]):
    """The yearly surveys open now that the resident may answer, ending soonest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = MySurveySerializer

    def get_queryset(self) -> QuerySet[Survey]:
        user = requester(self.request)
        return selectors.surveys_open_for(user=user, today=timezone.localdate())


class SurveyDetailApi(APIView):
    """A yearly survey's questions, and the resident's answers so far."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SurveyQuestionsSerializer)
    def get(self, request: Request, pk: int) -> HttpResponse:
        user = requester(request)
        return _questions(_yearly_survey_for(user, pk), user)


class SurveyAnswerApi(APIView):
    """Answer a yearly survey, or change the answers while it is open."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=SurveyAnswerSerializer, responses=MySurveyResponseSerializer)
    def post(self, request: Request, pk: int) -> HttpResponse:
        user = requester(request)
        return _answer(request, _yearly_survey_for(user, pk), user)


class FollowUpListApi(generics.ListAPIView[FollowUpInvitation]):
    """The follow-ups offered to the resident after delivered support, not yet answered."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyFollowUpSerializer

    def get_queryset(self) -> QuerySet[FollowUpInvitation]:
        user = requester(self.request)
        return selectors.pending_follow_ups(user=user, today=timezone.localdate())


class FollowUpDetailApi(APIView):
    """A follow-up's questions, and the resident's answers so far."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SurveyQuestionsSerializer)
    def get(self, request: Request, pk: int) -> HttpResponse:
        user = requester(request)
        invitation, survey = _follow_up_for(user, pk)
        return _questions(survey, user, invitation.subject_key)


class FollowUpAnswerApi(APIView):
    """Answer a follow-up, or change the answers while its survey is open."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=SurveyAnswerSerializer, responses=MySurveyResponseSerializer)
    def post(self, request: Request, pk: int) -> HttpResponse:
        user = requester(request)
        invitation, survey = _follow_up_for(user, pk)
        return _answer(request, survey, user, invitation.subject_key)


class SurveyResponseListApi(generics.ListAPIView[SurveyResponse]):
    """Every answer the resident gave, yearly surveys and follow-ups, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = MySurveyResponseSerializer
    ordering_fields = ["submitted_at"]

    def get_queryset(self) -> QuerySet[SurveyResponse]:
        return selectors.responses_of(respondent=requester(self.request))
