"""CSV import and export of projects by human-friendly keys (django-import-export).

Columns name things the way staff do: the organisation by its name within the district, the
area, support type and status by code, neighbourhoods as ``;``-separated codes or names,
target groups and household types as ``;``-separated codes, dates as YYYY-MM-DD. An export
re-imports unchanged: a row with a ``public_id`` updates that project, a row without one
creates a project.

Staff import only into their own district (the resource is built with it); a superuser's
file names the district of every row. Every message names the column it is about.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from tablib import Dataset

from welfare_net import csv_safe

from . import services
from .models import (
    Area,
    District,
    HouseholdType,
    Neighbourhood,
    Organisation,
    Project,
    SupportType,
    TargetGroup,
)

SEPARATOR = ";"
TRUE_WORDS = {"1", "true", "yes", "y", "예", "o"}
FALSE_WORDS = {"", "0", "false", "no", "n", "아니오", "아니요", "x"}

COLUMNS = (
    "public_id",
    "district",
    "organisation",
    "title",
    "description",
    "area",
    "support_type",
    "status",
    "whole_district",
    "neighbourhoods",
    "target_groups",
    "min_age",
    "max_age",
    "household_types",
    "eligibility_note",
    "capacity",
    "places_taken",
    "starts_on",
    "ends_on",
    "apply_by",
    "contact_name",
    "contact_phone",
    "contact_email",
)
TEXT_COLUMNS = (
    "title",
    "description",
    "eligibility_note",
    "contact_name",
    "contact_phone",
    "contact_email",
)
OPTIONAL_INTEGER_COLUMNS = ("min_age", "max_age")
DATE_COLUMNS = ("starts_on", "ends_on", "apply_by")


def _label(name: str) -> StrOrPromise:
    """The column's name as staff read it (the model field's verbose name, translated)."""
    return capfirst(getattr(Project._meta.get_field(name), "verbose_name", name))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn 12 into 12.0
    # A cell our export wrote as text (csv_safe) reads back without its apostrophe.
    return csv_safe.restore(str(value).strip())


def _split(value: Any) -> list[str]:
    return [part.strip() for part in _text(value).split(SEPARATOR) if part.strip()]


class RowErrors:
    """Collects the messages of one row, each under the column it is about."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = defaultdict(list)

    def add(self, field: str, message: StrOrPromise, **params: Any) -> None:
        self.by_field[field].append(str(message) % {"field": _label(field), **params})

    def raise_if_any(self, earlier: ValidationError | None = None) -> None:
        errors: dict[str, Any] = {k: list(v) for k, v in self.by_field.items()}
        if earlier is not None:
            errors = earlier.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


@dataclass
class _Pending:
    """What a row says about a project's relations and status, applied once it is saved."""

    neighbourhoods: list[Neighbourhood] | None = None
    target_groups: list[TargetGroup] | None = None
    status: str | None = None


class ProjectInstanceLoader(BaseInstanceLoader):
    """Finds the project a row updates by its public id, among the projects the importer may
    change (one query for the whole file). A blank id means a new project."""

    def __init__(self, resource: "ProjectResource", dataset: Dataset | None = None) -> None:
        super().__init__(resource, dataset)
        wanted = []
        if dataset is not None and "public_id" in (dataset.headers or []):
            for raw in dataset["public_id"]:
                try:
                    wanted.append(uuid.UUID(_text(raw)))
                except ValueError:
                    continue
        self.known = {
            project.public_id: project
            for project in resource.get_queryset().filter(public_id__in=wanted)
        }

    def get_instance(self, row: dict[str, Any]) -> Project | None:
        raw = _text(row.get("public_id"))
        if not raw:
            return None
        errors = RowErrors()
        try:
            found = self.known.get(uuid.UUID(raw))
        except ValueError:
            found = None
        if found is None:
            errors.add(
                "public_id",
                _("%(field)s: there is no project “%(value)s” you may change."),
                value=raw,
            )
            errors.raise_if_any()
        return found


class ProjectResource(resources.ModelResource):
    public_id = Field(attribute="public_id", column_name="public_id", readonly=True)
    district = Field(column_name="district")
    organisation = Field(column_name="organisation")
    title = Field(attribute="title", column_name="title")
    description = Field(attribute="description", column_name="description")
    area = Field(attribute="area", column_name="area")
    support_type = Field(attribute="support_type", column_name="support_type")
    status = Field(attribute="status", column_name="status")
    whole_district = Field(column_name="whole_district")
    neighbourhoods = Field(column_name="neighbourhoods")
    target_groups = Field(column_name="target_groups")
    min_age = Field(column_name="min_age")
    max_age = Field(column_name="max_age")
    household_types = Field(column_name="household_types")
    eligibility_note = Field(attribute="eligibility_note", column_name="eligibility_note")
    capacity = Field(column_name="capacity")
    places_taken = Field(column_name="places_taken")
    starts_on = Field(column_name="starts_on")
    ends_on = Field(column_name="ends_on")
    apply_by = Field(column_name="apply_by")
    contact_name = Field(attribute="contact_name", column_name="contact_name")
    contact_phone = Field(attribute="contact_phone", column_name="contact_phone")
    contact_email = Field(attribute="contact_email", column_name="contact_email")

    class Meta:
        model = Project
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["public_id"]
        instance_loader_class = ProjectInstanceLoader
        # One transaction for the whole file; with rollback_on_validation_errors (the admin
        # always passes it) a single bad row saves nothing.
        use_transactions = True
        clean_model_instances = True
        name = _("Projects (CSV)")

    def __init__(self, *, district: District | None = None, **kwargs: Any) -> None:
        """``district``: the importing staff member's district; None for a superuser, whose
        file must name each row's district."""
        super().__init__(**kwargs)
        self.district = district
        # Keyed by id() of the instance: a row's relations wait here until the row is saved.
        self._pending: dict[int, _Pending] = {}
        self._lookups_loaded = False
        self._districts: dict[str, District] = {}
        self._organisations: dict[tuple[int, str], Organisation] = {}
        self._neighbourhoods: dict[str, list[Neighbourhood]] = defaultdict(list)
        self._target_groups: dict[str, TargetGroup] = {}

    def import_data(self, dataset: Dataset, **kwargs: Any) -> Any:
        """All or nothing, whoever calls: one transaction, rolled back on any invalid row."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    # --- which projects ------------------------------------------------------------------

    def get_queryset(self) -> QuerySet[Project]:
        queryset = Project.objects.select_related("district", "organisation")
        if self.district is not None:
            queryset = queryset.filter(district=self.district)
        return queryset

    def filter_export(self, queryset: QuerySet[Project], **kwargs: Any) -> QuerySet[Project]:
        if self.district is not None:
            queryset = queryset.filter(district=self.district)
        return queryset.select_related("district", "organisation").prefetch_related(
            "neighbourhoods", "target_groups"
        )

    # --- export --------------------------------------------------------------------------

    def export_resource(self, instance: Project, **kwargs: Any) -> list[Any]:
        # Staff open the file in a spreadsheet program: no cell may run as a formula.
        return csv_safe.neutralise_row(super().export_resource(instance, **kwargs))

    def dehydrate_district(self, project: Project) -> str:
        return project.district.code if project.district_id else ""

    def dehydrate_organisation(self, project: Project) -> str:
        return project.organisation.name if project.organisation_id else ""

    def dehydrate_whole_district(self, project: Project) -> str:
        return "1" if project.whole_district else "0"

    def dehydrate_neighbourhoods(self, project: Project) -> str:
        if project.pk is None:
            return ""
        return SEPARATOR.join(n.code for n in project.neighbourhoods.all())

    def dehydrate_target_groups(self, project: Project) -> str:
        if project.pk is None:
            return ""
        return SEPARATOR.join(sorted(g.code for g in project.target_groups.all()))

    def dehydrate_household_types(self, project: Project) -> str:
        return SEPARATOR.join(project.household_types or [])

    def dehydrate_min_age(self, project: Project) -> str:
        return "" if project.min_age is None else str(project.min_age)

    def dehydrate_max_age(self, project: Project) -> str:
        return "" if project.max_age is None else str(project.max_age)

    def dehydrate_capacity(self, project: Project) -> str:
        return "" if project.capacity is None else str(project.capacity)

    def dehydrate_places_taken(self, project: Project) -> str:
        return str(project.places_taken)

    def dehydrate_starts_on(self, project: Project) -> str:
        return project.starts_on.isoformat() if project.starts_on else ""

    def dehydrate_ends_on(self, project: Project) -> str:
        return project.ends_on.isoformat() if project.ends_on else ""

    def dehydrate_apply_by(self, project: Project) -> str:
        return project.apply_by.isoformat() if project.apply_by else ""

    # --- import --------------------------------------------------------------------------

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        if dataset.headers is not None:
            dataset.headers = [_text(header) for header in dataset.headers]
        if "public_id" not in (dataset.headers or []):
            # Without the column every row is a new project.
            dataset.append_col([""] * len(dataset), header="public_id")
        self._load_lookups()

    def _load_lookups(self) -> None:
        """Everything the rows refer to, read once per file rather than once per row."""
        if self._lookups_loaded:
            return
        districts = list(District.objects.all())
        self._districts = {d.code.casefold(): d for d in districts} | {
            d.name.casefold(): d for d in districts
        }
        self._organisations = {
            (o.district_id, o.name.casefold()): o
            for o in Organisation.objects.filter(
                **({"district": self.district} if self.district else {})
            )
        }
        for n in Neighbourhood.objects.select_related("district"):
            self._neighbourhoods[n.code.casefold()].append(n)
            if n.name.casefold() != n.code.casefold():
                self._neighbourhoods[n.name.casefold()].append(n)
        self._target_groups = {g.code.casefold(): g for g in TargetGroup.objects.all()}
        self._lookups_loaded = True

    def import_instance(self, instance: Project, row: dict[str, Any], **kwargs: Any) -> None:
        """Read every column of the row into the project, collecting all problems at once."""
        errors = RowErrors()
        pending = _Pending()
        self._pending[id(instance)] = pending

        district = self._read_district(instance, row, errors)
        if district is not None:
            instance.district = district

        if "organisation" in row:
            name = _text(row["organisation"])
            if not name:
                errors.add("organisation", _("%(field)s: this column is required."))
            elif district is not None:
                organisation = self._organisations.get((district.pk, name.casefold()))
                if organisation is None:
                    errors.add(
                        "organisation",
                        _("%(field)s: there is no organisation named “%(value)s” in %(district)s."),
                        value=name,
                        district=district.name,
                    )
                else:
                    instance.organisation = organisation

        for name in TEXT_COLUMNS:
            if name in row:
                setattr(instance, name, _text(row[name]))

        self._read_code(instance, row, "area", Area.values, errors)
        self._read_code(instance, row, "support_type", SupportType.values, errors)
        if "status" in row:
            status = _text(row["status"]).casefold()
            if status and status not in Project.Status.values:
                errors.add(
                    "status",
                    _("%(field)s: unknown code “%(value)s”; use one of %(codes)s."),
                    value=_text(row["status"]),
                    codes=", ".join(Project.Status.values),
                )
            elif status:
                pending.status = status

        if "whole_district" in row:
            word = _text(row["whole_district"]).casefold()
            if word in TRUE_WORDS:
                instance.whole_district = True
            elif word in FALSE_WORDS:
                instance.whole_district = False
            else:
                errors.add(
                    "whole_district",
                    _("%(field)s: write 1 (yes) or 0 (no), not “%(value)s”."),
                    value=_text(row["whole_district"]),
                )

        if "neighbourhoods" in row:
            pending.neighbourhoods = self._read_neighbourhoods(
                row["neighbourhoods"], district, errors
            )
        if "target_groups" in row:
            pending.target_groups = self._read_target_groups(row["target_groups"], errors)
        if "household_types" in row:
            codes = _split(row["household_types"])
            unknown = [code for code in codes if code not in HouseholdType.values]
            if unknown:
                errors.add(
                    "household_types",
                    _("%(field)s: unknown code “%(value)s”; use one of %(codes)s."),
                    value=SEPARATOR.join(unknown),
                    codes=", ".join(HouseholdType.values),
                )
            else:
                instance.household_types = codes

        for name in OPTIONAL_INTEGER_COLUMNS:
            if name in row:
                setattr(instance, name, self._read_integer(row[name], name, errors))
        if "capacity" in row:
            # None is kept: full_clean then reports the missing capacity under its name.
            capacity = self._read_integer(row["capacity"], "capacity", errors)
            instance.capacity = capacity  # type: ignore[assignment]
        if "places_taken" in row:
            taken = self._read_integer(row["places_taken"], "places_taken", errors)
            instance.places_taken = 0 if taken is None else taken

        for name in DATE_COLUMNS:
            if name in row:
                setattr(instance, name, self._read_date(row[name], name, errors))

        errors.raise_if_any()

    def _read_district(
        self, instance: Project, row: dict[str, Any], errors: RowErrors
    ) -> District | None:
        given = _text(row.get("district"))
        if self.district is not None:
            # Staff import into their own district whatever the file says; a file naming
            # another one is a mistake worth stopping.
            if given and self._districts.get(given.casefold()) != self.district:
                errors.add(
                    "district",
                    _("%(field)s: you can import only into your own district, %(district)s."),
                    district=self.district.name,
                )
                return None
            return self.district
        if not given:
            if instance.district_id:
                return instance.district
            errors.add("district", _("%(field)s: this column is required."))
            return None
        district = self._districts.get(given.casefold())
        if district is None:
            errors.add(
                "district",
                _("%(field)s: there is no district “%(value)s”."),
                value=given,
            )
        return district

    def _read_code(
        self,
        instance: Project,
        row: dict[str, Any],
        name: str,
        codes: Iterable[str],
        errors: RowErrors,
    ) -> None:
        if name not in row:
            return
        value = _text(row[name])
        codes = list(codes)
        if value.casefold() in codes:
            setattr(instance, name, value.casefold())
        elif not value:
            errors.add(name, _("%(field)s: this column is required."))
        else:
            errors.add(
                name,
                _("%(field)s: unknown code “%(value)s”; use one of %(codes)s."),
                value=value,
                codes=", ".join(codes),
            )

    def _read_neighbourhoods(
        self, value: Any, district: District | None, errors: RowErrors
    ) -> list[Neighbourhood]:
        chosen: list[Neighbourhood] = []
        for token in _split(value):
            candidates = self._neighbourhoods.get(token.casefold(), [])
            mine = [n for n in candidates if district is not None and n.district_id == district.pk]
            if mine:
                chosen.append(mine[0])
            elif candidates:
                errors.add(
                    "neighbourhoods",
                    _("%(field)s: “%(value)s” is a neighbourhood of another district (%(other)s)."),
                    value=token,
                    other=", ".join(sorted({n.district.name for n in candidates})),
                )
            else:
                errors.add(
                    "neighbourhoods",
                    _("%(field)s: unknown neighbourhood “%(value)s”."),
                    value=token,
                )
        return chosen

    def _read_target_groups(self, value: Any, errors: RowErrors) -> list[TargetGroup]:
        chosen = []
        for token in _split(value):
            group = self._target_groups.get(token.casefold())
            if group is None:
                errors.add(
                    "target_groups",
                    _("%(field)s: unknown code “%(value)s”."),
                    value=token,
                )
            else:
                chosen.append(group)
        return chosen

    def _read_integer(self, value: Any, name: str, errors: RowErrors) -> int | None:
        text = _text(value)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            number = -1
        if number < 0:
            errors.add(
                name,
                _("%(field)s: “%(value)s” is not a whole number of 0 or more."),
                value=text,
            )
            return None
        return number

    def _read_date(self, value: Any, name: str, errors: RowErrors) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            errors.add(
                name,
                _("%(field)s: “%(value)s” is not a date; write it as YYYY-MM-DD."),
                value=text,
            )
            return None

    # --- saving through the services -----------------------------------------------------

    def do_instance_save(self, instance: Project, is_create: bool) -> None:
        pending = self._pending.pop(id(instance), _Pending())
        services.project_save(
            project=instance,
            neighbourhoods=pending.neighbourhoods,
            target_groups=pending.target_groups,
        )
        if pending.status and pending.status != instance.status:
            self._move_to(instance, pending.status)

    def _move_to(self, project: Project, status: str) -> None:
        """Reach the status the row asks for through the same transitions as the admin."""
        Status = Project.Status
        if status == Status.DRAFT:
            raise ValidationError(
                {"status": _("Status: a project cannot go back to draft.")},
                code="back_to_draft",
            )
        if status == Status.OPEN:
            services.project_open(project=project)
        elif status == Status.PAUSED:
            if project.status == Status.DRAFT:
                services.project_open(project=project)
            services.project_pause(project=project)
        elif status == Status.CLOSED:
            services.project_close(project=project)

    def save_m2m(self, instance: Project, row: dict[str, Any], **kwargs: Any) -> None:
        """The relations were written with the project by ``services.project_save``."""
