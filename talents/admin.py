"""The staff admin of talent offers: staff read the offers of their district and attach them
to talent-sharing projects (through the service); residents make and change offers."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from projects.admin_scoping import DistrictScopedAdmin, district_id_for_request
from projects.models import Area, Project
from residents.admin_access import PersonalDataAdmin

from .models import TalentOffer
from .selectors import talent_offers_in_district_q
from .services import talent_offer_attach


class AttachToProjectForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=capfirst(_("project")))

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


@admin.register(TalentOffer)
class TalentOfferAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    """Which district an offer belongs to: the districts of the neighbourhoods it is offered
    in; an offer naming no neighbourhood belongs to the district its resident lives in (the
    profile's neighbourhood). That is an "or" of two paths, which one ``district_lookup``
    cannot name, so ``get_queryset`` applies the rule itself; the permission checks of
    ``DistrictScopedAdmin`` go through it."""

    shows_personal_data = True
    personal_data_owner = "resident"
    list_display = ["resident", "category", "status", "project", "places", "availability"]
    list_filter = ["status", "category"]
    search_fields = [
        "resident__username",
        "resident__first_name",
        "resident__last_name",
        "description",
        "project__title",
    ]
    list_select_related = ["resident", "project"]
    actions = ["attach_to_project"]
    readonly_fields = [
        "resident",
        "category",
        "description",
        "neighbourhoods",
        "availability",
        "status",
        "project",
        "created_at",
    ]
    fields = tuple(readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TalentOffer]:
        # Skips DistrictScopedAdmin's single-path filter on purpose (see the class docstring).
        queryset = super(DistrictScopedAdmin, self).get_queryset(request)
        queryset = queryset.select_related("resident", "project").prefetch_related("neighbourhoods")
        district_id = district_id_for_request(request)
        if district_id is None:
            return queryset
        return queryset.filter(talent_offers_in_district_q(district_id=district_id))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("neighbourhoods"))
    def places(self, offer: TalentOffer) -> str:
        names = [neighbourhood.name for neighbourhood in offer.neighbourhoods.all()]
        return ", ".join(names) if names else str(_("Anywhere"))

    @admin.action(description=_("Attach to a talent-sharing project"), permissions=["change"])
    def attach_to_project(
        self, request: HttpRequest, queryset: QuerySet[TalentOffer]
    ) -> TemplateResponse | None:
        projects = Project.objects.filter(area=Area.TALENT, status=Project.Status.OPEN)
        district_id = district_id_for_request(request)
        if district_id is not None:
            projects = projects.filter(district_id=district_id)
        if "apply" in request.POST:
            form = AttachToProjectForm(request.POST, projects=projects)
            if form.is_valid():
                self._attach_each(request, queryset, form.cleaned_data["project"])
                return None
        else:
            form = AttachToProjectForm(projects=projects)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Attach talent offers to a project"),
            "opts": self.model._meta,
            "form": form,
            "offers": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/talents/talentoffer/attach_to_project.html", context
        )

    def _attach_each(
        self, request: HttpRequest, queryset: QuerySet[TalentOffer], project: Project
    ) -> None:
        for offer in queryset:
            try:
                talent_offer_attach(offer=offer, project=project)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(offer)s: %(error)s") % {"offer": offer, "error": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("%(offer)s: attached to %(project)s.") % {"offer": offer, "project": project},
                    messages.SUCCESS,
                )
