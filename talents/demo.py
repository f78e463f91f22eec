"""Demo data: the skills residents offer their neighbours.

About a third of the offers are active in a talent project of the same kind (a hairdresser in
a free-haircut project); the rest are offered, paused or withdrawn. Fewer offers date from the
year before the demo year, by residents signed up then; none of those is active in a project.
The stage is skipped when any demo resident of the district has an offer, so a second run,
with any scale and seed, changes nothing.
"""

from collections import defaultdict
from datetime import date

from projects.demo import TEMPLATES, demo_district
from projects.models import Area, Project
from residents.demo import (
    DEMO_RESIDENT_USERNAME,
    DemoResident,
    demo_residents,
    residents_by_neighbourhood,
    served_neighbourhoods,
)
from residents.models import ResidentProfile
from welfare_net.demo import DemoContext, keep_timestamps

from .models import TalentOffer

OFFERS = {"district-year": 900, "small": 15}
PREVIOUS_YEAR_OFFERS = {"district-year": 600, "small": 3}
BATCH = 2000
C = TalentOffer.Category
# (category, weight, youngest, oldest): who tends to offer what.
CATEGORIES = [
    (C.REPAIRS, 12, 35, 75),
    (C.HAIRCUT, 10, 25, 65),
    (C.TUTORING, 18, 19, 70),
    (C.TRANSLATION, 5, 20, 60),
    (C.LEGAL, 3, 35, 70),
    (C.TAX, 3, 35, 70),
    (C.HEALTH, 8, 25, 65),
    (C.DIGITAL, 14, 19, 55),
    (C.COOKING, 14, 40, 80),
    (C.OTHER, 13, 19, 80),
]
DESCRIPTIONS: dict[str, list[str]] = {
    C.REPAIRS: [
        "전기 기술자로 30년 일했습니다. 전등, 콘센트 고장은 바로 고쳐 드려요.",
        "도배와 장판 일을 했습니다. 낡은 방을 새로 꾸며 드릴 수 있어요.",
        "수도꼭지, 방충망, 문고리처럼 작은 고장을 고쳐 드립니다.",
    ],
    C.HAIRCUT: [
        "미용사 자격증이 있어요. 한 달에 한 번 어르신 커트를 해 드릴 수 있습니다.",
        "동네에서 미용실을 합니다. 가게 쉬는 날 무료 커트 봉사를 하고 싶어요.",
        "거동이 불편한 분 댁에 찾아가 머리를 다듬어 드릴 수 있어요.",
    ],
    C.TUTORING: [
        "대학생입니다. 초등학생 수학과 영어 숙제를 도와줄 수 있어요.",
        "교사로 퇴직했습니다. 중학생 국어와 사회 공부를 봐 드릴게요.",
        "아이들에게 책 읽어 주기와 글쓰기를 가르칠 수 있어요.",
    ],
    C.TRANSLATION: [
        "중국어와 한국어 통역을 할 수 있어요. 병원과 학교에 함께 가 드립니다.",
        "베트남에서 왔고 한국에서 15년 살았어요. 베트남어 통역을 돕고 싶어요.",
        "영어 통번역 일을 합니다. 서류 번역을 도와드릴 수 있어요.",
    ],
    C.LEGAL: [
        "변호사입니다. 임대차와 채무 문제를 무료로 상담해 드립니다.",
        "법무사로 일합니다. 상속과 등기 절차를 안내해 드릴 수 있어요.",
    ],
    C.TAX: [
        "세무사입니다. 종합소득세 신고와 근로장려금 신청을 도와드려요.",
        "회계 일을 했습니다. 가계부 정리와 세금 서류를 함께 봐 드릴게요.",
    ],
    C.HEALTH: [
        "간호사로 일했습니다. 혈압 재기와 복약 관리를 도와드릴 수 있어요.",
        "물리치료사입니다. 어르신 스트레칭과 마사지를 해 드려요.",
        "요양보호사 자격이 있어요. 거동이 불편한 분의 병원 동행을 할 수 있습니다.",
    ],
    C.DIGITAL: [
        "스마트폰 사용법, 영상 통화, 사진 보내기를 천천히 알려 드려요.",
        "키오스크 주문과 모바일 뱅킹을 어르신 곁에서 도와드릴 수 있어요.",
        "컴퓨터 수리와 인터넷 설정을 해 드립니다.",
    ],
    C.COOKING: [
        "반찬을 잘 만들어요. 한 달에 두 번 밑반찬 나눔에 참여할 수 있어요.",
        "한식조리기능사입니다. 어르신 건강 반찬을 만들어 드릴게요.",
        "김장 때마다 손을 보탤 수 있어요.",
    ],
    C.OTHER: [
        "사진을 찍습니다. 어르신 장수 사진을 찍어 드리고 싶어요.",
        "운전을 할 수 있어요. 병원 가시는 길에 모셔다 드릴게요.",
        "바둑과 장기를 좋아합니다. 경로당 어르신 말벗이 되어 드릴게요.",
        "꽃꽂이와 화분 가꾸기를 함께할 수 있어요.",
    ],
}
AVAILABILITY = [
    "평일 오전",
    "평일 오후",
    "평일 저녁",
    "주말 오전",
    "주말 오후",
    "토요일 오전",
    "화·목 오후",
    "월 1회 일요일",
    "시간 협의 가능",
]
STATUS_WEIGHTS = [
    (TalentOffer.Status.ACTIVE, 32),
    (TalentOffer.Status.OFFERED, 53),
    (TalentOffer.Status.PAUSED, 10),
    (TalentOffer.Status.WITHDRAWN, 5),
]
PREVIOUS_YEAR_STATUS_WEIGHTS = [
    (TalentOffer.Status.OFFERED, 55),
    (TalentOffer.Status.PAUSED, 25),
    (TalentOffer.Status.WITHDRAWN, 20),
]
# Which kind of offer each talent template takes, by its title.
CATEGORY_OF_TEMPLATE = {t.title: t.talent_category for t in TEMPLATES[Area.TALENT]}


def seed(ctx: DemoContext) -> None:
    district = demo_district()
    if district is None:
        return
    if TalentOffer.objects.filter(resident__profile__neighbourhood__district=district).exists():
        ctx.log("  talent offers: the demo district has offers, skipped")
        return
    rng = ctx.rng
    residents = demo_residents(ctx, district)
    if not residents:
        return
    projects = _talent_projects_by_category(district.pk)
    served = served_neighbourhoods([p for group in projects.values() for p in group])
    neighbours = residents_by_neighbourhood(residents)
    order = sorted(neighbours)  # neighbourhood ids, in the order they lie on the map
    offers: list[TalentOffer] = []
    areas: list[list[int]] = []
    weights = [(category, weight) for category, weight, _, _ in CATEGORIES]
    offerers = _Offerers(ctx, residents, ctx.demo_year)
    for _ in range(OFFERS[ctx.scale]):
        category = ctx.weighted(weights)
        resident = offerers.next(category)
        status = ctx.weighted(STATUS_WEIGHTS)
        project = None
        if status == TalentOffer.Status.ACTIVE:
            project = _project_near(ctx, resident, projects.get(category, []), served)
            if project is None:
                status = TalentOffer.Status.OFFERED
        offers.append(_offer(ctx, resident, category, status, project))
        home = order.index(resident.neighbourhood_id)
        areas.append(order[max(0, home - rng.randint(0, 1)) : home + rng.randint(1, 2)])
    demo = _demo_resident_offer(ctx)
    if demo is not None:
        offers.append(demo[0])
        areas.append([demo[1]])
    earlier = [r for r in residents if r.joined_on.year == ctx.previous_year]
    offerers = _Offerers(ctx, earlier, ctx.previous_year)
    for _ in range(PREVIOUS_YEAR_OFFERS[ctx.scale] if earlier else 0):
        category = ctx.weighted(weights)
        resident = offerers.next(category)
        status = ctx.weighted(PREVIOUS_YEAR_STATUS_WEIGHTS)
        offers.append(_offer(ctx, resident, category, status, None, year=ctx.previous_year))
        home = order.index(resident.neighbourhood_id)
        areas.append(order[max(0, home - rng.randint(0, 1)) : home + rng.randint(1, 2)])
    for offer in offers:
        ctx.note_taking_part(offer.created_at.year, [offer.resident_id])
    with keep_timestamps(TalentOffer):
        TalentOffer.objects.bulk_create(offers, batch_size=BATCH)
    through = TalentOffer.neighbourhoods.through
    through.objects.bulk_create(
        [
            through(talentoffer_id=offer.pk, neighbourhood_id=n)
            for offer, served_here in zip(offers, areas, strict=True)
            for n in served_here
        ],
        batch_size=BATCH,
    )
    ctx.log(f"  talent offers: {len(offers)}")


class _Offerers:
    """Who offers the next talent of a kind: a resident of the age for it, those not yet taking
    part in the year first, each once until every one of the age has offered."""

    def __init__(self, ctx: DemoContext, residents: list[DemoResident], year: int) -> None:
        self.ctx, self.residents, self.year = ctx, residents, year
        self.queues: dict[str, list[DemoResident]] = {}
        self.offered: set[int] = set()

    def next(self, category: str) -> DemoResident:
        queue = self.queues.get(category)
        if queue is None:
            low, high = next((lo, hi) for c, _, lo, hi in CATEGORIES if c == category)
            pool = [r for r in self.residents if low <= r.age <= high] or self.residents
            queue = self.ctx.newcomers_first(self.year, pool, len(pool), lambda r: r.user_id)
            queue.reverse()  # popped from the end
            self.queues[category] = queue
        while queue and queue[-1].user_id in self.offered:
            queue.pop()
        if not queue:
            return self.ctx.rng.choice(self.residents)
        resident = queue.pop()
        self.offered.add(resident.user_id)
        return resident


def _talent_projects_by_category(district_id: int) -> dict[str, list[Project]]:
    by_category: dict[str, list[Project]] = defaultdict(list)
    projects = Project.objects.filter(
        district_id=district_id, area=Area.TALENT, status=Project.Status.OPEN
    ).order_by("pk")
    for project in projects:
        for title, category in CATEGORY_OF_TEMPLATE.items():
            if title in project.title:
                by_category[category].append(project)
                break
    return by_category


def _project_near(
    ctx: DemoContext,
    resident: DemoResident,
    projects: list[Project],
    served: dict[int, list[int]],
) -> Project | None:
    """An open talent project of the offer's kind, where the resident lives if there is one."""
    near = [
        p for p in projects if p.whole_district or resident.neighbourhood_id in served.get(p.pk, [])
    ]
    if near or projects:
        return ctx.rng.choice(near or projects)
    return None


def _offer(
    ctx: DemoContext,
    resident: DemoResident,
    category: str,
    status: str,
    project: Project | None,
    *,
    year: int | None = None,
) -> TalentOffer:
    """An offer made in ``year`` (the demo year unless given), in the previous year not before
    the resident signed up."""
    rng = ctx.rng
    year = year or ctx.demo_year
    first = project.starts_on if project else date(year, 1, 1)
    if year == ctx.previous_year:
        first = max(first, resident.joined_on)
    offered_on = ctx.day_between(first, date(year, 12, 31))
    stamp = ctx.moment(offered_on)
    return TalentOffer(
        resident_id=resident.user_id,
        category=category,
        description=rng.choice(DESCRIPTIONS[category]),
        availability=rng.choice(AVAILABILITY),
        status=status,
        project=project,
        created_at=stamp,
        updated_at=stamp,
    )


def _demo_resident_offer(ctx: DemoContext) -> tuple[TalentOffer, int] | None:
    """The demo resident offers to cook side dishes for neighbours."""
    profile = ResidentProfile.objects.filter(user__username=DEMO_RESIDENT_USERNAME).first()
    if profile is None:
        return None
    stamp = ctx.moment(date(ctx.demo_year, 5, 12))
    offer = TalentOffer(
        resident_id=profile.user_id,
        category=C.COOKING,
        description="반찬을 잘 만들어요. 혼자 사시는 이웃과 나누고 싶어요.",
        availability="평일 오전",
        status=TalentOffer.Status.OFFERED,
        created_at=stamp,
        updated_at=stamp,
    )
    return offer, profile.neighbourhood_id
