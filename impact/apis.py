"""The figures as JSON: public, read only, the same figures as the impact page."""

from django.utils.functional import lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ErrorSerializer

from .definitions import definition
from .selectors import impact_figures_cached
from .serializers import ImpactFiguresSerializer, ImpactQuerySerializer

_small_groups = lazy(lambda: definition("small_groups"), str)


class ImpactAPI(APIView):
    # Public figures that name nobody: no login, and no session or token to look up.
    authentication_classes = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="impact_figures",
        summary="The district's figures for a period",
        description=_small_groups(),
        parameters=[ImpactQuerySerializer],
        responses={
            200: ImpactFiguresSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A malformed or impossible period, or an unknown district.",
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query = ImpactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = impact_figures_cached(
            start=query.validated_data["from"],
            end=query.validated_data["to"],
            district=query.validated_data.get("district"),
        )
        return Response(ImpactFiguresSerializer(figures).data)
