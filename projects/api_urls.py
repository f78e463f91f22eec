"""The projects app's API routes, included at /api/ (names in the "api" namespace)."""

from django.urls import URLPattern, URLResolver, path

from . import apis, hsds_apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/", apis.ProjectListApi.as_view(), name="project-list"),
    path("projects/<uuid:public_id>/", apis.ProjectDetailApi.as_view(), name="project-detail"),
    path("areas/", apis.AreaListApi.as_view(), name="area-list"),
    path("neighbourhoods/", apis.NeighbourhoodListApi.as_view(), name="neighbourhood-list"),
    # The staff's doors: their own paths, so the public ones stay read-only.
    path("staff/projects/", apis.ProjectCreateApi.as_view(), name="project-create"),
    path(
        "staff/projects/<uuid:public_id>/",
        apis.ProjectUpdateApi.as_view(),
        name="project-update",
    ),
    path(
        "staff/projects/<uuid:public_id>/open/",
        apis.ProjectOpenApi.as_view(),
        name="project-open",
    ),
    path(
        "staff/projects/<uuid:public_id>/pause/",
        apis.ProjectPauseApi.as_view(),
        name="project-pause",
    ),
    path(
        "staff/projects/<uuid:public_id>/close/",
        apis.ProjectCloseApi.as_view(),
        name="project-close",
    ),
    # Open Referral's paths, without the trailing slash (HSDS API specification).
    path("hsds/", hsds_apis.HsdsRootApi.as_view(), name="hsds-root"),
    path("hsds/services", hsds_apis.HsdsServiceListApi.as_view(), name="hsds-service-list"),
    path(
        "hsds/services/<uuid:id>",
        hsds_apis.HsdsServiceDetailApi.as_view(),
        name="hsds-service-detail",
    ),
    path(
        "hsds/organizations",
        hsds_apis.HsdsOrganizationListApi.as_view(),
        name="hsds-organization-list",
    ),
    path(
        "hsds/organizations/<uuid:id>",
        hsds_apis.HsdsOrganizationDetailApi.as_view(),
        name="hsds-organization-detail",
    ),
]
