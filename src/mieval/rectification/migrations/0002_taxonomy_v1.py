from django.db import migrations

#: The poster's six problems ("Several problems that need to be tackled"), version 1 of the
#: taxonomy; the office adds types as new versions.
POSTER_TYPES = (
    (
        "east_west_exchange",
        "东部与中西部示范基地交流机制",
        "East/Central-West communication and exchange",
        "东部与中西部不同类型示范基地之间缺乏沟通渠道和交流机制。",
        "Lack of communication channels and exchange mechanisms between the different types "
        "of demonstration sites in the East and Midwest.",
    ),
    (
        "service_incentives",
        "专业服务机构和人员激励",
        "Incentives for service providers and staff",
        "对专业服务机构和人员缺乏激励。",
        "Lack of incentives for professional service providers and personnel.",
    ),
    (
        "resource_clustering",
        "创新资源集聚与整合",
        "Clustering and integration of resources",
        "创新资源的有效集聚和整合不足。",
        "Insufficient effective clustering and integration of innovative resources.",
    ),
    (
        "institutional_constraints",
        "体制机制约束",
        "Institutional constraints",
        "发展受到体制机制的制约。",
        "Institutional constraints to development.",
    ),
    (
        "corporate_credit",
        "企业信用体系建设",
        "The corporate credit system",
        "企业信用体系建设有待进一步完善。",
        "Corporate credit system construction needs further improvement.",
    ),
    (
        "vitality_livelihoods",
        "双创活力与就业等基本民生",
        "Vitality versus livelihoods and employment",
        "在保持创新创业活力的同时解决好就业等基本民生问题。",
        "Maintain the vitality of innovation and entrepreneurship while addressing basic "
        "livelihoods such as employment.",
    ),
)


def load(apps, schema_editor):
    TaxonomyVersion = apps.get_model("rectification", "TaxonomyVersion")
    ProblemType = apps.get_model("rectification", "ProblemType")
    version, _ = TaxonomyVersion.objects.get_or_create(
        number=1, defaults={"note": "the poster's six problem types"}
    )
    for order, (code, name_zh, name_en, description_zh, description_en) in enumerate(
        POSTER_TYPES, start=1
    ):
        ProblemType.objects.update_or_create(
            taxonomy=version,
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "description_zh": description_zh,
                "description_en": description_en,
                "order": order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("rectification", "ProblemType").objects.filter(taxonomy__number=1).delete()
    apps.get_model("rectification", "TaxonomyVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
