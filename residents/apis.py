"""The API's doors about residents' accounts: getting a token, and the resident's own
profile and consents (below ``/api/me/``, always the requester's own)."""

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ApiError, ErrorSerializer, ScopedRateThrottle
from welfare_net.http import requester

from . import selectors, services
from .consents import CONSENT_TEXTS
from .models import Consent
from .serializers import (
    ConsentGiveSerializer,
    ConsentTextSerializer,
    MyConsentSerializer,
    MyProfileInputSerializer,
    MyProfileSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)
from .services import auth_token_issue


class TokenObtainApi(APIView):
    """An app's token, for the email address (or username) and password of an account.

    Rate limited per address (``api_login`` in ``DEFAULT_THROTTLE_RATES``): guessing passwords
    here is as slow as on the login page.
    """

    # The credentials are in the body: a session or an old token must not matter (nor CSRF).
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api_login"

    @extend_schema(request=TokenObtainSerializer, responses=TokenSerializer, auth=[])
    def post(self, request: Request) -> HttpResponse:
        credentials = TokenObtainSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token = auth_token_issue(user=credentials.validated_data["user"])
        return Response(TokenSerializer({"token": token}).data)


class LogoutApi(APIView):
    """Sign this device out: the token sent ends (a session is left alone)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> HttpResponse:
        if isinstance(request.auth, AuthToken):
            services.auth_token_revoke(token=request.auth)
        return Response(status=204)


class LogoutAllApi(APIView):
    """Sign out everywhere: every token of the user ends, and every session on the website
    (a lost phone, a shared computer). Log in again on each device afterwards."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> HttpResponse:
        services.user_sign_out_everywhere(user=requester(request))
        return Response(status=204)


# --- The resident's own profile and consents -----------------------------------------------

PROFILE_MISSING = _("You have not filled in your profile yet.")
KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=Consent.Kind.values, description="The consent's kind."
)


class ConsentTextListApi(APIView):
    """The consent texts residents are shown, in their current version: show one to the
    resident before they give that consent. Fixed, so not paginated."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ConsentTextSerializer(many=True))
    def get(self, request: Request) -> HttpResponse:
        texts = [asdict(text) for text in CONSENT_TEXTS.values()]
        return Response(ConsentTextSerializer(texts, many=True).data)


class ProfileDetailApi(APIView):
    """The resident's own profile; 404 (``profile_missing``) before they filled it in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: MyProfileSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No profile yet (profile_missing)."),
        }
    )
    def get(self, request: Request) -> HttpResponse:
        profile = selectors.profile_of(user=requester(request))
        if profile is None:
            raise ApiError(code="profile_missing", message=PROFILE_MISSING, status=404)
        return Response(MyProfileSerializer(profile).data)


class ProfileUpdateApi(APIView):
    """Fill in or change the profile: PUT sends every field, PATCH only those that change.

    The personal-information consent must be given first (else 422 ``consent_needed``), and
    notifications by email or text message need the notifications consent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MyProfileInputSerializer, responses=MyProfileSerializer)
    def put(self, request: Request) -> HttpResponse:
        return self._save(request, partial=False)

    @extend_schema(
        request=MyProfileInputSerializer,
        responses={
            200: MyProfileSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description="No profile yet to change (profile_missing): PUT it."
            ),
        },
    )
    def patch(self, request: Request) -> HttpResponse:
        return self._save(request, partial=True)

    def _save(self, request: Request, *, partial: bool) -> HttpResponse:
        user = requester(request)
        current = selectors.profile_of(user=user)
        if partial and current is None:
            # PATCH changes some fields of a profile; a first one is sent whole, by PUT.
            raise ApiError(code="profile_missing", message=PROFILE_MISSING, status=409)
        kept = MyProfileInputSerializer.values_of(current) if partial and current else None
        given = MyProfileInputSerializer(data=request.data, partial=kept is not None)
        given.is_valid(raise_exception=True)
        services.profile_save(user=user, **{**(kept or {}), **given.validated_data})
        return Response(MyProfileSerializer(selectors.profile_of(user=user)).data)


class ConsentListApi(generics.ListAPIView[Consent]):
    """Every consent the resident gave, the active ones first, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyConsentSerializer

    def get_queryset(self) -> QuerySet[Consent]:
        return selectors.consents_for(user=requester(self.request))


class ConsentGiveApi(APIView):
    """Record the resident's consent to the text they were shown (its current version).
    Giving it again under the same version changes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ConsentGiveSerializer, responses={201: MyConsentSerializer})
    def post(self, request: Request) -> HttpResponse:
        given = ConsentGiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        consent = services.consent_give(user=requester(request), **given.validated_data)
        return Response(MyConsentSerializer(consent).data, status=201)


class ConsentWithdrawApi(APIView):
    """Withdraw the resident's consent of a kind (harmless when none is active). Withdrawing
    the consent to sensitive information also removes the health and disability groups
    from the profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, parameters=[KIND_PARAMETER])
    def post(self, request: Request, kind: str) -> HttpResponse:
        if kind not in Consent.Kind.values:
            raise NotFound
        services.consent_withdraw(user=requester(request), kind=kind)
        return Response(status=204)
