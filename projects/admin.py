"""The district staff's admin for projects, organisations, participations and staff.

Every admin of district data mixes in ``DistrictScopedAdmin`` (staff see only their own
district). Writes to projects go through ``projects.services``; list pages are a fixed
number of queries whatever the number of rows (select_related / prefetch_related).
"""

import contextlib
import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, F, ForeignKey, ManyToManyField, Model, Q, QuerySet, URLField
from django.forms import ModelChoiceField, ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV
from import_export.results import Result
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from residents.admin_access import PersonalDataAdmin, subjects_named
from residents.services import AccessSubject

from . import services
from .admin_scoping import DistrictScopedAdmin, district_id_for_request
from .forms import (
    CoordinatorAssignmentForm,
    CoordinatorInvitationForm,
    DistrictBoundForm,
    ProjectAdminForm,
    StaffMemberAdminForm,
)
from .models import (
    Area,
    CoordinatorInvitation,
    District,
    HouseholdType,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    SupportType,
    TargetGroup,
)
from .resources import ProjectResource

NEIGHBOURHOODS_SHOWN = 3


class DistrictBoundAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    """For models with a ``district`` field: staff create rows in their own district only.

    The district is shown read-only and preset for staff; foreign keys and many-to-many
    choices named in ``district_limited`` offer only rows of the staff's district.
    """

    form: type[ModelForm] = DistrictBoundForm
    # field name -> lookup from the related model to its district id
    district_limited: dict[str, str] = {}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A staff user without a district (no StaffMember row) has nowhere to add rows.
        return super().has_add_permission(request) and district_id_for_request(request) != 0

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("district")
        return readonly

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        district_id = district_id_for_request(request)
        if district_id and issubclass(form, DistrictBoundForm):
            form.district_for_new = District.objects.filter(pk=district_id).first()
        return form

    def _limit(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        lookup = self.district_limited.get(db_field.name)
        district_id = district_id_for_request(request)
        if lookup is None or district_id is None:
            return
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        kwargs["queryset"] = queryset.filter(**{lookup: district_id})

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        district_id = district_id_for_request(request)
        if district_id is not None:
            obj.district_id = district_id
        super().save_model(request, obj, form, change)


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's revert view saves on POST after checking only the view permission;
    a reader (a coordinator) must not be able to revert."""

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            obj = self.get_queryset(request).filter(pk=object_id).first()
            # Restoring a deleted row (obj is None) is for superusers only.
            allowed = (
                self.has_change_permission(request, obj)
                if obj is not None
                else bool(request.user.is_superuser)
            )
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(
        self,
        request: HttpRequest,
        historical_records: Any,
        foreign_keys_are_objs: bool = True,
    ) -> None:
        """What changed between consecutive records, like simple_history's own, but with the
        many-to-many rows of the whole page read in one query per field instead of four
        queries per record: the history page stays a fixed number of queries."""
        records = list(historical_records)
        history_model = get_history_model_for_model(self.model)
        m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
        ids = [record.history_id for record in records]
        rows_by_field: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for field in m2m_fields:
            target = get_m2m_reverse_field_name(field)
            rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
            m2m_rows = getattr(history_model, field.name).model.objects.filter(history_id__in=ids)
            for row in m2m_rows.select_related(target).order_by(target):
                rows[row.history_id].append({target: getattr(row, target)})
            rows_by_field[field.name] = rows
        excluded = list(rows_by_field)
        for newer, older in itertools.pairwise(records):
            delta = newer.diff_against(
                older, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
            )
            changes, changed = list(delta.changes), list(delta.changed_fields)
            for name, rows in rows_by_field.items():
                before, after = rows.get(older.history_id, []), rows.get(newer.history_id, [])
                if _related_pks(before) != _related_pks(after):
                    changes.append(ModelChange(field=name, old=before, new=after))
                    changed.append(name)
            delta = dataclasses.replace(delta, changes=changes, changed_fields=changed)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)


def _related_pks(rows: list[dict[str, Any]]) -> list[Any]:
    return [getattr(obj, "pk", None) for row in rows for obj in row.values()]


# --- list filters -----------------------------------------------------------------------


class ServedNeighbourhoodFilter(admin.SimpleListFilter):
    """Projects that serve a neighbourhood: listed for it, or open to the whole district."""

    title = _("neighbourhood served")
    parameter_name = "neighbourhood"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        neighbourhoods = Neighbourhood.objects.select_related("district")
        district_id = district_id_for_request(request)
        if district_id is not None:
            return [(str(n.pk), n.name) for n in neighbourhoods.filter(district_id=district_id)]
        return [(str(n.pk), f"{n.district.name} · {n.name}") for n in neighbourhoods]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        listed = Project.neighbourhoods.through.objects.filter(neighbourhood_id=int(value))
        district = Neighbourhood.objects.filter(pk=int(value)).values("district_id")[:1]
        return queryset.filter(
            Q(pk__in=listed.values("project_id")) | Q(whole_district=True, district_id=district)
        )


# --- projects ---------------------------------------------------------------------------


@admin.register(Project)
class ProjectAdmin(DistrictBoundAdmin, GuardedHistoryAdmin, ImportExportModelAdmin):
    shows_personal_data = False
    form = ProjectAdminForm
    resource_classes = [ProjectResource]
    import_formats = [CSV]
    export_formats = [CSV]
    # With a byte-order mark Excel opens the Korean text of an export correctly.
    to_encoding = "utf-8-sig"
    district_limited = {
        "organisation": "district_id",
        "neighbourhoods": "district_id",
    }
    list_display = [
        "title",
        "area",
        "status",
        "served",
        "capacity",
        "places_taken",
        "places_left",
        "period",
        "organisation",
    ]
    list_filter = [
        "area",
        "status",
        ServedNeighbourhoodFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organisation", "district"]
    search_fields = ["title", "description", "organisation__name"]
    date_hierarchy = "starts_on"
    show_full_result_count = False
    readonly_fields = ["status", "places_taken"]
    actions = ["open_projects", "pause_projects", "close_projects"]
    fieldsets = [
        (None, {"fields": ["district", "organisation", "title", "description", "status"]}),
        (_("What is offered"), {"fields": ["area", "support_type"]}),
        (_("Where"), {"fields": ["whole_district", "neighbourhoods"]}),
        (
            _("Who may take part"),
            {
                "fields": [
                    "target_groups",
                    ("min_age", "max_age"),
                    "household_types",
                    "eligibility_note",
                ]
            },
        ),
        (
            _("Places and dates"),
            {"fields": [("capacity", "places_taken"), "starts_on", "ends_on", "apply_by"]},
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
    ]

    def get_list_display(self, request: HttpRequest) -> Any:
        # Superusers see every district: say which one each project belongs to.
        if request.user.is_superuser:
            return [*self.list_display, "district"]
        return self.list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "district")
            .prefetch_related("neighbourhoods")
            .annotate(remaining=F("capacity") - F("places_taken"))
        )

    @admin.display(description=_("neighbourhoods served"))
    def served(self, project: Project) -> str:
        if project.whole_district:
            return str(_("whole district"))
        names = [n.name for n in project.neighbourhoods.all()]
        if len(names) > NEIGHBOURHOODS_SHOWN:
            more = len(names) - NEIGHBOURHOODS_SHOWN
            return ", ".join(names[:NEIGHBOURHOODS_SHOWN]) + f" +{more}"
        return ", ".join(names) or "-"

    @admin.display(description=_("places left"), ordering="remaining")
    def places_left(self, project: Project) -> int:
        return project.places_left

    @admin.display(description=_("period"), ordering="starts_on")
    def period(self, project: Project) -> str:
        end = project.ends_on.isoformat() if project.ends_on else ""
        return f"{project.starts_on.isoformat()} ~ {end}"

    # Saving goes through the service, relations included.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        district_id = district_id_for_request(request)
        if district_id is not None:
            obj.district_id = district_id
        obj._history_user = request.user
        services.project_save(
            project=obj,
            neighbourhoods=form.cleaned_data.get("neighbourhoods"),
            target_groups=form.cleaned_data.get("target_groups"),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- status actions ---

    def _change_status(
        self,
        request: HttpRequest,
        queryset: QuerySet[Project],
        service: Callable[..., Project],
        done: Callable[[int], str],
    ) -> None:
        changed = 0
        for project in queryset:
            try:
                service(project=project)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(project)s: %(reason)s")
                    % {"project": project.title, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, done(changed), messages.SUCCESS)

    @admin.action(description=_("Open the selected projects"), permissions=["change"])
    def open_projects(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        self._change_status(
            request,
            queryset,
            services.project_open,
            lambda n: ngettext("%(n)d project opened.", "%(n)d projects opened.", n) % {"n": n},
        )

    @admin.action(description=_("Pause the selected projects"), permissions=["change"])
    def pause_projects(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        self._change_status(
            request,
            queryset,
            services.project_pause,
            lambda n: ngettext("%(n)d project paused.", "%(n)d projects paused.", n) % {"n": n},
        )

    @admin.action(description=_("Close the selected projects"), permissions=["change"])
    def close_projects(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        self._change_status(
            request,
            queryset,
            services.project_close,
            lambda n: ngettext("%(n)d project closed.", "%(n)d projects closed.", n) % {"n": n},
        )

    # --- CSV import and export ---

    import_template_name = "admin/projects/project/import.html"

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            response.context_data.update(self._import_help(request))
        return response

    def _import_help(self, request: HttpRequest) -> dict[str, Any]:
        """What the import page explains next to the form: the codes each column takes."""
        district_id = district_id_for_request(request)
        return {
            "import_needs_district": district_id is None,
            "import_district": District.objects.filter(pk=district_id).first()
            if district_id
            else None,
            "import_codes": {
                "area": Area.values,
                "support_type": SupportType.values,
                "status": Project.Status.values,
                "household_types": HouseholdType.values,
                "target_groups": list(TargetGroup.objects.values_list("code", flat=True)),
            },
        }

    def write_to_tmp_storage(self, import_file: Any, input_format: Any) -> Any:
        """Korean Excel saves CSV in CP949, not UTF-8: turn such a file into UTF-8 first."""
        data = b"".join(import_file.chunks())
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            with contextlib.suppress(UnicodeDecodeError):  # else the reader reports it
                data = data.decode("cp949").encode("utf-8")
        return super().write_to_tmp_storage(
            SimpleUploadedFile(import_file.name, data), input_format
        )

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_resource_kwargs(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        district_id = district_id_for_request(request)
        district = District.objects.filter(pk=district_id).first() if district_id else None
        return {"district": district}

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        """The confirm step imported again; had anything gone wrong since the preview, the
        resource rolled everything back: say so and show the rows, never "finished"."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        self.message_user(
            request,
            _("Nothing was imported: correct the rows below and try again."),
            messages.ERROR,
        )
        resource_classes = self.get_import_resource_classes(request)
        form = self.get_import_form_class(request)(self.get_import_formats(), resource_classes)
        resource = resource_classes[0](**self.get_import_resource_kwargs(request))
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [f.column_name for f in resource.get_user_visible_fields()],
                )
            ],
            "import_error_display": self.import_error_display,
            **self._import_help(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


# --- organisations, participations, staff -----------------------------------------------


@admin.register(Organisation)
class OrganisationAdmin(DistrictBoundAdmin, GuardedHistoryAdmin):
    shows_personal_data = False
    list_display = ["name", "kind", "district", "phone", "project_count"]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    list_filter = ["kind"]
    list_select_related = ["district"]
    search_fields = ["name", "description", "address"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description=_("projects"), ordering="project_count")
    def project_count(self, organisation: Any) -> int:
        return int(organisation.project_count)


@admin.register(TargetGroup)
class TargetGroupAdmin(PersonalDataAdmin):
    shows_personal_data = False
    list_display = ["name", "name_en", "code", "is_sensitive"]
    list_filter = ["is_sensitive"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Participation)
class ParticipationAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = True
    personal_data_owner = "resident"
    district_lookup = "project__district"
    list_display = ["resident", "project", "role", "status", "started_on", "ended_on"]
    list_filter = ["role", "status"]
    list_select_related = ["resident", "project"]
    search_fields = ["resident__username", "resident__email", "project__title"]
    raw_id_fields = ["resident", "project"]
    date_hierarchy = "started_on"
    show_full_result_count = False

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        district_id = district_id_for_request(request)
        if db_field.name == "project" and district_id is not None:
            kwargs["queryset"] = Project.objects.filter(district_id=district_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StaffMember)
class StaffMemberAdmin(DistrictBoundAdmin):
    shows_personal_data = False
    not_personal_because = "staff members' own work assignments, not residents' data"
    form = StaffMemberAdminForm
    district_limited = {"neighbourhoods": "district_id"}
    list_display = ["user", "role", "district", "neighbourhood_list"]
    list_filter = ["role"]
    list_select_related = ["user", "district"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffMember]:
        return super().get_queryset(request).prefetch_related("neighbourhoods")

    # District staff assign coordinators of their own district; district staff themselves
    # (their own row included) are named by superusers only.
    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if not request.user.is_superuser:
            kwargs["form"] = CoordinatorAssignmentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None:
            readonly += ["user", "role"]
        return readonly

    def has_add_permission(self, request: HttpRequest) -> bool:
        # District staff invite coordinators (CoordinatorInvitationAdmin): nobody becomes one
        # without accepting. Superusers still name district staff here.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._coordinator_or_root(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._coordinator_or_root(
            request, obj
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.staff_member_groups_sync(member=form.instance)

    @staticmethod
    def _coordinator_or_root(request: HttpRequest, obj: Model | None) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        return getattr(obj, "role", None) == StaffMember.Role.COORDINATOR

    @admin.display(description=_("neighbourhoods"))
    def neighbourhood_list(self, member: StaffMember) -> str:
        return ", ".join(n.name for n in member.neighbourhoods.all()) or "-"


# --- districts and neighbourhoods -------------------------------------------------------


class NeighbourhoodInline(admin.TabularInline):
    model = Neighbourhood
    extra = 0
    fields = ["name", "name_en", "code"]


@admin.register(District)
class DistrictAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = False
    district_lookup = "pk"
    list_display = ["name", "name_en", "code", "neighbourhood_count"]
    search_fields = ["name", "name_en", "code"]
    inlines = [NeighbourhoodInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        return super().get_queryset(request).annotate(neighbourhood_count=Count("neighbourhoods"))

    @admin.display(description=_("neighbourhoods"), ordering="neighbourhood_count")
    def neighbourhood_count(self, district: Any) -> int:
        return int(district.neighbourhood_count)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(DistrictBoundAdmin):
    shows_personal_data = False
    list_display = ["name", "name_en", "code", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]
    search_fields = ["name", "name_en", "code"]


@admin.register(CoordinatorInvitation)
class CoordinatorInvitationAdmin(DistrictBoundAdmin):
    """District staff invite coordinators of their district and see the invitations pending;
    a pending one can be cancelled. Sending one answers the same words whether the address
    has an account or not."""

    form = CoordinatorInvitationForm
    district_limited = {"neighbourhoods": "district_id"}
    list_display = ["email", "district", "invited_by", "created_at", "expires_at", "state"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["district", "invited_by"]
    search_fields = ["email"]
    actions = ["cancel_invitations"]
    # The invited address is a person's: where it is an account's, the page shows its data.
    shows_personal_data = True

    def personal_data_subjects(
        self, request: HttpRequest, objs: list[Model], *, detail: bool
    ) -> list[AccessSubject]:
        return subjects_named([str(getattr(obj, "email", "")) for obj in objs])

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # an invitation is sent, or cancelled; never edited

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # cancelled instead: the record of who invited whom stays

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        district_id = district_id_for_request(request)
        district = obj.district if district_id is None else District.objects.get(pk=district_id)
        sent = services.coordinator_invitation_send(
            invited_by=request.user,  # type: ignore[arg-type]
            district=district,
            email=form.cleaned_data["email"],
            neighbourhoods=form.cleaned_data["neighbourhoods"],
            areas=list(form.cleaned_data.get("areas") or []),
            site_url=request.build_absolute_uri("/"),
        )
        form.instance = sent
        obj.pk = sent.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the service set the neighbourhoods

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        # The same words and the same page for every address: nothing tells who signed up.
        self.message_user(request, services.INVITATION_SENT, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:projects_coordinatorinvitation_changelist"))

    @admin.display(description=_("state"))
    def state(self, invitation: CoordinatorInvitation) -> str:
        if invitation.accepted_at is not None:
            return str(_("accepted"))
        if invitation.cancelled_at is not None:
            return str(_("cancelled"))
        if invitation.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("pending"))

    @admin.action(description=_("Cancel the selected invitations"), permissions=["add"])
    def cancel_invitations(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for invitation in queryset:
            services.coordinator_invitation_cancel(invitation=invitation)
        self.message_user(request, _("The pending invitations among them are cancelled."))
