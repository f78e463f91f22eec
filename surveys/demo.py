"""Demo data: the district's satisfaction surveys and their answers.

- The yearly survey of the demo year (November and December), two questions in each of the
  five dimensions and one free-text question, about 1,000 responses of demo residents (a few
  anonymous). Its results are the first year's figures of domain.md: for each dimension,
  exactly ``round(N * target)`` of its N scored answers of the demo year are 4 or 5 (in
  each survey), so ``survey_results`` for the demo year gives the targets to the decimal.
  Which answers are positive follows each respondent's overall mood, so a satisfied resident
  is satisfied across the survey and the neighbourhood breakdowns vary as real ones do.
- The district's standard follow-up survey (``services.followup_survey_ensure``), answered by
  some residents after support delivered through the demo year and this year. Surveys know
  nothing of matching, so these follow-ups carry their own connection keys and areas rather
  than those of the matching demo's applications; they count in the figures like any answer.
- This year's survey, open around ``ctx.today`` with no answer yet, for the demo resident to
  try.

Skipped when the demo district has a yearly survey, so a second run, with any scale and seed,
changes nothing.
"""

import decimal
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import translation

from projects.demo import demo_district
from projects.models import Area, District
from residents.demo import DemoResident, demo_residents
from welfare_net.demo import SEOUL, DemoContext, keep_timestamps

from . import services
from .models import Answer, Dimension, FollowUpInvitation, Question, Response, Survey

YEARLY_RESPONSES = {"district-year": 1_000, "small": 40}
# Follow-ups answered in the demo year, and so far this year.
FOLLOW_UPS = {"district-year": (240, 60), "small": (8, 2)}
ANONYMOUS_EVERY = 12  # about 8% of the yearly survey's responses
TEXT_SHARE = 0.25
BATCH = 2000
# The first year's survey results (domain.md), in percent of answers of 4 or 5.
TARGETS = {
    Dimension.AWARENESS: decimal.Decimal("91.7"),
    Dimension.CONVENIENCE: decimal.Decimal("80.4"),
    Dimension.BENEFIT: decimal.Decimal("76.5"),
    Dimension.TRUST: decimal.Decimal("87.3"),
    Dimension.CONTRIBUTION: decimal.Decimal("89.7"),
}
# The areas of the delivered support, as often as the district's applications name them.
AREA_WEIGHTS = [
    (Area.DONATION, 30),
    (Area.NETWORK, 15),
    (Area.TALENT, 15),
    (Area.HEALTH, 25),
    (Area.EDUCATION, 15),
]
D = Dimension
YEARLY_QUESTIONS = [
    (D.AWARENESS, "우리 구에 주민이 서로 돕는 복지 플랫폼이 있다는 것을 알고 있다."),
    (D.AWARENESS, "플랫폼에서 어떤 나눔사업에 참여할 수 있는지 알고 있다."),
    (D.CONVENIENCE, "플랫폼에서 사업을 찾고 신청하는 과정이 편리했다."),
    (D.CONVENIENCE, "화면의 글씨와 안내가 읽고 이해하기 쉬웠다."),
    (D.BENEFIT, "플랫폼을 통해 실제로 필요한 도움을 받거나 줄 수 있었다."),
    (D.BENEFIT, "나눔사업이 우리 동네 이웃의 생활에 실제로 도움이 된다."),
    (D.TRUST, "나눔과 기부가 필요한 이웃에게 제대로 전달된다고 믿는다."),
    (D.TRUST, "플랫폼이 내 개인정보를 안전하게 관리한다고 믿는다."),
    (D.CONTRIBUTION, "플랫폼이 우리 구의 복지 발전에 기여하고 있다."),
    (D.CONTRIBUTION, "앞으로도 이웃을 돕는 활동에 참여하고 싶다."),
    ("", "플랫폼에 바라는 점이나 하고 싶은 말씀을 자유롭게 적어 주세요."),
]
YEARLY_DESCRIPTION = (
    "주민 여러분의 의견을 듣습니다. 문항마다 1(전혀 아니다)부터 5(매우 그렇다)까지 골라 "
    "주세요. 5분이면 충분합니다."
)
REMARKS_GOOD = [
    "어르신 반찬 나눔 덕분에 혼자 사시는 어머니 걱정을 덜었습니다.",
    "동 주민센터 선생님이 친절하게 연락해 주셔서 고마웠어요.",
    "재능기부로 집 전등을 고쳤습니다. 이웃이 이렇게 가까운 줄 몰랐어요.",
    "아이 학습 멘토링이 큰 도움이 되었습니다. 계속되면 좋겠어요.",
    "기부금 영수증을 바로 받을 수 있어 편했습니다.",
    "글씨가 커서 휴대폰으로도 보기 편했어요.",
]
REMARKS_MIXED = [
    "신청하고 연락이 오기까지 조금 오래 걸렸어요.",
    "우리 동에는 참여할 수 있는 사업이 적은 것 같아요.",
    "회원가입이 어르신에게는 아직 어렵습니다. 주민센터에서 도와주면 좋겠어요.",
    "사업 안내를 문자로도 받고 싶어요.",
]


@dataclass
class _Slot:
    """One scored answer to be made: which response, which question, how the respondent
    feels overall (a positive answer goes to the happier respondents first)."""

    response_index: int
    question: Question
    mood: float
    score: int = 0


def seed(ctx: DemoContext) -> None:
    district = demo_district()
    if district is None:
        return
    if Survey.objects.filter(district=district, kind=Survey.Kind.YEARLY).exists():
        ctx.log("  surveys: the demo district has its surveys, skipped")
        return
    residents = demo_residents(ctx, district)
    if not residents:
        return
    year = ctx.demo_year
    yearly = _yearly_survey(district, year, date(year, 11, 1), date(year, 12, 31))
    with translation.override("ko"):
        follow_up = services.followup_survey_ensure(district=district, starts_on=date(year, 1, 1))
    responses: list[Response] = []
    moods: list[float] = []
    invitations: list[FollowUpInvitation] = []
    _yearly_responses(ctx, yearly, residents, responses, moods)
    _follow_up_responses(ctx, follow_up, residents, responses, moods, invitations)
    with keep_timestamps(Response, FollowUpInvitation):
        Response.objects.bulk_create(responses, batch_size=BATCH)
        FollowUpInvitation.objects.bulk_create(invitations, batch_size=BATCH)
    answers = _answers(ctx, [yearly, follow_up], responses, moods)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    # This year's survey: open now, nobody has answered yet.
    this_year = ctx.today.year
    _yearly_survey(
        district, this_year, ctx.today - timedelta(days=7), ctx.today + timedelta(days=30)
    )
    ctx.log(f"  surveys: {len(responses)} responses, {len(answers)} answers")


def _yearly_survey(district: District, year: int, starts_on: date, ends_on: date) -> Survey:
    survey = Survey.objects.create(
        district=district,
        title=f"{year}년 주민 만족도 조사",
        description=YEARLY_DESCRIPTION,
        kind=Survey.Kind.YEARLY,
        audience=Survey.Audience.EVERYONE,
        allow_anonymous=True,
        is_published=True,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    Question.objects.bulk_create(
        Question(
            survey=survey,
            order=number,
            text=text,
            kind=Question.Kind.SCALE if dimension else Question.Kind.TEXT,
            dimension=dimension,
        )
        for number, (dimension, text) in enumerate(YEARLY_QUESTIONS, start=1)
    )
    return survey


def _yearly_responses(
    ctx: DemoContext,
    survey: Survey,
    residents: list[DemoResident],
    responses: list[Response],
    moods: list[float],
) -> None:
    rng = ctx.rng
    count = min(YEARLY_RESPONSES[ctx.scale], len(residents))
    first, last = survey.starts_on, survey.ends_on or survey.starts_on
    for index, resident in enumerate(rng.sample(residents, count)):
        # More answers in the first weeks, when the district announced the survey.
        day = ctx.day_between(first, first + timedelta(days=(last - first).days // 2))
        if rng.random() < 0.35:
            day = ctx.day_between(first, last)
        # Every twelfth (about 8%) answered without logging in: a fixed share, not a draw, so
        # even the small demo has anonymous answers whatever the seed.
        anonymous = index % ANONYMOUS_EVERY == ANONYMOUS_EVERY - 1
        stamp = ctx.moment(day)
        responses.append(
            Response(
                survey=survey,
                respondent_id=None if anonymous else resident.user_id,
                neighbourhood_id=None if anonymous else resident.neighbourhood_id,
                submitted_at=stamp,
                updated_at=stamp,
                submission_key=ctx.uuid(),
            )
        )
        moods.append(rng.random())


def _follow_up_responses(
    ctx: DemoContext,
    survey: Survey,
    residents: list[DemoResident],
    responses: list[Response],
    moods: list[float],
    invitations: list[FollowUpInvitation],
) -> None:
    rng = ctx.rng
    in_demo_year, this_year = FOLLOW_UPS[ctx.scale]
    year = ctx.demo_year
    # Answered one to fourteen days after the delivery: never later than yesterday.
    periods = [(date(year, 2, 1), date(year, 12, 20), in_demo_year)]
    if ctx.today > date(ctx.today.year, 1, 20):
        periods.append((date(ctx.today.year, 1, 5), ctx.today - timedelta(days=15), this_year))
    for first, last, count in periods:
        for _ in range(count):
            resident = rng.choice(residents)
            delivered_on = ctx.day_between(first, last)
            answered = ctx.moment(delivered_on + timedelta(days=rng.randint(1, 14)))
            subject_key, area = ctx.uuid(), ctx.weighted(AREA_WEIGHTS)
            invitations.append(
                FollowUpInvitation(
                    survey=survey,
                    resident_id=resident.user_id,
                    subject_key=subject_key,
                    area=area,
                    delivered_on=delivered_on,
                    answered_at=answered,
                    created_at=_evening_of(delivered_on),
                    updated_at=answered,
                )
            )
            responses.append(
                Response(
                    survey=survey,
                    respondent_id=resident.user_id,
                    neighbourhood_id=resident.neighbourhood_id,
                    area=area,
                    subject_key=subject_key,
                    submitted_at=answered,
                    updated_at=answered,
                    submission_key=ctx.uuid(),
                )
            )
            moods.append(rng.random())


def _evening_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, 0, tzinfo=SEOUL)


def _answers(
    ctx: DemoContext,
    surveys: list[Survey],
    responses: list[Response],
    moods: list[float],
) -> list[Answer]:
    rng = ctx.rng
    questions = {survey.pk: list(survey.questions.order_by("order", "pk")) for survey in surveys}
    slots: dict[str, list[_Slot]] = {code: [] for code in TARGETS}
    texts: list[Answer] = []
    for index, response in enumerate(responses):
        for question in questions[response.survey_id]:
            if question.kind == Question.Kind.SCALE:
                mood = moods[index] + rng.gauss(0, 0.25)
                slots[question.dimension].append(_Slot(index, question, mood))
            elif rng.random() < TEXT_SHARE:
                remarks = REMARKS_GOOD if moods[index] > 0.3 else REMARKS_MIXED
                texts.append(Answer(response=response, question=question, text=rng.choice(remarks)))
    answers: list[Answer] = []
    for code, target in TARGETS.items():
        dimension_slots = slots[code]
        _set_scores(ctx, dimension_slots, target, responses, ctx.demo_year)
        answers.extend(
            Answer(
                response=responses[slot.response_index], question=slot.question, score=slot.score
            )
            for slot in dimension_slots
        )
    return answers + texts


def _set_scores(
    ctx: DemoContext,
    slots: list[_Slot],
    target: decimal.Decimal,
    responses: list[Response],
    year: int,
) -> None:
    """In each survey, exactly ``round(N * target)`` of its N answers of a year are 4 or 5
    (the happiest respondents' first). Each survey's own result is then the target, and so
    is that of all of them together: off by at most one answer in the N, less than 0.05 %
    when N is over a thousand."""
    rng = ctx.rng
    groups: dict[tuple[int, bool], list[_Slot]] = {}
    for slot in slots:
        response = responses[slot.response_index]
        key = (response.survey_id, response.submitted_at.year == year)
        groups.setdefault(key, []).append(slot)
    for group in groups.values():
        positive = int(
            (len(group) * target / 100).quantize(decimal.Decimal(1), decimal.ROUND_HALF_UP)
        )
        ranked = sorted(group, key=lambda slot: slot.mood, reverse=True)
        for rank, slot in enumerate(ranked):
            if rank < positive:
                slot.score = 5 if rng.random() < 0.45 else 4
            else:
                slot.score = ctx.weighted([(3, 60), (2, 28), (1, 12)])
