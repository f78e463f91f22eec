"""The public API of projects: read by anyone, the same selectors as the website's pages."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ETagListMixin, list_etag, not_modified, queryset_fingerprint

from .filters import NeighbourhoodFilter, ProjectApiFilter
from .models import Area, Neighbourhood, Project
from .selectors import neighbourhoods_public, projects_public
from .serializers import AreaSerializer, NeighbourhoodSerializer, ProjectSerializer


class ProjectListApi(ETagListMixin, generics.ListAPIView[Project]):
    """Public projects (never drafts): open first, then paused and closed, newest first."""

    permission_classes = [AllowAny]
    serializer_class = ProjectSerializer
    filterset_class = ProjectApiFilter
    ordering_fields = ["starts_on", "apply_by", "title", "created_at"]

    def get_queryset(self) -> QuerySet[Project]:
        return projects_public()

    def etag_fingerprint(self, queryset: QuerySet[Project]) -> str:
        # A card shows its provider's name and contact too.
        return queryset_fingerprint(queryset, "organisation__updated_at")


class ProjectDetailApi(generics.RetrieveAPIView[Project]):
    permission_classes = [AllowAny]
    serializer_class = ProjectSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Project]:
        return projects_public()


class AreaListApi(APIView):
    """The five areas residents take part in; fixed, so not paginated."""

    permission_classes = [AllowAny]

    @extend_schema(responses=AreaSerializer(many=True))
    def get(self, request: Request) -> HttpResponse:
        # Only the labels' language can change what this list says.
        etag = list_etag(request, "areas")
        if (cached := not_modified(request, etag)) is not None:
            return cached
        areas = [{"code": area.value, "label": area.label} for area in Area]
        return Response(AreaSerializer(areas, many=True).data, headers={"ETag": etag})


class NeighbourhoodListApi(ETagListMixin, generics.ListAPIView[Neighbourhood]):
    """Every neighbourhood (administrative dong), with its district."""

    permission_classes = [AllowAny]
    serializer_class = NeighbourhoodSerializer
    filterset_class = NeighbourhoodFilter
    ordering_fields = ["name", "code"]

    def get_queryset(self) -> QuerySet[Neighbourhood]:
        return neighbourhoods_public()

    def etag_fingerprint(self, queryset: QuerySet[Neighbourhood]) -> str:
        return queryset_fingerprint(queryset, "district__updated_at")
