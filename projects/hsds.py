"""Projects as Open Referral HSDS 3.1 objects: pure functions from rows to JSON-ready dicts.

HSDS (the Human Services Data Specification) is how directories of social services exchange
their data: https://docs.openreferral.org/en/latest/hsds/schema_reference.html. The mapping:

- a public project is a ``service``; its organisation the ``organization``;
- the neighbourhoods it serves are its ``service_areas`` (the whole district: one area);
- its free places are a ``service_capacity`` (HSDS 3.1) in the unit "place";
- the five areas are a ``taxonomy``; a project's area is an ``attribute`` with its term.

Every id is a UUID that stays the same from one request to the next: the project's and the
organisation's ``public_id``, and for objects without a row of their own a name-based UUID
(uuid5) of what they stand for. The functions read only the rows given (with the relations
``projects_for_hsds()`` loads), never the database, and use no request.
"""

import uuid
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Area, Organisation, Project
from .templatetags.project_tags import local_name

HSDS_VERSION = "3.1"
# The base HSDS profile (this feed adds no profile of its own).
HSDS_PROFILE = "https://openreferral.org/imports/hsds/"

# The root of every name-based id in this feed. Never change it: every id would change.
NAMESPACE = uuid.UUID("6f1c3c1e-5d0b-4a8e-9a57-2f0d7c4b9e10")

SERVICE_STATUS = {
    Project.Status.OPEN: "active",
    # HSDS's own word for a service that stops for a while and comes back.
    Project.Status.PAUSED: "temporarily closed",
    Project.Status.CLOSED: "defunct",
}


def stable_id(*parts: object) -> str:
    """The name-based UUID of ``parts`` (e.g. ``"taxonomy_term", "area", "health"``)."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


AREA_TAXONOMY_ID = stable_id("taxonomy", "area")
PLACE_UNIT_ID = stable_id("unit", "place")


def area_term_id(code: str) -> str:
    return stable_id("taxonomy_term", "area", code)


def area_for_term_id(term_id: str) -> str | None:
    """The area a taxonomy term id stands for, or None for an id of no area."""
    return next((area.value for area in Area if area_term_id(area.value) == term_id), None)


def feed_description() -> str:
    return _("The public sharing projects of the district welfare platform, as services.")


def area_taxonomy() -> dict[str, Any]:
    return {
        "id": AREA_TAXONOMY_ID,
        "name": _("Areas of the welfare platform"),
        "description": _("The five areas in which residents take part and get support."),
        "version": "1",
    }


def area_term(code: str) -> dict[str, Any]:
    return {
        "id": area_term_id(code),
        "code": code,
        "name": str(Area(code).label),
        "description": str(Area(code).label),
        "taxonomy_id": AREA_TAXONOMY_ID,
        "taxonomy_detail": area_taxonomy(),
    }


def _without_blanks(data: dict[str, Any]) -> dict[str, Any]:
    # HSDS types its optional fields strictly (a string, a number): absent beats null or "".
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def organization(organisation: Organisation) -> dict[str, Any]:
    org_id = str(organisation.public_id)
    phones = []
    if organisation.phone:
        phones.append({"id": stable_id(org_id, "phone"), "number": organisation.phone})
    data = _without_blanks(
        {
            "id": org_id,
            "name": organisation.name,
            "email": organisation.email,
            "website": organisation.website,
            "phones": phones,
        }
    )
    data["description"] = organisation.description  # required by HSDS, even when empty
    return data


def _eligibility(project: Project) -> str:
    parts = [project.eligibility_note.strip()]
    groups = ", ".join(local_name(group) for group in project.target_groups.all())
    if groups:
        parts.append(_("For: %(groups)s.") % {"groups": groups})
    return " ".join(part for part in parts if part)


def _application_process(project: Project, page_url: str) -> str:
    parts = [_("Apply on the project's page: %(url)s") % {"url": page_url}]
    phone = project.contact_phone or project.organisation.phone
    if phone:
        parts.append(_("Or call %(phone)s.") % {"phone": phone})
    if project.apply_by:
        parts.append(
            _("Applications close on %(date)s.")
            % {"date": date_format(project.apply_by, "DATE_FORMAT")}
        )
    return " ".join(parts)


def _service_areas(project: Project, service_id: str) -> list[dict[str, Any]]:
    if project.whole_district:
        return [
            {
                "id": stable_id(service_id, "service_area", "district"),
                "service_id": service_id,
                "name": local_name(project.district),
                "description": _("The whole district"),
            }
        ]
    return [
        {
            "id": stable_id(service_id, "service_area", neighbourhood.code),
            "service_id": service_id,
            "name": local_name(neighbourhood),
            "description": f"{local_name(neighbourhood)}, {local_name(project.district)}",
        }
        for neighbourhood in project.neighbourhoods.all()
    ]


def _capacity(project: Project, service_id: str) -> dict[str, Any]:
    return {
        "id": stable_id(service_id, "capacity"),
        "service_id": service_id,
        "unit": {"id": PLACE_UNIT_ID, "name": _("place")},
        "available": project.places_left,
        "maximum": project.capacity,
        "description": _("Free places in this project"),
        "updated": project.updated_at.isoformat(),
    }


def _area_attribute(project: Project, service_id: str) -> dict[str, Any]:
    return {
        "id": stable_id(service_id, "attribute", "area"),
        "link_id": service_id,
        "link_type": "service_type",
        "link_entity": "service",
        "taxonomy_term_id": area_term_id(project.area),
        "taxonomy_term": area_term(project.area),
    }


def service(project: Project, *, site_url: str) -> dict[str, Any]:
    """A public project as a fully nested HSDS ``service``. ``site_url`` is the address the
    site is served at (``https://example.org``), for links to the project's page."""
    service_id = str(project.public_id)
    page_url = site_url.rstrip("/") + reverse("projects:detail", args=[project.pk])
    phone = project.contact_phone or project.organisation.phone
    data = _without_blanks(
        {
            "id": service_id,
            "organization_id": str(project.organisation.public_id),
            "name": project.title,
            "description": project.description,
            "url": page_url,
            "email": project.contact_email or project.organisation.email,
            "status": SERVICE_STATUS.get(Project.Status(project.status), "inactive"),
            "application_process": _application_process(project, page_url),
            "eligibility_description": _eligibility(project),
            "minimum_age": project.min_age,
            "maximum_age": project.max_age,
            "last_modified": project.updated_at.isoformat(),
            "phones": [{"id": stable_id(service_id, "phone"), "number": phone}] if phone else [],
            "service_areas": _service_areas(project, service_id),
            "capacities": [_capacity(project, service_id)],
            "attributes": [_area_attribute(project, service_id)],
        }
    )
    data["organization"] = organization(project.organisation)
    return data


def page(
    contents: list[dict[str, Any]], *, total_items: int, page_number: int, per_page: int
) -> dict[str, Any]:
    """HSDS's paginated list; its ``size`` is the number of entities on this page."""
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total_items == 0,
        "contents": contents,
    }
