"""What each model holds of a resident, declared once, and the erasure that reads it.

Each app says in its own ``personal_data.py`` (``DECLARATIONS``) which of its rows belong to
a resident (``owner``: the lookup from the model to the account) and, for every text field
of those rows, what becomes of it when the resident deletes their account: ``erase`` (the
value it takes), ``delete`` (the rows go), ``erased_elsewhere`` (a named service does it) or
``kept`` (why it stays: it is not the resident's words, or a law keeps it). Third-party
models (accounts, login limits, the admin's log) are declared by ``residents``.

``resident_data_erase`` applies every declaration; a test fails on any text field of a model
linked to an account that no declaration names, so a new field cannot be forgotten.
"""

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from welfare_net.retention import ANONYMISED

# The fields that can hold words: names, descriptions, notes, contacts, JSON. A field with
# choices holds a code from a fixed list and is not counted.
FREE_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def without_key(field_name: str, key: str) -> models.Func:
    """For ``erase``: a JSON field's value without one of its keys (PostgreSQL's ``-``)."""
    return models.Func(
        models.F(field_name),
        models.Value(key, output_field=models.TextField()),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=models.JSONField(),
    )


@dataclass(frozen=True)
class ResidentData:
    """One model's rows of a resident, and what becomes of each of its text fields."""

    model: str  # "app_label.ModelName"
    # The lookup from the model to the resident's account ("donor", "response__respondent"),
    # or, for a row that names them without a key, a function from the account to a Q.
    owner: str | Callable[[Any], Q]
    erase: Mapping[str, Any] = field(default_factory=dict)
    delete: bool = False
    erased_elsewhere: Mapping[str, str] = field(default_factory=dict)
    kept: Mapping[str, str] = field(default_factory=dict)
    # Every text field kept, for one reason (a model holding only others' words).
    all_kept: str = ""

    def rows_of(self, user: Any) -> Q:
        if callable(self.owner):
            return self.owner(user)
        return Q(**{self.owner: user.pk})

    def covered_fields(self) -> set[str]:
        model = apps.get_model(self.model)
        if self.delete or self.all_kept:
            return {f.name for f in model._meta.concrete_fields}
        return {*self.erase, *self.erased_elsewhere, *self.kept}


@cache
def declarations() -> tuple[ResidentData, ...]:
    """Every app's ``personal_data.DECLARATIONS``, in the order of INSTALLED_APPS."""
    found: list[ResidentData] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.personal_data":
                raise
            continue
        found.extend(getattr(module, "DECLARATIONS", ()))
    return tuple(found)


# Models that name an account without a key to it (a login name typed).
LINKED_WITHOUT_KEY = ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog")


def linked_models() -> list[type[models.Model]]:
    """The account model and every model whose foreign keys lead to it, at any distance
    (an answer -> its response -> the respondent), plus ``LINKED_WITHOUT_KEY``."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    candidates = [m for m in apps.get_models() if not m._meta.proxy]
    linked: set[type[models.Model]] = {user_model}
    linked.update(apps.get_model(label) for label in LINKED_WITHOUT_KEY)
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in linked:
                continue
            targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if targets & linked:
                linked.add(model)
                grew = True
    return sorted(linked, key=lambda m: m._meta.label)


def _log_entries_blank(model: type[models.Model], ids: Iterable[Any]) -> None:
    """The admin's log names a changed row by its text (a pledge by its goods): blank it
    for the rows erased."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(object_repr=ANONYMISED, change_message="")


def resident_data_erase(*, user: Any) -> dict[str, int]:
    """Erase or delete, as declared, every row of ``user`` in every app; returns the rows
    changed per model. The caller holds the transaction (``user_anonymise``)."""
    changed: dict[str, int] = {}
    for declaration in declarations():
        if not (declaration.delete or declaration.erase):
            continue
        model = apps.get_model(declaration.model)
        ids = list(
            model._default_manager.filter(declaration.rows_of(user)).values_list("pk", flat=True)
        )
        if not ids:
            continue
        _log_entries_blank(model, ids)
        rows = model._default_manager.filter(pk__in=ids)
        if declaration.delete:
            rows.delete()
        else:
            rows.update(**declaration.erase)
        changed[declaration.model] = len(ids)
    return changed
