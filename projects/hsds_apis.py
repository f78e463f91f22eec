"""The Open Referral HSDS 3.1 feed of public projects: ``/api/hsds/...``.

The mapping is ``projects/hsds.py``; these doors page, filter and answer. The serializers here
only document the shapes ``hsds.py`` builds, for the OpenAPI schema (and so for schemathesis,
which checks every answer against them).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.api import ETagListMixin, PageNumberPagination, queryset_fingerprint

from . import hsds
from .filters import HsdsServiceFilter
from .models import Organisation, Project
from .selectors import organisations_public, projects_for_hsds

# --- The shapes, for the schema -----------------------------------------------------------


class HsdsTaxonomySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    version = serializers.CharField()


class HsdsTaxonomyTermSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    taxonomy_id = serializers.UUIDField()
    taxonomy_detail = HsdsTaxonomySerializer()


class HsdsAttributeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    link_id = serializers.UUIDField()
    link_type = serializers.CharField()
    link_entity = serializers.CharField()
    taxonomy_term_id = serializers.UUIDField()
    taxonomy_term = HsdsTaxonomyTermSerializer()


class HsdsUnitSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()


class HsdsServiceCapacitySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    unit = HsdsUnitSerializer()
    available = serializers.IntegerField()
    maximum = serializers.IntegerField()
    description = serializers.CharField()
    updated = serializers.DateTimeField()


class HsdsServiceAreaSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()


class HsdsPhoneSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    number = serializers.CharField()


class HsdsOrganizationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    email = serializers.EmailField(required=False)
    website = serializers.URLField(required=False)
    phones = HsdsPhoneSerializer(many=True, required=False)


class HsdsServiceSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    organization_id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(required=False)
    url = serializers.URLField()
    email = serializers.EmailField(required=False)
    status = serializers.ChoiceField(choices=sorted(set(hsds.SERVICE_STATUS.values())))
    application_process = serializers.CharField()
    eligibility_description = serializers.CharField(required=False)
    minimum_age = serializers.IntegerField(required=False)
    maximum_age = serializers.IntegerField(required=False)
    last_modified = serializers.DateTimeField()
    phones = HsdsPhoneSerializer(many=True, required=False)
    service_areas = HsdsServiceAreaSerializer(many=True, required=False)
    capacities = HsdsServiceCapacitySerializer(many=True)
    attributes = HsdsAttributeSerializer(many=True)
    organization = HsdsOrganizationSerializer()


class HsdsRootSerializer(serializers.Serializer[Any]):
    version = serializers.CharField()
    profile = serializers.URLField()
    openapi_url = serializers.URLField()
    description = serializers.CharField()


# --- Paging -------------------------------------------------------------------------------


class HsdsPagination(PageNumberPagination):
    """HSDS's ``?page=2&per_page=50`` and its page object (``total_items``, ``contents``...)."""

    page_size_query_param = "per_page"

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            hsds.page(
                list(data),
                total_items=self.page.paginator.count,
                page_number=self.page.number,
                per_page=self.page.paginator.per_page,
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        integer, boolean = {"type": "integer"}, {"type": "boolean"}
        return {
            "type": "object",
            "required": ["total_items", "total_pages", "page_number", "size", "empty"],
            "properties": {
                "total_items": integer,
                "total_pages": integer,
                "page_number": integer,
                "size": integer,
                "first_page": boolean,
                "last_page": boolean,
                "empty": boolean,
                "contents": schema,
            },
        }


def _site_url(request: Request) -> str:
    return request.build_absolute_uri("/")


# --- The doors ----------------------------------------------------------------------------


class HsdsRootApi(APIView):
    """What this feed is: the HSDS version and profile, and where its OpenAPI document is."""

    permission_classes = [AllowAny]

    @extend_schema(responses=HsdsRootSerializer)
    def get(self, request: Request) -> HttpResponse:
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": hsds.HSDS_PROFILE,
                # HSDS asks for the OpenAPI document in JSON (the schema's default is YAML).
                "openapi_url": request.build_absolute_uri(reverse("api:schema") + "?format=json"),
                "description": hsds.feed_description(),
            }
        )


class HsdsServiceListApi(ETagListMixin, generics.ListAPIView[Project]):
    """Public projects as fully nested HSDS services (never drafts)."""

    permission_classes = [AllowAny]
    serializer_class = HsdsServiceSerializer
    pagination_class = HsdsPagination
    filterset_class = HsdsServiceFilter

    def get_queryset(self) -> QuerySet[Project]:
        return projects_for_hsds()

    def etag_fingerprint(self, queryset: QuerySet[Project]) -> str:
        return queryset_fingerprint(queryset, "organisation__updated_at")

    def page_data(self, rows: list[Project]) -> list[dict[str, Any]]:
        site_url = _site_url(self.request)
        return [hsds.service(project, site_url=site_url) for project in rows]


class HsdsServiceDetailApi(generics.RetrieveAPIView[Project]):
    permission_classes = [AllowAny]
    serializer_class = HsdsServiceSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Project]:
        return projects_for_hsds()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(hsds.service(self.get_object(), site_url=_site_url(request)))


class HsdsOrganizationListApi(ETagListMixin, generics.ListAPIView[Organisation]):
    """Providers of public projects as HSDS organizations."""

    permission_classes = [AllowAny]
    serializer_class = HsdsOrganizationSerializer
    pagination_class = HsdsPagination

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_public()

    def page_data(self, rows: list[Organisation]) -> list[dict[str, Any]]:
        return [hsds.organization(organisation) for organisation in rows]


class HsdsOrganizationDetailApi(generics.RetrieveAPIView[Organisation]):
    permission_classes = [AllowAny]
    serializer_class = HsdsOrganizationSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_public()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(hsds.organization(self.get_object()))
