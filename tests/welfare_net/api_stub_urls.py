"""The real site plus a few API doors that exist only for the foundation's tests: one behind
the default permission, and some that fail in the ways real doors will."""

from typing import NoReturn, cast

from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ApiError
from welfare_net.urls import urlpatterns as site_urlpatterns

handler404 = "welfare_net.api.handler404"
handler500 = "welfare_net.api.handler500"


class WhoAmI(APIView):
    """No permission_classes: the default (logged in) applies."""

    def get(self, request: Request) -> Response:
        return Response({"username": request.user.get_username()})


class RefusedByService(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> NoReturn:
        if request.query_params.get("whole"):
            raise ValidationError("The project is full.", code="project_full")
        raise ValidationError({"birth_year": ["Too early.", "Really."], "__all__": ["No."]})


class Conflict(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> NoReturn:
        raise ApiError(code="already_withdrawn", message="Already withdrawn.", status=409)


class Crash(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> NoReturn:
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/test/whoami/", WhoAmI.as_view()),
    path("api/test/refused/", RefusedByService.as_view()),
    path("api/test/conflict/", Conflict.as_view()),
    path("api/test/crash/", Crash.as_view()),
    *cast(list[URLPattern | URLResolver], site_urlpatterns),
]
