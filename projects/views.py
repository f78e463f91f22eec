"""The public project pages: the searchable list, one project's page, joining a project."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe, require_POST

from residents.models import User
from welfare_net.page_cache import public_page

from .filters import ProjectFilter
from .forms import JoinProjectForm
from .models import Area, Participation, Project
from .selectors import active_roles_in_project, projects_public
from .services import JOINABLE_AREAS, participation_join

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
