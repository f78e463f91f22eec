"""The search form of the public project list: plain GET parameters, works without JavaScript."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Area, Neighbourhood, Project, TargetGroup
from .selectors import serving_neighbourhood
from .templatetags.project_tags import local_name


class ProjectFilter(django_filters.FilterSet):
    """Filters ``projects_public()``; without a ``status`` parameter only open projects remain."""

    STATUS_OPEN = "open"
    STATUS_ALL = "all"

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
    neighbourhood = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood (dong)"),
        queryset=Neighbourhood.objects.order_by("name"),
        method="filter_neighbourhood",
        empty_label=_("All neighbourhoods"),
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Who it is for"),
        queryset=TargetGroup.objects.order_by("name"),
        method="filter_target_group",
        empty_label=_("Anyone"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            (STATUS_OPEN, _("Only projects open now")),
            (STATUS_ALL, _("All projects, also paused and closed")),
        ],
        empty_label=None,
        method="filter_status",
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("neighbourhood", "target_group"):
            self.form.fields[name].label_from_instance = local_name  # type: ignore[attr-defined]

    def filter_keywords(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        # Every word must appear somewhere: in the title, the description or the provider's name.
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        return queryset

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
