"""The staff admin of surveys: staff define their district's surveys and questions, and read
the responses and the results. Answers are never edited here; the respondent's name is never
shown (the figures need the answers, not who gave them)."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects.admin import DistrictBoundAdmin
from projects.admin_scoping import DistrictScopedAdmin
from residents.admin_access import PersonalDataAdmin

from . import selectors
from .models import Answer, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    """The questions of a survey. Once anyone has answered, they are fixed: changing a
    question's words or dimension would change the meaning of answers already given."""

    model = Question
    extra = 0
    fields = ["order", "text", "kind", "dimension"]

    def _answered(self, obj: Model | None) -> bool:
        if obj is None or obj.pk is None:
            return False
        # Asked for each permission and form: read once per survey object.
        if "_has_responses" not in obj.__dict__:
            obj.__dict__["_has_responses"] = Response.objects.filter(survey_id=obj.pk).exists()
        return bool(obj.__dict__["_has_responses"])

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_add_permission(request, obj) and not self._answered(obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self._answered(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._answered(obj)


@admin.register(Survey)
class SurveyAdmin(DistrictBoundAdmin):
    shows_personal_data = False
    list_display = [
        "title",
        "kind",
        "period",
        "audience",
        "allow_anonymous",
        "is_published",
        "response_count",
    ]
    list_filter = ["kind", "is_published", "audience"]
    list_select_related = ["district"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_on"
    inlines = [QuestionInline]
    readonly_fields = ["results"]
    fieldsets = [
        (None, {"fields": ["district", "title", "description", "kind"]}),
        (
            _("Who answers, and when"),
            {"fields": ["audience", "allow_anonymous", ("starts_on", "ends_on"), "is_published"]},
        ),
        (_("Results"), {"fields": ["results"]}),
    ]

    def get_list_display(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return [*self.list_display, "district"]
        return self.list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[Survey]:
        return super().get_queryset(request).annotate(response_total=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_total")
    def response_count(self, survey: Any) -> int:
        return int(survey.response_total)

    @admin.display(description=_("period"), ordering="starts_on")
    def period(self, survey: Survey) -> str:
        end = survey.ends_on.isoformat() if survey.ends_on else ""
        return f"{survey.starts_on.isoformat()} ~ {end}"

    @admin.display(description=_("Share of answers of 4 or 5"))
    def results(self, survey: Survey) -> SafeString | str:
        if survey.pk is None:
            return "-"
        return _results_table(selectors.survey_results_of(survey_id=survey.pk))


def _results_table(results: dict[str, selectors.DimensionResult]) -> SafeString:
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (
                selectors.DIMENSION_LABELS[code],
                f"{result.percent}%" if result.percent is not None else "-",
                f"{result.positive} / {result.answers}",
            )
            for code, result in results.items()
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
        "</table><p class='help'>{}</p>",
        _("dimension"),
        _("result"),
        _("answers of 4 or 5 / all answers"),
        rows,
        selectors.SURVEY_RESULT_DEFINITION,
    )


@admin.register(Response)
class ResponseAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    """Read-only: staff read the answers; nobody adds, edits or deletes them here. The
    answers (free text among them) are the respondent's personal data: the log names them."""

    shows_personal_data = True
    personal_data_owner = "respondent"

    district_lookup = "survey__district"
    list_display = ["survey", "submitted_at", "answered_by", "neighbourhood", "area"]
    list_filter = [
        ("survey", admin.RelatedOnlyFieldListFilter),
        "survey__kind",
        "area",
        ("neighbourhood", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["survey", "neighbourhood"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    readonly_fields = [
        "survey",
        "submitted_at",
        "updated_at",
        "answered_by",
        "neighbourhood",
        "area",
        "dimension_scores",
        "answer_list",
    ]
    fields = tuple(readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        return super().get_queryset(request).select_related("survey", "neighbourhood")

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # The change page lists every answer with its question: read them in one query.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            answers = Answer.objects.filter(response=obj).select_related("question")
            obj._prefetched_objects_cache = {"answers": answers.order_by("question__order", "pk")}
        return obj

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("answered by"))
    def answered_by(self, response: Response) -> str:
        if response.respondent_id is None:
            return str(_("Anonymous"))
        return str(_("A logged-in resident"))

    @admin.display(description=_("mean score by dimension"))
    def dimension_scores(self, response: Response) -> SafeString | str:
        summary = selectors.response_dimension_summary(response)
        if not summary:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", ((label, mean) for label, mean in summary)),
        )

    @admin.display(description=_("answers"))
    def answer_list(self, response: Response) -> SafeString | str:
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}<br><strong>{}</strong></li>",
                (
                    (
                        answer.question.text,
                        answer.score if answer.score is not None else answer.text,
                    )
                    for answer in response.answers.all()
                ),
            ),
        )
