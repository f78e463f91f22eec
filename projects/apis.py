"""The API of projects: the public doors, read by anyone with the same selectors as the
website's pages; and the staff's doors, which register and change projects through the same
services as the admin (its history records who, through simple_history's middleware)."""

from collections.abc import Callable
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ETagListMixin, list_etag, not_modified, queryset_fingerprint

from . import services
from .filters import NeighbourhoodFilter, ProjectApiFilter
from .models import Area, District, Neighbourhood, Project
from .permissions import IsDistrictStaff, requester_districts
from .selectors import neighbourhoods_public, projects_for_staff, projects_public
from .serializers import (
    AreaSerializer,
    NeighbourhoodSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
    StaffProjectSerializer,
)


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


# --- The staff's doors: register and change projects of their district ----------------------


def _districts(request: Request) -> QuerySet[District]:
    districts = requester_districts(request)
    assert districts is not None  # IsDistrictStaff let the request in
    return districts


def _staff_project(request: Request, public_id: UUID) -> Project:
    """A project of the requester's districts (drafts too), or 404."""
    project = projects_for_staff(_districts(request)).filter(public_id=public_id).first()
    if project is None:
        raise Http404
    return project


def _shown(request: Request, project: Project, status: int = 200) -> Response:
    # Read again with its relations: the answer shows them as a GET would.
    fresh = projects_for_staff(_districts(request)).get(pk=project.pk)
    return Response(StaffProjectSerializer(fresh, context={"request": request}).data, status)


class ProjectCreateApi(APIView):
    """Register a project, as a draft (``projects.services.project_create``; it opens with
    ``.../open/``). District staff register in their own district."""

    permission_classes = [IsDistrictStaff]

    @extend_schema(request=ProjectWriteSerializer, responses={201: StaffProjectSerializer})
    def post(self, request: Request) -> HttpResponse:
        data = ProjectWriteSerializer(data=request.data, districts=_districts(request))
        data.is_valid(raise_exception=True)
        project = services.project_create(**data.validated_data)
        return _shown(request, project, status=201)


class ProjectUpdateApi(APIView):
    """Change some of a project's facts (only those sent), through
    ``projects.services.project_update``: the same rules as the admin's form."""

    permission_classes = [IsDistrictStaff]

    @extend_schema(request=ProjectWriteSerializer, responses=StaffProjectSerializer)
    def patch(self, request: Request, public_id: UUID) -> HttpResponse:
        project = _staff_project(request, public_id)
        data = ProjectWriteSerializer(
            project, data=request.data, partial=True, districts=_districts(request)
        )
        data.is_valid(raise_exception=True)
        services.project_update(project=project, **data.validated_data)
        return _shown(request, project)


class _ProjectStatusApi(APIView):
    permission_classes = [IsDistrictStaff]
    service: Callable[..., Project]

    @extend_schema(request=None, responses=StaffProjectSerializer)
    def post(self, request: Request, public_id: UUID) -> HttpResponse:
        project = _staff_project(request, public_id)
        type(self).service(project=project)
        return _shown(request, project)


class ProjectOpenApi(_ProjectStatusApi):
    """Open a draft or paused project to applications (``project_open``)."""

    service = services.project_open


class ProjectPauseApi(_ProjectStatusApi):
    """Stop an open project taking applications for a while (``project_pause``)."""

    service = services.project_pause


class ProjectCloseApi(_ProjectStatusApi):
    """End a project for good (``project_close``)."""

    service = services.project_close
