"""Filters of the public project list: the website's search form (plain GET parameters, works
without JavaScript) and the API's query parameters share the same conditions."""

import uuid
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from welfare_net.filters import IdChoiceField, UtcIsoDateTimeFilter

from .hsds import area_for_term_id
from .models import Area, Neighbourhood, Project, TargetGroup
from .selectors import PUBLIC_STATUSES, serving_neighbourhood
from .templatetags.project_tags import local_name


def projects_matching_words(queryset: QuerySet[Project], text: str) -> QuerySet[Project]:
    """Every word must appear somewhere: in the title, the description or the provider's name."""
    for word in text.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return queryset


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A row chosen by its id: an integer in the API's schema (which cannot tell otherwise when
    the filter has a ``method``); an unknown id is ``does_not_exist`` (the API's 422)."""

    field_class = IdChoiceField


class _ProjectConditions(django_filters.FilterSet):
    """The conditions the website and the API share: words, area, neighbourhood, group."""

    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_keywords",
        max_length=100,
        widget=forms.SearchInput(attrs={"aria-describedby": "id_q_help"}),
        help_text=_("For example: side dishes, computer class, haircut"),
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), choices=Area.choices, empty_label=_("All areas")
    )
    neighbourhood = IdChoiceFilter(
        label=_("Neighbourhood (dong)"),
        queryset=Neighbourhood.objects.order_by("name"),
        method="filter_neighbourhood",
        empty_label=_("All neighbourhoods"),
    )
    target_group = IdChoiceFilter(
        label=_("Who it is for"),
        queryset=TargetGroup.objects.order_by("name"),
        method="filter_target_group",
        empty_label=_("Anyone"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_keywords(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        return projects_matching_words(queryset, value)

    def filter_neighbourhood(
        self, queryset: QuerySet[Project], name: str, value: Neighbourhood
    ) -> QuerySet[Project]:
        return queryset.filter(serving_neighbourhood(value))

    def filter_target_group(
        self, queryset: QuerySet[Project], name: str, value: TargetGroup
    ) -> QuerySet[Project]:
        # A project naming no group is open to everyone, so it serves this group too.
        naming = Project.target_groups.through.objects.filter(targetgroup_id=value.pk).values(
            "project_id"
        )
        named_any = Project.target_groups.through.objects.values("project_id")
        return queryset.filter(Q(pk__in=naming) | ~Q(pk__in=named_any))


class ProjectFilter(_ProjectConditions):
    """The website's list: filters ``projects_public()``; without a ``status`` parameter only
    open projects remain."""

    STATUS_OPEN = "open"
    STATUS_ALL = "all"

    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            (STATUS_OPEN, _("Only projects open now")),
            (STATUS_ALL, _("All projects, also paused and closed")),
        ],
        empty_label=None,
        method="filter_status",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("neighbourhood", "target_group"):
            self.form.fields[name].label_from_instance = local_name  # type: ignore[attr-defined]

    def filter_status(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        # Applied in filter_queryset, so a missing or invalid value still means "open only".
        return queryset

    def filter_queryset(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("status") != self.STATUS_ALL:
            queryset = queryset.filter(status=Project.Status.OPEN)
        return queryset

    @property
    def is_narrowed(self) -> bool:
        """Whether the resident chose any condition (so the page offers to clear them)."""
        return self.has_more_conditions or any(self.data.get(name) for name in ("q", "area"))

    @property
    def has_more_conditions(self) -> bool:
        """Whether a condition behind "More conditions" is set or wrong, so it shows unfolded."""
        folded = ("neighbourhood", "target_group", "status")
        return (
            bool(self.data.get("neighbourhood") or self.data.get("target_group"))
            or self.data.get("status", self.STATUS_OPEN) != self.STATUS_OPEN
            or any(name in self.form.errors for name in folded)
        )


class ProjectApiFilter(_ProjectConditions):
    """The API's project list: the website's conditions by id (``neighbourhood=12``,
    ``target_group=3``), and ``status`` any of the public ones (repeat it for several);
    without ``status`` every public project is listed, drafts never."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=[(status, Project.Status(status).label) for status in PUBLIC_STATUSES],
    )


class NeighbourhoodFilter(django_filters.FilterSet):
    """The API's neighbourhood list: ``district=jungnang`` keeps one district's."""

    district = django_filters.CharFilter(
        field_name="district__code", max_length=30, label=_("District code")
    )

    class Meta:
        model = Neighbourhood
        fields: list[str] = []


class HsdsServiceFilter(django_filters.FilterSet):
    """The HSDS API's query parameters of ``/services`` (Open Referral's names)."""

    search = django_filters.CharFilter(
        label=_("Search words"), method="filter_search", max_length=100
    )
    organization_id = django_filters.UUIDFilter(
        label=_("Organisation id"), field_name="organisation__public_id"
    )
    taxonomy_term_id = django_filters.UUIDFilter(
        label=_("Taxonomy term id (an area)"), method="filter_taxonomy_term"
    )
    modified_after = UtcIsoDateTimeFilter(
        label=_("Changed on or after"), field_name="updated_at", lookup_expr="gte"
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_search(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        return projects_matching_words(queryset, value)

    def filter_taxonomy_term(
        self, queryset: QuerySet[Project], name: str, value: uuid.UUID
    ) -> QuerySet[Project]:
        area = area_for_term_id(str(value))
        return queryset.filter(area=area) if area else queryset.none()
