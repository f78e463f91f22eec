"""What the API shows a donor of their own pledges and receipts, and what it takes to
pledge: the website's form in JSON (one amount in won rather than the form's quick choices),
with the same rules and words."""

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Project
from projects.serializers import ProjectTitleSerializer
from welfare_net import api_fields
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from . import selectors
from .forms import (
    AMOUNT_INVALID,
    GOODS_QUANTITY_INVALID,
    MAX_AMOUNT_WON,
    MAX_GOODS_QUANTITY,
    PROJECT_NOT_OPEN,
)
from .models import DonationPledge, DonationReceipt


class ReceiptRefSerializer(serializers.ModelSerializer[DonationReceipt]):
    class Meta:
        model = DonationReceipt
        fields = ["id", "number"]
        read_only_fields = fields


class MyPledgeSerializer(serializers.ModelSerializer[DonationPledge]):
    project = ProjectTitleSerializer()
    kind = EnumField(DonationPledge.Kind.choices, enum_name="PledgeKindEnum")
    kind_label = serializers.CharField(source="get_kind_display")
    status = EnumField(DonationPledge.Status.choices, enum_name="PledgeStatusEnum")
    status_label = serializers.CharField(source="get_status_display")
    receipt = serializers.SerializerMethodField()

    class Meta:
        model = DonationPledge
        fields = [
            "id",
            "project",
            "kind",
            "kind_label",
            "amount_won",
            "goods_description",
            "goods_quantity",
            "anonymous",
            "status",
            "status_label",
            "received_at",
            "receipt",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReceiptRefSerializer(allow_null=True))
    def get_receipt(self, pledge: DonationPledge) -> Any:
        """The tax receipt of a received money pledge, once issued."""
        receipt = getattr(pledge, "receipt", None)  # a missing one-to-one raises otherwise
        return ReceiptRefSerializer(receipt).data if receipt is not None else None


class MyPledgeCreateSerializer(JsonInput, serializers.Serializer[Any]):
    """Money (``amount_won``) or goods (``goods_description`` and ``goods_quantity``) for an
    open project. Validates ``project`` to the ``Project``."""

    project = api_fields.UUIDField(
        help_text="The id of an open project.",
        error_messages={"required": _("Which project: choose one from the list.")},
    )
    kind = EnumField(
        DonationPledge.Kind.choices,
        enum_name="PledgeKindEnum",
        error_messages={
            "required": _("Choose money or goods."),
            "invalid_choice": _("Choose money or goods."),
        },
    )
    amount_won = serializers.IntegerField(
        min_value=1,
        max_value=MAX_AMOUNT_WON,
        allow_null=True,
        default=None,
        help_text="For money: whole won.",
        error_messages={
            "invalid": AMOUNT_INVALID,
            "min_value": AMOUNT_INVALID,
            "max_string_length": AMOUNT_INVALID,
            "max_value": _(
                "Another amount: for more than 10 billion won, please call the district office."
            ),
        },
    )
    goods_description = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        help_text="For goods: what, e.g. rice 10 kg.",
        error_messages={
            "max_length": _("What you will give: please keep it under {max_length} characters."),
        },
    )
    goods_quantity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_GOODS_QUANTITY,
        allow_null=True,
        default=None,
        help_text="For goods: the number of bags, boxes or pieces.",
        error_messages={
            "invalid": GOODS_QUANTITY_INVALID,
            "min_value": GOODS_QUANTITY_INVALID,
            "max_string_length": GOODS_QUANTITY_INVALID,
            "max_value": _("How many: please enter at most {max_value}."),
        },
    )
    anonymous = serializers.BooleanField(
        default=False, help_text="Hide the donor's name in public (never on the receipt)."
    )
    submission_key = api_fields.UUIDField(
        default=uuid.uuid4,
        help_text="A UUID the app makes once per form it shows: sending the same key again "
        "returns the pledge already made instead of a second one. Optional.",
    )

    def validate_project(self, value: uuid.UUID) -> Project:
        project = selectors.project_open_for_pledges(public_id=value)
        if project is None:
            raise serializers.ValidationError(PROJECT_NOT_OPEN, code="unavailable")
        return project


class MyReceiptSerializer(serializers.ModelSerializer[DonationReceipt]):
    """A donation receipt for tax purposes, as printed from the website."""

    pledge = serializers.IntegerField(source="pledge_id", help_text="The pledge's id.")
    project = ProjectTitleSerializer(source="pledge.project")
    district_name = serializers.CharField(source="district.name")

    class Meta:
        model = DonationReceipt
        fields = [
            "id",
            "number",
            "issued_on",
            "year",
            "amount_won",
            "donor_name",
            "organisation_name",
            "project",
            "pledge",
            "district_name",
        ]
        read_only_fields = fields
