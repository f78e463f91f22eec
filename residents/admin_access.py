"""The personal-data access log of the admin, in one place: every admin page that shows a
resident's personal data (a list, a search, an action's page, a change page, a history or
a delete page)
writes one access-log row per resident shown, as the coordinator's queue does.

Every ModelAdmin of the site declares ``shows_personal_data``; the ones that do say, in
``personal_data_owner``, whose data a row is: the lookup from the row to the resident's
account (``"user"``, ``"donor"``, ``"pledge__donor"``, ``"pk"`` for the account itself), or
override ``personal_data_subjects``. An admin of a model linked to an account that says
``False`` gives its reason in ``not_personal_because``. A test walks every registered admin
and fails on one that declares nothing.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import PersonalDataAccess
from .services import AccessSubject, personal_data_accesses_record

_NOT_READ = object()


def _owner_id_if_read(obj: Model, path: str) -> object:
    """The account id at the end of ``path`` ("pledge__donor"), read from the rows the page
    already loaded (list_select_related); ``_NOT_READ`` when a step was not loaded."""
    *steps, last = path.split("__")
    current: Model | None = obj
    for step in steps:
        assert current is not None
        if not current._meta.get_field(step).is_cached(current):  # type: ignore[union-attr]
            return _NOT_READ
        current = getattr(current, step)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def _drop_ids_that_are_not_ids(request: HttpRequest, model: type[Model]) -> None:
    """An action posted with rows that cannot be ids ("abc" for a number): Django's admin
    would fail on them (a server error); they name no row, so they are left out."""
    if request.method != "POST" or helpers.ACTION_CHECKBOX_NAME not in request.POST:
        return
    picked = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    valid = []
    for value in picked:
        try:
            model._meta.pk.to_python(value)  # type: ignore[union-attr]
        except ValidationError:
            continue
        valid.append(value)
    if len(valid) != len(picked):
        posted = request.POST.copy()
        posted.setlist(helpers.ACTION_CHECKBOX_NAME, valid)
        request.POST = posted  # type: ignore[assignment]


def subjects_named(names: list[str]) -> list[AccessSubject]:
    """The accounts of rows that name a person by a login name or an email address, not by a
    key (the login limit's rows, a coordinator invitation), in the rows' order, read in one
    query; a name of no account is left out."""
    wanted = {name.lower() for name in names} - {""}
    accounts: dict[str, int] = {}
    for pk, username, email in (
        get_user_model()
        .objects.filter(Q(username__in=wanted) | Q(email__in=wanted))
        .values_list("pk", "username", "email")
    ):
        accounts[username.lower()] = pk
        accounts.setdefault(email.lower(), pk)
    found = (accounts.get(name.lower()) for name in names)
    return [AccessSubject(user_id=pk) for pk in found if pk]


class PersonalDataAdmin(admin.ModelAdmin):
    shows_personal_data: bool | None = None  # None: not declared (the test fails)
    not_personal_because: str = ""
    personal_data_owner: str = ""

    def personal_data_subjects(
        self, request: HttpRequest, objs: list[Model], *, detail: bool
    ) -> list[AccessSubject]:
        """Whose personal data ``objs`` show, on a list (or, ``detail``, on a row's own page);
        rows that show no one's are left out. By default: the resident of
        ``personal_data_owner``, read in one query for a whole list."""
        owner = self.personal_data_owner
        if owner == "pk":
            return [AccessSubject(user_id=obj.pk) for obj in objs]
        cached = [_owner_id_if_read(obj, owner) for obj in objs]
        if _NOT_READ not in cached:
            return [AccessSubject(user_id=user_id) for user_id in cached]  # type: ignore[arg-type]
        owners = dict(
            self.model._default_manager.filter(pk__in=[obj.pk for obj in objs]).values_list(
                "pk", owner
            )
        )
        return [AccessSubject(user_id=owners.get(obj.pk)) for obj in objs]

    def _log(self, request: HttpRequest, page: str, subjects: list[AccessSubject]) -> None:
        if not self.shows_personal_data or not subjects:
            return
        opts = self.model._meta
        personal_data_accesses_record(
            viewer=request.user,  # type: ignore[arg-type]
            view_name=f"admin:{opts.app_label}_{opts.model_name}_{page}",
            # The admin does not ask why; the log says so rather than guess.
            reason=PersonalDataAccess.Reason.OTHER,
            subjects=subjects,
        )

    @staticmethod
    def _shown(response: HttpResponse, key: str) -> Any:
        """What a page rendered under ``key``, if it is a page that was shown (not a
        redirect, a refusal or a file)."""
        if (
            isinstance(response, TemplateResponse)
            and response.status_code == 200
            and response.context_data
        ):
            return response.context_data.get(key)
        return None

    def _log_object_page(self, request: HttpRequest, response: HttpResponse, page: str) -> None:
        obj = self._shown(response, "original") or self._shown(response, "object")
        if request.method == "GET" and isinstance(obj, self.model) and self.shows_personal_data:
            self._log(request, page, self.personal_data_subjects(request, [obj], detail=True))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _drop_ids_that_are_not_ids(request, self.model)
        response = super().changelist_view(request, extra_context)
        if not self.shows_personal_data:
            return response
        changelist = self._shown(response, "cl")
        if request.method == "GET" and changelist is not None:
            page = "search" if changelist.query else "changelist"
            rows = list(changelist.result_list)
            self._log(request, page, self.personal_data_subjects(request, rows, detail=False))
        elif request.method == "POST" and self._shown(response, "opts") is not None:
            # An action's own page (a confirmation, a form) listing the rows selected.
            picked = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            rows = list(self.get_queryset(request).filter(pk__in=picked))
            self._log(request, "action", self.personal_data_subjects(request, rows, detail=False))
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_object_page(request, response, "change")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._log_object_page(request, response, "history")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        self._log_object_page(request, response, "delete")
        return response


def admin_declare(
    model: type[Model],
    *,
    shows_personal_data: bool,
    owner: str = "",
    because: str = "",
    extra: type | None = None,
) -> None:
    """Declare another app's admin of ``model`` (Django's, allauth's, axes'...): registered
    again as the same admin with the access log mixed in (and ``extra``, a mixin of
    overrides, first)."""
    current = type(admin.site._registry[model])
    bases = (*((extra,) if extra else ()), PersonalDataAdmin, current)
    declared = type(
        current.__name__,
        bases,
        {
            "__module__": __name__,
            "shows_personal_data": shows_personal_data,
            "personal_data_owner": owner,
            "not_personal_because": because,
        },
    )
    admin.site.unregister(model)
    admin.site.register(model, declared)
