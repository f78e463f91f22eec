"""The target groups that eligibility rules commonly name (domain.md). Data, so a district can
add its own in the admin; this migration loads the common ones and removes them on reverse."""

from django.db import migrations

# (code, Korean name, English name, sensitive: needs the separate consent)
TARGET_GROUPS = [
    ("older-alone", "홀몸 어르신", "Older people living alone", False),
    ("basic-livelihood", "기초생활수급자", "Basic livelihood security recipients", False),
    ("near-poor", "차상위계층", "Near-poor households", False),
    ("single-parent", "한부모가족", "Single-parent families", False),
    ("disability", "장애인", "People with disabilities", True),
    ("multicultural", "다문화가족", "Multicultural families", False),
    ("children-youth", "아동·청소년", "Children and youth", False),
    ("isolated-young-adult", "고립·은둔 청년", "Isolated or reclusive young adults", False),
    ("single-person", "1인 가구", "Single-person households", False),
    ("crisis", "위기가구(실직·질병·사별)", "Anyone in a crisis (job loss, illness, bereavement)", False),
]


def load(apps, schema_editor):
    TargetGroup = apps.get_model("projects", "TargetGroup")
    for code, name, name_en, sensitive in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_sensitive": sensitive}
        )


def unload(apps, schema_editor):
    TargetGroup = apps.get_model("projects", "TargetGroup")
    TargetGroup.objects.filter(code__in=[row[0] for row in TARGET_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_initial")]

    operations = [migrations.RunPython(load, unload)]
