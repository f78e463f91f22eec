"""The staff's API of match runs: the passes of the matching worker over their district (as the
admin lists them), and asking for one now."""

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.permissions import IsDistrictStaff, requester_districts
from projects.serializers import DistrictSummarySerializer, RequesterDistrictMixin
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput
from welfare_net.filters import UtcIsoDateTimeFilter

from .models import MatchRun
from .services.match_runs import MatchRunRequest, match_run_request


class MatchRunSerializer(serializers.ModelSerializer[MatchRun]):
    district = DistrictSummarySerializer(read_only=True)
    status = EnumField(MatchRun.Status.choices, enum_name="MatchRunStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "district",
            "started_at",
            "finished_at",
            "status",
            "status_label",
            "considered",
            "proposed",
            "unmatched_no_eligible",
            "unmatched_no_place",
            "solver_seconds",
            "total_seconds",
            "attempts",
            "note",
        ]
        read_only_fields = fields


class MatchRunStartSerializer(JsonInput, RequesterDistrictMixin):
    """Which district to match: see ``RequesterDistrictMixin``."""


class MatchRunRequestSerializer(serializers.Serializer[MatchRunRequest]):
    district = serializers.SerializerMethodField()
    task_id = serializers.CharField(help_text=_("The matching task's id, for the worker's logs."))
    requested_at = serializers.DateTimeField()
    repeated = serializers.BooleanField(
        help_text=_("An earlier request of the last minute still stands; nothing new was queued.")
    )
    runs = serializers.SerializerMethodField(help_text=_("Where the run will be listed."))

    def get_district(self, request: MatchRunRequest) -> str:
        return str(self.context["district"].code)

    def get_runs(self, request: MatchRunRequest) -> str:
        return str(self.context["runs"])


class MatchRunFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(
        field_name="district__code", max_length=30, label=_("District code")
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=MatchRun.Status.choices)
    started_after = UtcIsoDateTimeFilter(
        label=_("Started on or after"), field_name="started_at", lookup_expr="gte"
    )
    started_before = UtcIsoDateTimeFilter(
        label=_("Started before"), field_name="started_at", lookup_expr="lt"
    )

    class Meta:
        model = MatchRun
        fields: list[str] = []


class MatchRunListApi(generics.ListAPIView[MatchRun]):
    """The matching passes over the requester's district that did something (a pass with
    nothing to do stores nothing), newest first."""

    permission_classes = [IsDistrictStaff]
    serializer_class = MatchRunSerializer
    filterset_class = MatchRunFilter
    ordering_fields = ["started_at", "considered", "proposed", "total_seconds"]

    def get_queryset(self) -> QuerySet[MatchRun]:
        districts = requester_districts(self.request)
        return (
            MatchRun.objects.filter(district__in=districts if districts is not None else [])
            .select_related("district")
            .order_by("-started_at", "-pk")
        )


class MatchRunStartApi(APIView):
    """Ask for a matching pass over the district now (the worker's own task, as after each
    application). Accepted (202) rather than done: the pass runs on the worker and shows in
    the list when it has proposed or found something. Safe to call twice: a second call
    within a minute joins the first (``repeated``)."""

    permission_classes = [IsDistrictStaff]

    @extend_schema(request=MatchRunStartSerializer, responses={202: MatchRunRequestSerializer})
    def post(self, request: Request) -> HttpResponse:
        data = MatchRunStartSerializer(data=request.data, districts=requester_districts(request))
        data.is_valid(raise_exception=True)
        district = data.validated_data["district"]
        asked = match_run_request(district_id=district.pk)
        runs = request.build_absolute_uri(reverse("api:match-run-list"))
        context = {"district": district, "runs": f"{runs}?district={district.code}"}
        return Response(MatchRunRequestSerializer(asked, context=context).data, status=202)
