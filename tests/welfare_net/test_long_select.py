"""``LongSelect`` draws the same drop-down as Django's ``Select``, without a template per option."""

import re

import pytest
from django import forms

from welfare_net.forms import LongSelect

CHOICES = [
    ("", "No preference"),
    (1, "반찬 나눔"),
    (2, 'Tom & Jerry\'s "club" <script>alert(1)</script>'),
    (3, "건강 체조"),
]
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def select_attributes(html: str) -> list[str]:
    opening = re.match(r"<select([^>]*)>", html)
    assert opening is not None
    return sorted(opening.group(1).split())


@pytest.mark.parametrize("value", [None, "", 2, "3", 99])
def test_the_options_and_the_chosen_one_are_those_djangos_select_draws(value: object) -> None:
    attrs = {"id": "id_project", "aria-describedby": "id_project_helptext", "required": True}
    ours = LongSelect(choices=CHOICES).render("project", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("project", value, attrs=attrs)

    assert options(ours) == options(django)
    assert len(options(ours)) == len(CHOICES)
    assert select_attributes(ours) == select_attributes(django)


def test_labels_and_values_are_escaped() -> None:
    html = LongSelect(choices=[('"><b>', "<script>alert(1)</script>")]).render("x", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_choices_are_read_only_when_drawn() -> None:
    reads: list[int] = []

    def lazy() -> list[tuple[str, str]]:
        reads.append(1)
        return [("1", "one")]

    from django.utils.choices import CallableChoiceIterator

    widget = LongSelect()
    widget.choices = CallableChoiceIterator(lazy)
    assert reads == []
    assert 'value="1"' in widget.render("x", None)
    assert reads == [1]
