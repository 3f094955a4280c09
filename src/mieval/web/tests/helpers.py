"""Test helpers: more bases and values for a campaign, written in bulk."""

from decimal import Decimal

from django.utils import timezone

from mieval.collection.models import Source, Value
from mieval.indicators.models import Indicator
from mieval.registry.models import Base


def bases_add(campaign, count: int, *, subcategory="st_university", province="42", values=None):
    """``count`` new bases in scope of ``campaign``; ``values``: {indicator: {year: x}} for each."""
    start = Base.objects.count()
    bases = Base.objects.bulk_create(
        [
            Base(
                code=f"X{start + i:03d}",
                name_zh=f"测试基地{i}",
                name_en=f"Test base {i}",
                subcategory_id=subcategory,
                province_id=province,
                batch=2017,
            )
            for i in range(count)
        ]
    )
    bases = list(Base.objects.filter(code__in=[b.code for b in bases]).order_by("code"))
    campaign.bases.add(*bases)
    indicators = {i.code: i for i in Indicator.objects.filter(framework=campaign.framework)}
    rows = []
    for position, base in enumerate(bases):
        for code, by_year in (values or {}).items():
            for year, x in by_year.items():
                number = x[position] if isinstance(x, list) else x
                rows.append(
                    Value(
                        campaign=campaign,
                        base=base,
                        indicator=indicators[code],
                        year=year,
                        value=Decimal(str(number)),
                        raw=str(number),
                        source=Source.IMPORT,
                        entered_at=timezone.now(),
                    )
                )
    Value.objects.bulk_create(rows)
    return bases
