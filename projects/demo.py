"""Demo data: the model district, Jungnang-gu, and its sixteen neighbourhoods."""

from welfare_net.demo import DemoContext

from .models import District, Neighbourhood

DEMO_DISTRICT = {"code": "jungnang", "name": "중랑구", "name_en": "Jungnang-gu"}

# (code, Korean name, English name): the administrative dongs of domain.md.
JUNGNANG_NEIGHBOURHOODS = [
    ("myeonmok-bon", "면목본동", "Myeonmok-bon-dong"),
    ("myeonmok-2", "면목2동", "Myeonmok 2-dong"),
    ("myeonmok-3-8", "면목3·8동", "Myeonmok 3/8-dong"),
    ("myeonmok-4", "면목4동", "Myeonmok 4-dong"),
    ("myeonmok-5", "면목5동", "Myeonmok 5-dong"),
    ("myeonmok-7", "면목7동", "Myeonmok 7-dong"),
    ("sangbong-1", "상봉1동", "Sangbong 1-dong"),
    ("sangbong-2", "상봉2동", "Sangbong 2-dong"),
    ("junghwa-1", "중화1동", "Junghwa 1-dong"),
    ("junghwa-2", "중화2동", "Junghwa 2-dong"),
    ("muk-1", "묵1동", "Muk 1-dong"),
    ("muk-2", "묵2동", "Muk 2-dong"),
    ("mangu-bon", "망우본동", "Mangu-bon-dong"),
    ("mangu-3", "망우3동", "Mangu 3-dong"),
    ("sinnae-1", "신내1동", "Sinnae 1-dong"),
    ("sinnae-2", "신내2동", "Sinnae 2-dong"),
]


def seed(ctx: DemoContext) -> None:
    district, _ = District.objects.get_or_create(
        code=DEMO_DISTRICT["code"],
        defaults={"name": DEMO_DISTRICT["name"], "name_en": DEMO_DISTRICT["name_en"]},
    )
    for code, name, name_en in JUNGNANG_NEIGHBOURHOODS:
        Neighbourhood.objects.get_or_create(
            district=district, code=code, defaults={"name": name, "name_en": name_en}
        )
