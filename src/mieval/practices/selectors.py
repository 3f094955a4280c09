"""Reads of reforms, nominations and links: search, counts, the campaign's evidence report.

Everything here takes the queryset the user may see (``accounts.permissions.reforms_visible``,
``nominations_visible``) or, for the report, only what may be published: classified reforms
and nominations that are selected and consented. No contact data ever leaves
:func:`practices_report_content`.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from mieval.core import reference
from mieval.core.matching.practices import query_scores
from mieval.practices.models import Nomination, PolicyArea, Reform, ReformLink

CATEGORY_ORDER = ("region", "university_institute", "enterprise")
REGION_GROUP_ORDER = ("east", "central_west", "northeast")


def provinces_of_group(region_group: str) -> list[str]:
    return [
        p.code for p in reference.PROVINCES if reference.region_group_of(p.code) == region_group
    ]


@dataclass(frozen=True)
class SearchFilters:
    """What the browse page filters by; empty means any."""

    query: str = ""
    kind: str = ""  # "reform", "case", "person" or "" for all
    area: str = ""  # policy area code (reforms)
    category: str = ""  # base category code
    region_group: str = ""  # a region group (east, central_west, northeast) or a region
    year: int | None = None
    campaign: str = ""  # campaign code


@dataclass
class SearchResult:
    reforms: list = field(default_factory=list)  # [(Reform, score)]
    nominations: list = field(default_factory=list)  # [(Nomination, score)]


def _base_filters(qs, filters: SearchFilters):
    if filters.category:
        qs = qs.filter(base__subcategory__category__code=filters.category)
    if filters.region_group in reference.REGION_GROUPS:
        qs = qs.filter(base__province__code__in=provinces_of_group(filters.region_group))
    elif filters.region_group:
        # An economic region (central, west) within a group.
        qs = qs.filter(base__province__region=filters.region_group)
    if filters.campaign:
        qs = qs.filter(campaign__code=filters.campaign)
    return qs


def _terms_filter(fields: tuple[str, ...], query: str) -> Q:
    # Chinese has no spaces: each whitespace-separated term must occur, as a substring, in one
    # of the fields. icontains is the same LIKE/ILIKE on SQLite and PostgreSQL.
    condition = Q()
    for term in query.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _ranked(items: list, query: str) -> list:
    if not query.strip():
        return [(item, None) for item in items]
    scores = query_scores(query, [item.text() for item in items])
    order = sorted(range(len(items)), key=lambda i: (-scores[i], items[i].pk))
    return [(items[i], scores[i]) for i in order]


def practices_search(reforms, nominations, filters: SearchFilters) -> SearchResult:
    """Reforms and nominations among those given (the user's visible querysets) matching the
    filters; with a query, every term as a substring, ranked by TF-IDF cosine. A policy area
    filter applies to reforms only (nominations have none), so it leaves no nomination."""
    result = SearchResult()
    if filters.kind in {"", "reform"}:
        qs = _base_filters(reforms, filters).filter(
            _terms_filter(
                ("title", "description", "title_other", "description_other"), filters.query
            )
        )
        if filters.area:
            qs = qs.filter(
                Q(area__code=filters.area) | Q(area__isnull=True, area_reported__code=filters.area)
            )
        if filters.year:
            qs = qs.filter(introduced_on__year=filters.year)
        qs = qs.select_related("base", "area", "area_reported", "campaign").order_by("pk")
        result.reforms = _ranked(list(qs), filters.query)
    if filters.kind in {"", "case", "person"} and not filters.area:
        qs = _base_filters(nominations, filters).filter(
            _terms_filter(("name", "story", "name_other", "story_other"), filters.query)
        )
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.year:
            qs = qs.filter(year=filters.year)
        qs = qs.select_related("base", "campaign").order_by("pk")
        result.nominations = _ranked(list(qs), filters.query)
    return result


def practices_counts(result: SearchResult) -> dict:
    """Counts of the found items: reforms by policy area (the classified one, else the
    reported), by base category and by region group; nominations by kind and subkind."""
    by_area: Counter = Counter()
    by_category: Counter = Counter()
    by_region: Counter = Counter()
    for reform, _ in result.reforms:
        by_area[reform.effective_area().code] += 1
        by_category[reform.base.subcategory.category.code] += 1
        by_region[reference.region_group_of(reform.base.province_id)] += 1
    by_subkind: Counter = Counter()
    nominations_by_category: Counter = Counter()
    for nomination, _ in result.nominations:
        by_subkind[(nomination.kind, nomination.subkind)] += 1
        nominations_by_category[nomination.base.subcategory.category.code] += 1
    return {
        "reforms": len(result.reforms),
        "by_area": dict(by_area),
        "by_category": dict(by_category),
        "by_region_group": dict(by_region),
        "nominations": len(result.nominations),
        "by_subkind": {f"{k}/{s}": n for (k, s), n in sorted(by_subkind.items())},
        "nominations_by_category": dict(nominations_by_category),
    }


def review_queue(campaign) -> dict:
    """The office's work in a campaign: reforms to classify, nominations to decide, links."""
    return {
        "reforms": list(
            Reform.objects.filter(campaign=campaign, status=Reform.Status.REPORTED)
            .select_related("base", "area_reported")
            .order_by("created_at", "pk")
        ),
        "nominations": list(
            Nomination.objects.filter(
                campaign=campaign,
                status__in=[Nomination.Status.NOMINATED, Nomination.Status.SHORTLISTED],
            )
            .select_related("base")
            .order_by("created_at", "pk")
        ),
        "links": list(
            ReformLink.objects.filter(
                reform_a__campaign=campaign, status=ReformLink.Status.SUGGESTED
            ).select_related("reform_a__base", "reform_b__base")
        ),
    }


def reform_links(reform: Reform) -> list[tuple[Reform, ReformLink]]:
    """The other reforms linked to this one (suggested or confirmed), with the link."""
    links = ReformLink.objects.filter(Q(reform_a=reform) | Q(reform_b=reform)).exclude(
        status=ReformLink.Status.REJECTED
    )
    links = links.select_related("reform_a__base", "reform_b__base")
    return [
        (link.reform_b if link.reform_a_id == reform.pk else link.reform_a, link) for link in links
    ]


# --- the campaign's evidence report ------------------------------------------------------------


def _story(item: Nomination, lang: str) -> str:
    if item.language == lang:
        return item.story
    return item.story_other


def _name(item: Nomination, lang: str) -> str:
    if item.language == lang:
        return item.name
    return item.name_other or item.name


def practices_report_content(campaign) -> dict:
    """The campaign's qualitative evidence for its report, JSON-serialisable.

    Only classified reforms (counted by the office's policy area) and published nominations
    (selected, with consent); never contact details. The shape::

        {
          "campaign": "demo",
          "reforms": {
            "total": 58,
            "areas": [{"code": "talent", "name_zh": "人才", "name_en": "Talent",
                       "total": 12, "by_category": {"region": 7, "university_institute": 3,
                                                    "enterprise": 2}}, ...],   # every active
                       # area in its order, then any inactive one that has reforms
            "by_category": {"region": 30, "university_institute": 16, "enterprise": 12},
            "by_region_group": {"east": 30, "central_west": 22, "northeast": 6},
            "items": [{"id", "title", "title_other", "language", "base_code", "area",
                       "introduced_on"}, ...],   # by date introduced
            "linked_measures": 3,   # confirmed same-measure links
          },
          "cases": [ITEM, ...],     # published typical cases, by name
          "people": [ITEM, ...],    # published exemplary people, by name
        }

    with ``ITEM = {"id", "kind", "subkind", "name_zh", "name_en", "base_code", "base_name_zh",
    "base_name_en", "category", "region_group", "year", "story_zh", "story_en",
    "reason"}`` (a story is "" where it was not given in that language).
    """
    reforms = list(
        Reform.objects.filter(campaign=campaign, status=Reform.Status.CLASSIFIED).select_related(
            "area", "area_reported", "base__subcategory__category", "base__province"
        )
    )
    areas = list(PolicyArea.objects.order_by("order", "code"))
    per_area: dict[str, Counter] = {a.code: Counter() for a in areas}
    by_category: Counter = Counter()
    by_region: Counter = Counter()
    for reform in reforms:
        category = reform.base.subcategory.category.code
        per_area[reform.effective_area().code][category] += 1
        by_category[category] += 1
        by_region[reference.region_group_of(reform.base.province_id)] += 1
    area_rows = [
        {
            "code": a.code,
            "name_zh": a.name_zh,
            "name_en": a.name_en,
            "total": sum(per_area[a.code].values()),
            "by_category": {c: per_area[a.code][c] for c in CATEGORY_ORDER},
        }
        for a in areas
        if a.active or per_area[a.code]
    ]
    published = (
        Nomination.objects.filter(
            campaign=campaign, status=Nomination.Status.SELECTED, consent_at__isnull=False
        )
        .select_related("base__subcategory__category", "base__province")
        .order_by("name", "pk")
    )
    items = {"case": [], "person": []}
    for n in published:
        items[n.kind].append(
            {
                "id": n.pk,
                "kind": n.kind,
                "subkind": n.subkind,
                "name_zh": _name(n, "zh"),
                "name_en": _name(n, "en"),
                "base_code": n.base.code,
                "base_name_zh": n.base.name_zh,
                "base_name_en": n.base.name_en,
                "category": n.base.subcategory.category.code,
                "region_group": reference.region_group_of(n.base.province_id),
                "year": n.year,
                "story_zh": _story(n, "zh"),
                "story_en": _story(n, "en"),
                "reason": n.decision_reason,
            }
        )
    return {
        "campaign": campaign.code,
        "reforms": {
            "total": len(reforms),
            "areas": area_rows,
            "by_category": {c: by_category[c] for c in CATEGORY_ORDER},
            "by_region_group": {g: by_region[g] for g in REGION_GROUP_ORDER},
            "items": [
                {
                    "id": r.pk,
                    "title": r.title,
                    "title_other": r.title_other,
                    "language": r.language,
                    "base_code": r.base.code,
                    "area": r.effective_area().code,
                    "introduced_on": r.introduced_on.isoformat(),
                }
                for r in sorted(reforms, key=lambda r: (r.introduced_on, r.pk))
            ],
            "linked_measures": ReformLink.objects.filter(
                reform_a__campaign=campaign, status=ReformLink.Status.CONFIRMED
            ).count(),
        },
        "cases": items["case"],
        "people": items["person"],
    }
