"""The public project pages: the searchable list, one project's page, joining a project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from residents.models import User
from welfare_net.page_cache import public_page

from .filters import ProjectFilter
from .forms import JoinProjectForm
from .models import Area, Participation, Project
from .selectors import active_roles_in_project, projects_public
from .services import (
    JOINABLE_AREAS,
    coordinator_invitation_accept,
    coordinator_invitation_check,
    coordinator_invitation_find,
    participation_join,
)

PAGE_SIZE = 20
# The list's own query parameters: its filters (filters.ProjectFilter) and the page number.
PROJECT_LIST_QUERY = ("q", "area", "neighbourhood", "target_group", "status", "page")


@require_safe
@public_page(query=PROJECT_LIST_QUERY)
def project_list(request: HttpRequest) -> HttpResponse:
    project_filter = ProjectFilter(request.GET, queryset=projects_public())
    page = Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {"filter": project_filter, "page_obj": page, "projects": page.object_list},
    )


@require_safe
@public_page
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(projects_public(), pk=pk)
    is_open = project.status == Project.Status.OPEN
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "is_open": is_open,
            "can_join": is_open and project.area in JOINABLE_AREAS,
            "can_offer_talent": is_open and project.area == Area.TALENT,
            "is_donation_area": project.area == Area.DONATION,
            "joined_roles": active_roles_in_project(user=request.user, project=project),
            "roles": Participation.Role,
        },
    )


@require_POST
def project_join(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(projects_public(), pk=pk)
    detail_url = reverse("projects:detail", args=[project.pk])
    if not isinstance(request.user, User):
        # Back to the project page after logging in: this address only takes a form.
        return redirect_to_login(detail_url)
    form = JoinProjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you want to take part."))
        return redirect(detail_url)
    try:
        participation_join(resident=request.user, project=project, role=form.cleaned_data["role"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(detail_url)
    messages.success(
        request,
        _("You have joined “%(project)s” (%(role)s). The provider will contact you.")
        % {"project": project.title, "role": Participation.Role(form.cleaned_data["role"]).label},
    )
    return redirect(detail_url)


# Why an invitation is refused, as a status: someone else's is not theirs to use (403); a used,
# cancelled or expired one is gone (410).
_REFUSED_STATUS = {"invitation_other_email": 403, "has_role": 403}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coordinator_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person, logged in with the invited email, accepts to be a coordinator."""
    invitation = coordinator_invitation_find(token=token)
    if invitation is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)  # login_required
    template = "projects/coordinator_invitation.html"
    try:
        if request.method == "POST":
            coordinator_invitation_accept(invitation=invitation, user=user)
        else:
            coordinator_invitation_check(invitation=invitation, user=user)
    except ValidationError as error:
        status = _REFUSED_STATUS.get(str(error.code), 410)
        return render(request, template, {"refused": " ".join(error.messages)}, status=status)
    if request.method != "POST":
        return render(request, template, {"invitation": invitation})
    messages.success(request, _("You are now a coordinator. Your queue is ready."))
    return redirect("queue:index")
