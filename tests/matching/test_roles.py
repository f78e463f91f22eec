import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_district_staff_may_read_but_not_change_applications_proposals_and_notifications() -> None:
    codenames = set(
        Group.objects.get(name="district staff")
        .permissions.filter(content_type__app_label="matching")
        .values_list("codename", flat=True)
    )

    assert codenames == {
        "view_supportapplication",
        "view_applicationevent",
        "view_referral",
        "view_matchrun",
        "view_matchproposal",
        "view_notification",
    }
