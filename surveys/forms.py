"""The resident's survey form: one field per question, built from the survey's questions.

Scale questions are five large radio buttons with words; free-text questions are optional.
The service checks the answers again and writes them.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from welfare_net.forms import OneTimeSubmissionForm

from .models import Answer, Question
from .services import TEXT_MAX, AnswerValue, question_field

SCALE_REQUIRED = _("Question %(number)d: choose an answer from 1 to 5.")
# The words under each number of the scale, from "not at all" to "very much".
SCALE_CHOICES = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


class SurveyAnswerForm(OneTimeSubmissionForm):
    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        answers: Sequence[Answer] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        given = {answer.question_id: answer for answer in answers}
        for number, question in enumerate(self.questions, start=1):
            name = question_field(question)
            previous = given.get(question.pk)
            if question.kind == Question.Kind.SCALE:
                # The error list at the top of the page says which question it is about.
                missing = SCALE_REQUIRED % {"number": number}
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=SCALE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": missing, "invalid_choice": missing},
                )
                if previous is not None and not self.is_bound:
                    self.initial[name] = previous.score
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "max_length": _(
                            "Please keep your answer under %(limit_value)d characters "
                            "(now %(show_value)d)."
                        ),
                    },
                )
                if previous is not None and not self.is_bound:
                    self.initial[name] = previous.text

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        """Each question with its field, in the survey's order."""
        return [(question, self[question_field(question)]) for question in self.questions]

    def answers(self) -> dict[int, AnswerValue]:
        """question id -> the score or the text, from the cleaned data."""
        return {
            question.pk: self.cleaned_data.get(question_field(question))
            for question in self.questions
        }
