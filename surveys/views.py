"""The resident's survey pages: the surveys open to me, answering (and changing my answers
while a survey is open), a follow-up about the help I received, thank you.

Doors only. A survey that is closed, not published or not for this person is a page that
says so, never an error; a follow-up offered to someone else is a 404.
"""

from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from residents.models import User

from . import selectors, services
from .forms import SurveyAnswerForm
from .models import FollowUpInvitation, Response, Survey


def _user(request: HttpRequest) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def _not_open(
    request: HttpRequest, survey: Survey | None, reason: str, status: int
) -> HttpResponse:
    context = {"survey": survey, "reason": reason}
    return render(request, "surveys/not_open.html", context, status=status)


def survey_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = _user(request)
    page = (
        selectors.surveys_for(user=user, today=today)
        if user is not None
        else selectors.surveys_for_visitors(today=today)
    )
    return render(request, "surveys/list.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_with_questions(pk=pk)
    today = timezone.localdate()
    if survey is None or not survey.is_published or survey.kind != Survey.Kind.YEARLY:
        return _not_open(request, None, "unknown", status=404)
    if not selectors.survey_is_open(survey, today):
        return _not_open(request, survey, "closed" if survey.starts_on <= today else "soon", 200)
    user = _user(request)
    district_id = selectors.district_id_of(user) if user is not None else None
    if not selectors.may_answer(survey=survey, user=user, district_id=district_id):
        if user is None or district_id is None:  # log in, or tell us where you live, first
            step = reverse("account_login" if user is None else "residents:profile")
            return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return _not_open(request, survey, "not_for_you", status=403)
    previous = selectors.response_of(survey=survey, respondent=user) if user else None
    return _answer_page(request, survey=survey, user=user, previous=previous)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    invitation = selectors.follow_up_of(user=user, pk=pk)
    if invitation is None:
        raise Http404
    survey = selectors.survey_with_questions(pk=invitation.survey_id)
    assert survey is not None  # the invitation's survey cannot be deleted before it
    if not selectors.survey_is_open(survey, timezone.localdate()):
        return _not_open(request, survey, "closed", status=200)
    previous = selectors.response_of(
        survey=survey, respondent=user, subject_key=invitation.subject_key
    )
    return _answer_page(request, survey=survey, user=user, previous=previous, invitation=invitation)


def _answer_page(
    request: HttpRequest,
    *,
    survey: Survey,
    user: User | None,
    previous: Response | None,
    invitation: FollowUpInvitation | None = None,
) -> HttpResponse:
    questions = list(survey.questions.all())
    answers = list(previous.answers.all()) if previous is not None else []
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.response_submit(
                    survey=survey,
                    respondent=user,
                    answers=form.answers(),
                    submission_key=form.cleaned_data["submission_key"],
                    subject_key=invitation.subject_key if invitation else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("surveys:thanks", pk=survey.pk)
    else:
        form = SurveyAnswerForm(questions=questions, answers=answers)
    context = {
        "survey": survey,
        "form": form,
        "editing": previous is not None,
        "invitation": invitation,
    }
    return render(request, "surveys/answer.html", context)


def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    survey = Survey.objects.filter(pk=pk, is_published=True).first()
    if survey is None:
        raise Http404
    can_change = (
        request.user.is_authenticated
        and survey.kind == Survey.Kind.YEARLY
        and selectors.survey_is_open(survey, timezone.localdate())
    )
    return render(request, "surveys/thanks.html", {"survey": survey, "can_change": can_change})
