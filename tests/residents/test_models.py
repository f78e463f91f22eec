import re

from django.apps import apps

# A resident registration number (주민등록번호) is never collected: no model may have a field
# that looks like one.
FORBIDDEN = re.compile(r"registration|rrn|jumin|resident_?(id|number|no)|national_?id|ssn", re.I)


def test_no_model_has_a_field_for_a_resident_registration_number() -> None:
    suspicious = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if FORBIDDEN.search(field.name) or FORBIDDEN.search(str(getattr(field, "verbose_name", "")))
    ]

    assert suspicious == []
