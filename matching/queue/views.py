"""The coordinator queue's doors: the tabs, a case, a referral, and the decisions.

Only staff members reach it; anyone else gets 404 (the queue does not admit it exists).
Every decision is a plain POST that redirects back to where it came from (the tab with its
filters, or the case); with htmx a list row is replaced in place by the decision's result.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast
from urllib.parse import urlsplit
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residents.models import PersonalDataAccess, User
from residents.services import personal_data_access_record, personal_data_accesses_record
from welfare_net.http import safe_next

from .. import services
from ..models import SupportApplication
from ..services import (
    connection_record_outcome,
    referral_close,
    referral_convert,
    referral_record_contact,
)
from . import forms, selectors

P = ParamSpec("P")
Status = SupportApplication.Status
PAGE_SIZE = 25


def queue_required(
    view: Callable[Concatenate[HttpRequest, selectors.QueueScope, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Logged in, with a staff member row; anyone else is told the page does not exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        scope = selectors.queue_scope_for(request.user)
        if scope is None:
            raise Http404
        return view(request, scope, *args, **kwargs)

    return login_required(wrapped)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return HttpResponseRedirect(safe_next(request, request.POST.get("next", ""), fallback))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _tabs_again(request: HttpRequest, scope: selectors.QueueScope) -> dict[str, Any]:
    """The tab bar, swapped in out of band with an in-place decision so that its counts follow;
    the current tab is read from the list address the row was decided on."""
    tab = QueryDict(urlsplit(request.POST.get("next", "")).query).get("tab", "")
    return {
        "tabs": selectors.TABS,
        "counts": selectors.queue_counts(scope),
        "current_tab": tab if tab in selectors.TABS else selectors.TAB_PROPOSALS,
        "oob": True,
    }


@queue_required
def index(request: HttpRequest, scope: selectors.QueueScope) -> HttpResponse:
    form = forms.QueueFilterForm(request.GET, neighbourhoods=scope.neighbourhoods)
    filters = form.filters()
    page = Paginator(selectors.queue_rows(scope, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Each line shows a person's name and need: the page is a personal-data view too.
    personal_data_accesses_record(
        viewer=_user(request),
        view_name="queue:index",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
        subjects=selectors.access_subjects(page),
    )
    context = {
        "form": form,
        "filters": filters,
        "tabs": selectors.TABS,
        "counts": selectors.queue_counts(scope),
        "page_obj": page,
        "rows": [selectors.queue_row(item) for item in page],
        "scope": scope,
    }
    return render(request, "queue/index.html", context)


def _application_context(
    request: HttpRequest, scope: selectors.QueueScope, public_id: UUID
) -> dict[str, Any]:
    case = selectors.application_case(scope, public_id)
    if case is None:
        raise Http404
    application, accepted = case.application, case.accepted
    return {
        "application": application,
        "row": selectors.queue_row(application),
        "household_label": selectors.household_label(application.household_type),
        "events": case.events,
        "proposals": [(p, selectors.reason_words(p.reasons or {})) for p in case.proposals],
        "waiting": case.waiting,
        "accepted": accepted,
        "options": case.options,
        "accept_form": forms.AcceptForm(),
        "reject_form": forms.RejectForm(),
        "hold_form": forms.HoldForm(),
        "reassign_form": forms.ReassignForm(projects=[o.project for o in case.options]),
        # Only an accepted connection awaits its outcome; once recorded, the form is gone.
        "outcome_form": (
            forms.OutcomeForm() if accepted and application.status == Status.ACCEPTED else None
        ),
    }


@queue_required
def application_detail(
    request: HttpRequest, scope: selectors.QueueScope, public_id: UUID
) -> HttpResponse:
    context = _application_context(request, scope, public_id)
    application = context["application"]
    personal_data_access_record(
        viewer=_user(request),
        view_name="queue:application",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
        subject_user=application.applicant,
        subject_application_id=application.pk,
    )
    return render(request, "queue/application.html", context)


DECISION_FORMS: dict[str, type[forms.forms.Form]] = {
    "accept": forms.AcceptForm,
    "reject": forms.RejectForm,
    "hold": forms.HoldForm,
}


@queue_required
@require_POST
def proposal_decide(
    request: HttpRequest, scope: selectors.QueueScope, pk: int, action: str
) -> HttpResponse:
    proposal = selectors.proposal_in_scope(scope, pk)
    if proposal is None or action not in {*DECISION_FORMS, "reassign"}:
        raise Http404
    user = _user(request)
    case_url = reverse("queue:application", args=[proposal.application.public_id])
    if action == "reassign":
        options = services.reassign_options(
            application=proposal.application, exclude_project_ids=[proposal.project_id]
        )
        form: forms.forms.Form = forms.ReassignForm(
            request.POST, projects=[o.project for o in options]
        )
    else:
        form = DECISION_FORMS[action](request.POST)
    ok = False
    if not form.is_valid():
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        note = form.cleaned_data.get("note", "")
        try:
            if action == "accept":
                services.proposal_approve(proposal=proposal, by=user, note=note)
                text = _("Accepted: %(name)s is connected to “%(project)s”.")
            elif action == "reject":
                services.proposal_decline(proposal=proposal, by=user, note=note)
                text = _("Rejected: %(name)s goes back to matching.")
            elif action == "hold":
                services.proposal_hold(proposal=proposal, by=user, note=note)
                text = _("On hold: %(name)s.")
            else:
                new = services.proposal_reassign(
                    proposal=proposal, project=form.cleaned_data["project"], by=user, note=note
                )
                proposal.project = new.project
                text = _("Accepted: %(name)s is connected to “%(project)s”.")
            text = text % {
                "name": proposal.application.applicant_name,
                "project": proposal.project.title,
            }
            ok = True
        except ValidationError as error:
            text = " ".join(error.messages)
    if _is_htmx(request):
        context = {"ok": ok, "text": text, "case_url": case_url, **_tabs_again(request, scope)}
        return render(request, "queue/_row_result.html", context)
    (messages.success if ok else messages.error)(request, text)
    return _back(request, case_url)


@queue_required
@require_POST
def bulk_accept(request: HttpRequest, scope: selectors.QueueScope) -> HttpResponse:
    form = forms.BulkAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one proposal to accept."))
        return _back(request, reverse("queue:index"))
    chosen = selectors.proposals_in_scope(scope, form.cleaned_data["proposals"])
    for result in services.proposals_bulk_accept(proposals=chosen, by=_user(request)):
        name = result.proposal.application.applicant_name
        text = f"{name} · {result.proposal.project.title}: {result.message}"
        (messages.success if result.accepted else messages.error)(request, text)
    return _back(request, reverse("queue:index"))


@queue_required
@require_POST
def application_outcome(
    request: HttpRequest, scope: selectors.QueueScope, public_id: UUID
) -> HttpResponse:
    application = selectors.application_in_scope(scope, public_id)
    if application is None:
        raise Http404
    case_url = reverse("queue:application", args=[public_id])
    proposal = selectors.accepted_proposal(application)
    form = forms.OutcomeForm(request.POST)
    if proposal is None or not form.is_valid():
        messages.error(request, _("Choose an outcome and a date."))
        return redirect(case_url)
    try:
        connection_record_outcome(by=_user(request), proposal=proposal, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect(case_url)


@queue_required
def referral_detail(
    request: HttpRequest, scope: selectors.QueueScope, public_id: UUID
) -> HttpResponse:
    referral = selectors.referral_in_scope(scope, public_id)
    if referral is None:
        raise Http404
    personal_data_access_record(
        viewer=_user(request),
        view_name="queue:referral",
        reason=PersonalDataAccess.Reason.REFERRAL_CONTACT,
        subject_referral_id=referral.pk,
    )
    context = {
        "referral": referral,
        "row": selectors.queue_row(referral),
        "contact_form": forms.ReferralContactForm(),
        "close_form": forms.ReferralCloseForm(),
        "convert_form": forms.ReferralConvertForm(),
    }
    return render(request, "queue/referral.html", context)


@queue_required
@require_POST
def referral_act(
    request: HttpRequest, scope: selectors.QueueScope, public_id: UUID, action: str
) -> HttpResponse:
    referral = selectors.referral_in_scope(scope, public_id)
    services_by_action: dict[str, Callable[..., object]] = {
        "contact": referral_record_contact,
        "convert": referral_convert,
        "close": referral_close,
    }
    service = services_by_action.get(action)
    if referral is None or service is None:
        raise Http404
    form_class: type[forms.forms.Form] = {
        "contact": forms.ReferralContactForm,
        "close": forms.ReferralCloseForm,
        "convert": forms.ReferralConvertForm,
    }[action]
    form = form_class(request.POST)
    url = reverse("queue:referral", args=[public_id])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for es in form.errors.values() for e in es))
        return redirect(url)
    try:
        arguments = (
            form.service_arguments()
            if isinstance(form, forms.ReferralConvertForm)
            else form.cleaned_data
        )
        service(referral=referral, by=_user(request), **arguments)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(url)
