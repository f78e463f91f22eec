"""The API's doors about residents' accounts: for now, getting a token."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ScopedRateThrottle

from .serializers import TokenObtainSerializer, TokenSerializer
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
