from django.db import migrations

# The kinds of volunteer events the story names. Their labels are translated in
# code (volunteers.models.BUILTIN_KINDS); `name` is what admin search sees.
BUILTIN = [
    ("policy", "政策宣传", False),
    ("mediation", "纠纷调解", False),
    ("information", "信息收集", False),
    ("appeal", "诉求反馈", False),
    ("emergency", "应急管理", False),
    ("haircut", "义剪", True),
    ("clinic", "义诊", True),
    ("performance", "义演", True),
    ("meal", "助餐", False),
    ("pairing", "结对帮扶", False),
    ("education", "学习教育", False),
    ("other", "其他", False),
]


def create_kinds(apps, schema_editor):
    EventKind = apps.get_model("volunteers", "EventKind")
    for code, name, special in BUILTIN:
        EventKind.objects.update_or_create(
            community=None, code=code, defaults={"name": name, "is_special_service": special, "is_active": True}
        )


def remove_kinds(apps, schema_editor):
    apps.get_model("volunteers", "EventKind").objects.filter(community=None, code__in=[c for c, _, _ in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
