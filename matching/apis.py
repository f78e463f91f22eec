"""The resident's own applications and referrals in the API (below ``/api/me/``): the same
services and selectors as the website's pages, always limited to the requester, so another
resident's record is simply not found."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ApiError, ErrorSerializer
from welfare_net.http import requester

from . import selectors, services
from .filters import ApplicationFilter, ReferralFilter
from .models import Referral, SupportApplication
from .serializers import (
    ApplicationWithdrawSerializer,
    MyApplicationCreateSerializer,
    MyApplicationDetailSerializer,
    MyApplicationSerializer,
    MyReferralCreateSerializer,
    MyReferralSerializer,
)

PROFILE_MISSING = _("Please fill in your profile before applying.")
PROFILE_MISSING_TO_REFER = _("First, please tell us a little about yourself.")
CONSENT_NEEDED = _("Applying needs your consent to the use of personal information.")
NOT_READY = OpenApiResponse(
    ErrorSerializer,
    description="No profile yet (profile_missing), or no personal-information consent "
    "(consent_needed).",
)
NOT_WITHDRAWABLE = OpenApiResponse(
    ErrorSerializer, description="Already connected or closed (not_withdrawable)."
)


class ApplicationListApi(generics.ListAPIView[SupportApplication]):
    """The resident's own applications, newest first, each with its latest event."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["submitted_at"]

    def get_queryset(self) -> QuerySet[SupportApplication]:
        return selectors.applications_of(user=requester(self.request))


class ApplicationCreateApi(APIView):
    """Apply for support for oneself, as on the website. Needs a profile and the consent
    to the use of personal information. Answers with the new application's page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MyApplicationCreateSerializer,
        responses={201: MyApplicationDetailSerializer, 409: NOT_READY},
    )
    def post(self, request: Request) -> HttpResponse:
        user = requester(request)
        readiness = selectors.application_readiness(user)
        if readiness.profile is None:
            raise ApiError(code="profile_missing", message=PROFILE_MISSING, status=409)
        if not readiness.has_personal_consent:
            raise ApiError(code="consent_needed", message=CONSENT_NEEDED, status=409)
        projects = selectors.open_projects_for(readiness.profile)
        given = MyApplicationCreateSerializer(data=request.data, context={"projects": projects})
        given.is_valid(raise_exception=True)
        application = services.application_submit(applicant=user, **given.validated_data)
        return Response(MyApplicationDetailSerializer(application).data, status=201)


class ApplicationDetailApi(APIView):
    """One of the resident's applications: what they asked for, the four steps and the
    timeline of what happened. Poll it to follow the application to its outcome."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyApplicationDetailSerializer)
    def get(self, request: Request, public_id: UUID) -> HttpResponse:
        application = selectors.application_of(user=requester(request), public_id=public_id)
        if application is None:
            raise NotFound
        return Response(MyApplicationDetailSerializer(application).data)


class ApplicationWithdrawApi(APIView):
    """Withdraw an application not yet connected (``can_withdraw``); a connected or closed
    one is refused with 409 ``not_withdrawable``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ApplicationWithdrawSerializer,
        responses={200: MyApplicationDetailSerializer, 409: NOT_WITHDRAWABLE},
    )
    def post(self, request: Request, public_id: UUID) -> HttpResponse:
        user = requester(request)
        application = selectors.application_of(user=user, public_id=public_id)
        if application is None:
            raise NotFound
        if not selectors.can_withdraw(application):
            message = _("This application can no longer be withdrawn.")
            raise ApiError(code="not_withdrawable", message=message, status=409)
        given = ApplicationWithdrawSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        note = given.validated_data["reason"]
        services.application_withdraw(application=application, by=user, note=note)
        return Response(MyApplicationDetailSerializer(application).data)


class ReferralListApi(generics.ListAPIView[Referral]):
    """The neighbours the resident referred, newest first: what they entered, and where
    each referral stands."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_of(user=requester(self.request))


class ReferralCreateApi(APIView):
    """Refer a neighbour in need to their community centre, as on the website (a profile
    is needed: a neighbour is referred within the resident's own district)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MyReferralCreateSerializer,
        responses={
            201: MyReferralSerializer,
            409: OpenApiResponse(ErrorSerializer, description="No profile yet (profile_missing)."),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        user = requester(request)
        profile = selectors.resident_profile_for(user)
        if profile is None:
            raise ApiError(code="profile_missing", message=PROFILE_MISSING_TO_REFER, status=409)
        context = {"neighbourhoods": selectors.neighbourhoods_for(profile)}
        given = MyReferralCreateSerializer(data=request.data, context=context)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        neighbourhood = data.pop("neighbourhood")
        referral = services.referral_submit(
            referrer=user, neighbourhood_id=neighbourhood.pk, **data
        )
        return Response(MyReferralSerializer(referral).data, status=201)


class ReferralDetailApi(APIView):
    """One of the resident's referrals: only what they entered, and its status."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyReferralSerializer)
    def get(self, request: Request, public_id: UUID) -> HttpResponse:
        referral = selectors.referral_of(user=requester(request), public_id=public_id)
        if referral is None:
            raise NotFound
        return Response(MyReferralSerializer(referral).data)
