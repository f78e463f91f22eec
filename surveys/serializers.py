"""What the API shows a resident of the surveys they may answer and of their own answers,
and what it takes to answer: one entry per question, a score from 1 to 5 or a text."""

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import Area
from welfare_net import api_fields
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from .models import SCORE_MAX, SCORE_MIN, Answer, Dimension, FollowUpInvitation, Question, Survey
from .models import Response as SurveyResponse
from .services import TEXT_MAX, AnswerValue


class QuestionSerializer(serializers.ModelSerializer[Question]):
    kind = EnumField(Question.Kind.choices, enum_name="QuestionKindEnum")
    dimension = serializers.ChoiceField(
        choices=Dimension.choices,
        allow_blank=True,
        help_text="What a scale question measures; empty for a free-text question.",
    )

    class Meta:
        model = Question
        fields = ["id", "order", "text", "kind", "dimension"]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    question = serializers.IntegerField(source="question_id", help_text="The question's id.")

    class Meta:
        model = Answer
        fields = ["question", "score", "text"]
        read_only_fields = fields


class MySurveySerializer(serializers.ModelSerializer[Survey]):
    """A yearly survey open to the resident now."""

    answered = serializers.BooleanField(help_text="Whether the resident has answered it.")

    class Meta:
        model = Survey
        fields = ["id", "title", "description", "starts_on", "ends_on", "answered"]
        read_only_fields = fields


class SurveyQuestionsSerializer(serializers.ModelSerializer[Survey]):
    """A survey with its questions in order, and the resident's current answers."""

    is_open = serializers.SerializerMethodField()
    questions = QuestionSerializer(many=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "is_open",
            "questions",
            "answers",
        ]
        read_only_fields = fields

    def get_is_open(self, survey: Survey) -> bool:
        return bool(self.context["is_open"])

    def get_answers(self, survey: Survey) -> list[dict[str, Any]]:
        """The resident's answers so far ([] before they answer); changeable while open."""
        previous: SurveyResponse | None = self.context.get("response")
        answers = previous.answers.all() if previous is not None else Answer.objects.none()
        return list(AnswerSerializer(answers, many=True).data)


class SurveyTitleSerializer(serializers.ModelSerializer[Survey]):
    kind = EnumField(Survey.Kind.choices, enum_name="SurveyKindEnum")

    class Meta:
        model = Survey
        fields = ["id", "title", "kind"]
        read_only_fields = fields


class MyFollowUpSerializer(serializers.ModelSerializer[FollowUpInvitation]):
    """A short follow-up offered after support was delivered to the resident."""

    survey = SurveyTitleSerializer()
    area = serializers.ChoiceField(
        choices=Area.choices, allow_blank=True, help_text="The area of the support."
    )

    class Meta:
        model = FollowUpInvitation
        fields = ["id", "survey", "area", "delivered_on", "answered_at"]
        read_only_fields = fields


class MySurveyResponseSerializer(serializers.ModelSerializer[SurveyResponse]):
    survey = SurveyTitleSerializer()
    answers = AnswerSerializer(many=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "submitted_at", "updated_at", "answers"]
        read_only_fields = fields


class AnswerInputSerializer(JsonInput, serializers.Serializer[Any]):
    question = serializers.IntegerField(min_value=1, help_text="The question's id.")
    score = serializers.IntegerField(
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        allow_null=True,
        required=False,
        help_text="For a scale question (all required): 1 (strongly disagree) to 5.",
    )
    text = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        help_text="For a free-text question (optional).",
    )


class SurveyAnswerSerializer(JsonInput, serializers.Serializer[Any]):
    """The resident's answers, one entry a question. Errors about a question are named
    ``question_<id>``. Answering again replaces the answers while the survey is open."""

    answers = serializers.ListField(child=AnswerInputSerializer(), max_length=200)
    submission_key = api_fields.UUIDField(
        default=uuid.uuid4,
        help_text="A UUID the app makes once per form it shows: sending the same key again "
        "returns the response already made. Optional.",
    )

    def validate_answers(self, value: list[dict[str, Any]]) -> dict[int, AnswerValue]:
        """question id -> the score or the text, as ``services.response_submit`` takes them."""
        questions = [entry["question"] for entry in value]
        if len(set(questions)) != len(questions):
            # The document cannot say "unique by question": well formed, so 422.
            raise serializers.ValidationError(_("Answer each question once."), code="unprocessable")
        return {
            entry["question"]: entry["score"]
            if entry.get("score") is not None
            else entry.get("text", "")
            for entry in value
        }
