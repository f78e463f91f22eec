"""CSV import and export of projects, through the admin pages staff use."""

import csv
import io
from typing import Any

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from projects.models import Project, TargetGroup
from projects.resources import COLUMNS, ProjectResource
from tests.factories import ProjectFactory

from .conftest import Place

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

AREAS = ["donation", "network", "talent", "health", "education"]
HEADER = [
    "title",
    "organisation",
    "area",
    "support_type",
    "whole_district",
    "neighbourhoods",
    "target_groups",
    "household_types",
    "capacity",
    "places_taken",
    "starts_on",
    "ends_on",
    "apply_by",
]


def _row(n: int, place: Place, **overrides: str) -> dict[str, str]:
    dongs = place.neighbourhoods
    row = {
        "title": f"가져온 나눔사업 {n}",
        "organisation": place.organisation.name,
        "area": AREAS[n % len(AREAS)],
        "support_type": "goods",
        "whole_district": "0",
        # codes and names both work
        "neighbourhoods": dongs[n % len(dongs)].code
        if n % 2
        else f"{dongs[n % len(dongs)].name}; {dongs[(n + 1) % len(dongs)].code}",
        "target_groups": "older-alone;single-person",
        "household_types": "single_person",
        "capacity": str(10 + n % 5),
        "places_taken": "0",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "apply_by": "2026-05-31",
    }
    row.update(overrides)
    return row


def _csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _upload(client: Client, text: str, encoding: str = "utf-8", **headers: Any) -> Any:
    upload = SimpleUploadedFile("projects.csv", text.encode(encoding), content_type="text/csv")
    return client.post(
        reverse("admin:projects_project_import"),
        {"resource": "0", "format": "0", "import_file": upload},
        **headers,
    )


def _confirm(client: Client, preview: Any, **headers: Any) -> Any:
    form = preview.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(reverse("admin:projects_project_process_import"), form.initial, **headers)


def _export(client: Client, query: str = "") -> list[dict[str, str]]:
    data = {"format": "0", "resource": "0"} | {f"projectresource_{c}": "on" for c in COLUMNS}
    response = client.post(reverse("admin:projects_project_export") + query, data)
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # Excel reads Korean right
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_good_file_of_300_projects_is_imported_after_confirmation_and_filterable(
    staff_client: Client, jungnang: Place
) -> None:
    rows = [_row(n, jungnang) for n in range(300)]

    preview = _upload(staff_client, _csv(rows))
    assert preview.status_code == 200
    assert not Project.objects.exists()  # the preview is a dry run

    done = _confirm(staff_client, preview)

    assert done.status_code == 302
    assert Project.objects.filter(district=jungnang.district).count() == 300
    sangbong = jungnang.neighbourhoods[1]
    serving = Project.objects.filter(neighbourhoods=sangbong).count()
    assert 0 < serving < 300
    listed = staff_client.get(
        reverse("admin:projects_project_changelist"), {"neighbourhood": sangbong.pk}
    )
    assert listed.context["cl"].result_count == serving
    project = Project.objects.get(title="가져온 나눔사업 0")
    assert {g.code for g in project.target_groups.all()} == {"older-alone", "single-person"}
    assert project.household_types == ["single_person"]
    assert project.history.filter(history_user__username="jungnang-staff").exists()


def test_a_file_saved_by_korean_excel_in_cp949_is_read(
    staff_client: Client, jungnang: Place
) -> None:
    done = _confirm(staff_client, _upload(staff_client, _csv([_row(1, jungnang)]), "cp949"))

    assert done.status_code == 302
    project = Project.objects.get()
    assert project.title == "가져온 나눔사업 1"
    assert project.organisation == jungnang.organisation


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_field(
    staff_client: Client, jungnang: Place
) -> None:
    rows = [_row(n, jungnang) for n in range(300)]
    rows[149]["area"] = "welfare"

    preview = _upload(staff_client, _csv(rows), HTTP_ACCEPT_LANGUAGE="en")

    html = preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert "Area: unknown code “welfare”" in html
    [invalid] = preview.context["result"].invalid_rows
    assert invalid.number == 150
    assert not Project.objects.exists()


def test_a_confirmation_that_meets_an_error_saves_nothing_and_says_so(
    staff_client: Client, jungnang: Place
) -> None:
    rows = [_row(n, jungnang) for n in range(20)]
    rows[10]["organisation"] = "다른 복지관"
    other = ProjectFactory.create(
        district=jungnang.district, organisation__name="다른 복지관", title="다른 사업"
    )
    preview = _upload(staff_client, _csv(rows))
    # Between the preview and the confirmation, the organisation goes away.
    other.delete()
    other.organisation.delete()

    response = _confirm(staff_client, preview, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Organisation: there is no organisation named “다른 복지관”" in html
    assert not Project.objects.exists()


def test_staff_import_into_their_own_district_and_refuse_a_file_naming_another(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    header = ["district", *HEADER]
    mine = _row(1, jungnang, district="")
    theirs = _row(2, jungnang, district=nowon.district.code)

    preview = _upload(staff_client, _csv([mine, theirs], header), HTTP_ACCEPT_LANGUAGE="en")

    assert "District: you can import only into your own district, 중랑구." in (
        preview.content.decode()
    )
    assert preview.context.get("confirm_form") is None

    done = _confirm(staff_client, _upload(staff_client, _csv([mine], header)))

    assert done.status_code == 302
    assert Project.objects.get().district == jungnang.district


def test_a_superusers_file_must_name_the_district_of_each_row(
    superuser_client: Client, jungnang: Place, nowon: Place
) -> None:
    header = ["district", *HEADER]
    rows = [
        _row(1, jungnang, district="jungnang"),
        _row(2, nowon, district="노원구"),  # by name works too
    ]

    missing = _upload(superuser_client, _csv([_row(3, jungnang)]), HTTP_ACCEPT_LANGUAGE="en")
    done = _confirm(superuser_client, _upload(superuser_client, _csv(rows, header)))

    assert "District: this column is required." in missing.content.decode()
    assert done.status_code == 302
    assert set(Project.objects.values_list("district__code", flat=True)) == {"jungnang", "nowon"}


def test_an_export_has_the_same_columns_and_reimports_as_updates(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    groups = list(TargetGroup.objects.filter(code__in=["older-alone", "disability"]))
    ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        title="반찬 나눔",
        neighbourhoods=jungnang.neighbourhoods[:2],
        target_groups=groups,
        household_types=["single_person", "couple"],
        min_age=65,
    )
    ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        title="구 전체",
        whole_district=True,
        status=Project.Status.OPEN,
    )
    ProjectFactory.create(district=nowon.district, organisation=nowon.organisation)

    exported = _export(staff_client)

    assert list(exported[0]) == list(COLUMNS)
    assert {row["title"] for row in exported} == {"반찬 나눔", "구 전체"}
    row = next(r for r in exported if r["title"] == "반찬 나눔")
    assert row["district"] == "jungnang"
    assert row["neighbourhoods"] == "myeonmok-bon;sangbong-1"
    assert row["target_groups"] == "disability;older-alone"
    assert row["household_types"] == "single_person;couple"
    assert row["starts_on"] == "2026-03-01"

    for r in exported:
        r["title"] += " (고침)"
    done = _confirm(staff_client, _upload(staff_client, _csv(exported, list(COLUMNS))))

    assert done.status_code == 302
    assert set(
        Project.objects.filter(district=jungnang.district).values_list("title", flat=True)
    ) == {"반찬 나눔 (고침)", "구 전체 (고침)"}
    again = Project.objects.get(title="반찬 나눔 (고침)")
    assert set(again.neighbourhoods.all()) == set(jungnang.neighbourhoods[:2])
    assert set(again.target_groups.all()) == set(groups)
    assert Project.objects.get(title="구 전체 (고침)").status == Project.Status.OPEN


def test_staff_cannot_update_another_districts_project_by_its_public_id(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    theirs = ProjectFactory.create(district=nowon.district, organisation=nowon.organisation)
    row = _row(1, jungnang, public_id=str(theirs.public_id))

    preview = _upload(staff_client, _csv([row], ["public_id", *HEADER]), HTTP_ACCEPT_LANGUAGE="en")

    assert "there is no project" in preview.content.decode()
    assert preview.context.get("confirm_form") is None


def _errors(place: Place, **overrides: str) -> dict[str, list[str]]:
    dataset = tablib.Dataset(headers=HEADER)
    dataset.append([_row(1, place, **overrides)[h] for h in HEADER])
    with translation.override("en"):
        result = ProjectResource(district=place.district).import_data(dataset, dry_run=True)
    [invalid] = result.invalid_rows
    return invalid.error_dict


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"area": "charity"}, "area", "Area: unknown code “charity”"),
        (
            {"neighbourhoods": "없는동"},
            "neighbourhoods",
            "Neighbourhoods served: unknown neighbourhood “없는동”",
        ),
        ({"ends_on": "2026-02-01"}, "ends_on", "The end date must not be before the start"),
        ({"capacity": "3", "places_taken": "5"}, "capacity", "Capacity cannot be lower"),
        ({"starts_on": "01/03/2026"}, "starts_on", "Starts on: “01/03/2026” is not a date"),
        ({"capacity": "many"}, "capacity", "Capacity (places): “many” is not a whole number"),
        ({"target_groups": "everyone"}, "target_groups", "Target groups: unknown code"),
        ({"household_types": "castle"}, "household_types", "Household types: unknown code"),
        ({"organisation": "없는 기관"}, "organisation", "no organisation named “없는 기관”"),
    ],
)
def test_a_bad_value_is_reported_under_its_field_with_a_message_naming_it(
    jungnang: Place, overrides: dict[str, str], field: str, message: str
) -> None:
    errors = _errors(jungnang, **overrides)

    assert message in " ".join(errors[field])


def test_a_neighbourhood_of_another_district_is_named_with_its_district(
    jungnang: Place, nowon: Place
) -> None:
    errors = _errors(jungnang, neighbourhoods="myeonmok-bon;상계1동")

    assert errors["neighbourhoods"] == [
        "Neighbourhoods served: “상계1동” is a neighbourhood of another district (노원구)."
    ]


def test_a_coordinator_can_neither_import_nor_see_the_import_page(
    client: Client, jungnang: Place
) -> None:
    from projects.models import StaffMember
    from tests.factories import StaffMemberFactory

    coordinator = StaffMemberFactory.create(
        district=jungnang.district, role=StaffMember.Role.COORDINATOR
    )
    client.force_login(coordinator.user)

    assert _upload(client, _csv([_row(1, jungnang)])).status_code == 403
    assert not Project.objects.exists()


def test_the_import_page_explains_the_columns_and_their_codes(
    staff_client: Client, jungnang: Place
) -> None:
    html = staff_client.get(
        reverse("admin:projects_project_import"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "donation, network, talent, health, education" in html
    assert "older-alone" in html
    assert "rows go to your district, 중랑구." in html
