"""``manage.py ensure_followup_survey``: the standard follow-up for a district, once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Survey
from tests.surveys.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_the_command_gives_each_district_one_published_follow_up_survey() -> None:
    districts = DistrictFactory.create_batch(2)
    out = StringIO()

    call_command("ensure_followup_survey", stdout=out)
    call_command("ensure_followup_survey", stdout=StringIO())

    surveys = Survey.objects.filter(kind=Survey.Kind.FOLLOW_UP, is_published=True)
    assert sorted(surveys.values_list("district_id", flat=True)) == sorted(d.pk for d in districts)
    assert out.getvalue().count("(published)") == 2


def test_the_command_can_name_one_district_and_refuses_an_unknown_code() -> None:
    district, other = DistrictFactory.create_batch(2)

    call_command("ensure_followup_survey", "--district", district.code, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("ensure_followup_survey", "--district", "nowhere", stdout=StringIO())

    assert list(Survey.objects.values_list("district_id", flat=True)) == [district.pk]
    assert not Survey.objects.filter(district=other).exists()
