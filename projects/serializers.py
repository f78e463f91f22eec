"""What the public API shows of projects, areas and neighbourhoods: public data only.

Ids in the API are the stable public UUIDs where a model has one (projects, organisations);
reference data without one (neighbourhoods, target groups) keeps its numeric id, which the
project filters take.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from .models import District, HouseholdType, Neighbourhood, Organisation, Project, TargetGroup
from .selectors import PUBLIC_STATUSES
from .services import STAFF_PROJECT_FIELDS


class AreaSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        help_text="In the requester's language."
    )


class DistrictSummarySerializer(serializers.ModelSerializer[District]):
    class Meta:
        model = District
        fields = ["code", "name", "name_en"]


class NeighbourhoodSerializer(serializers.ModelSerializer[Neighbourhood]):
    district = DistrictSummarySerializer(read_only=True)

    class Meta:
        model = Neighbourhood
        fields = ["id", "code", "name", "name_en", "district"]


class NeighbourhoodSummarySerializer(serializers.ModelSerializer[Neighbourhood]):
    class Meta:
        model = Neighbourhood
        fields = ["id", "code", "name", "name_en"]


class TargetGroupSerializer(serializers.ModelSerializer[TargetGroup]):
    class Meta:
        model = TargetGroup
        fields = ["id", "code", "name", "name_en"]


class OrganisationSummarySerializer(serializers.ModelSerializer[Organisation]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class ProjectSerializer(serializers.ModelSerializer[Project]):
    """A public project, as its page on the website shows it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    area_label = serializers.CharField(source="get_area_display", read_only=True)
    support_type_label = serializers.CharField(source="get_support_type_display", read_only=True)
    status = serializers.ChoiceField(
        choices=[(status, Project.Status(status).label) for status in PUBLIC_STATUSES],
        read_only=True,
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    neighbourhoods = NeighbourhoodSummarySerializer(many=True, read_only=True)
    target_groups = TargetGroupSerializer(many=True, read_only=True)
    household_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    places_left = serializers.IntegerField(read_only=True)
    contact_phone = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "description",
            "area",
            "area_label",
            "support_type",
            "support_type_label",
            "status",
            "status_label",
            "organisation",
            "whole_district",
            "neighbourhoods",
            "target_groups",
            "min_age",
            "max_age",
            "household_types",
            "eligibility_note",
            "capacity",
            "places_left",
            "starts_on",
            "ends_on",
            "apply_by",
            "contact_name",
            "contact_phone",
            "contact_email",
            "url",
            "updated_at",
        ]
        read_only_fields = fields

    # As the project page: the provider's line where the project names no contact of its own.
    def get_contact_phone(self, project: Project) -> str:
        return project.contact_phone or project.organisation.phone

    def get_contact_email(self, project: Project) -> str:
        return project.contact_email or project.organisation.email

    def get_url(self, project: Project) -> str:
        """The project's page on the website."""
        path = reverse("projects:detail", args=[project.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


# --- The staff's doors ----------------------------------------------------------------------


class StaffProjectSerializer(ProjectSerializer):
    """A project as its district's staff see it: drafts too, with its district and the places
    taken."""

    status = EnumField(Project.Status.choices, enum_name="ProjectStatusEnum", read_only=True)
    district = DistrictSummarySerializer(read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "district", "places_taken", "created_at"]
        read_only_fields = fields


class RequesterDistrictMixin(serializers.Serializer[Any]):
    """For input naming a district (``district``, a code) among those the requester runs
    (``districts``, the permission's): their own unless they run several (superusers), who
    name it. Other districts are not choices."""

    def __init__(
        self, *args: Any, districts: QuerySet[District] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # None only where the schema is drawn: then no district is a choice.
        self.districts = District.objects.none() if districts is None else districts
        self.fields["district"] = serializers.SlugRelatedField(
            slug_field="code",
            queryset=self.districts,
            required=False,
            help_text=_("A district code: your own, unless you run several districts."),
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "district" not in attrs:
            only = list(self.districts[:2])
            if len(only) != 1:
                raise serializers.ValidationError({"district": _("Choose the district.")})
            attrs["district"] = only[0]
        return attrs


class ProjectWriteSerializer(
    JsonInput, RequesterDistrictMixin, serializers.ModelSerializer[Project]
):
    """What staff send to register or change a project. It checks each value on its own; the
    rules between them (dates, ages, the district of the organisation and neighbourhoods)
    are ``projects.services``'s, as in the admin. It never saves: the door calls the service.

    ``district``: see ``RequesterDistrictMixin``.
    """

    organisation = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Organisation.objects.all(), help_text=_("Its id (a UUID).")
    )
    household_types = serializers.ListField(
        child=EnumField(HouseholdType.choices, enum_name="HouseholdTypeEnum"), required=False
    )
    neighbourhoods = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Neighbourhood.objects.all(), required=False
    )
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TargetGroup.objects.all(), required=False
    )

    class Meta:
        model = Project
        fields = list(STAFF_PROJECT_FIELDS)


class ProjectTitleSerializer(serializers.ModelSerializer[Project]):
    """A project named in a resident's own record: its public id and title."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "title"]
        read_only_fields = fields


class NeighbourhoodNameSerializer(serializers.ModelSerializer[Neighbourhood]):
    """A neighbourhood named in a resident's own record."""

    class Meta:
        model = Neighbourhood
        fields = ["id", "name", "name_en"]
        read_only_fields = fields
