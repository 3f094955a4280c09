"""Reads of the exchange: the posts and parties frames the matching core takes, suggestions for
a post and for a party (both directions), the list of posts, the status counts of contact
requests, both sides' outcome reports, and the links frame of realised cooperation with its
network figures per round, for the campaign report. A fixed, small number of queries each.

A party is a base or a service provider (an organisation); in the core's frames it is named
by :func:`~mieval.exchange.models.party_key` and its "category" is the base category or the
provider's kind."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import Q, QuerySet

from mieval.core.exchange.network import (
    LINK_COLUMNS,
    network_pairs_table,
    network_rounds,
    network_rounds_table,
)
from mieval.core.exchange.outcomes import outcome_combined
from mieval.core.matching.exchange import (
    BASES_COLUMNS,
    POSTS_COLUMNS,
    MatchWeights,
    offers_match,
    tag_set,
)
from mieval.core.reference import REGIONS, region_group_of
from mieval.exchange.models import (
    ORGANISATION_KEY_PREFIX,
    ContactRequest,
    OutcomeReport,
    Post,
    party_key,
)

#: Suggestions shown per post.
SUGGESTIONS = 5
_GROUP_REGIONS = {
    group: [r.code for r in REGIONS if r.group == group]
    for group in dict.fromkeys(r.group for r in REGIONS)
}


def exchange_frames(*, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The active posts (open, not expired on ``as_of``) as ``matching.POSTS_COLUMNS`` (with
    ``post_id`` the post's primary key and ``base_code`` the owner's party key) and their
    owners as ``code, category, province`` (a provider's category is its kind, its province
    the organisation's); one query."""
    rows = list(
        Post.objects.active(as_of)
        .order_by("id")
        .values_list(
            "id",
            "base__code",
            "organisation__code",
            "kind",
            "category",
            "title",
            "text",
            "tags",
            "language",
            "preferred_regions",
            "expires",
            "base__subcategory__category_id",
            "base__province_id",
            "organisation__kind",
            "organisation__province_id",
        )
    )
    posts, owners = [], set()
    for pk, base, org, kind, cat, title, text, tags, lang, prefer, expires, *owner in rows:
        base_category, base_province, org_kind, org_province = owner
        key = base if base is not None else ORGANISATION_KEY_PREFIX + org
        posts.append((pk, key, kind, cat, title, text, tuple(tags), lang, tuple(prefer), expires))
        if base is not None:
            owners.add((key, base_category, base_province))
        else:
            owners.add((key, org_kind, org_province))
    return (
        pd.DataFrame(posts, columns=POSTS_COLUMNS),
        pd.DataFrame(sorted(owners), columns=BASES_COLUMNS),
    )


@dataclass(frozen=True)
class Suggestion:
    """A post of another party suggested for one of ``mine``, with why."""

    mine: Post
    other: Post
    score: float
    text_similarity: float
    tag_overlap: float
    shared_terms: tuple[str, ...]
    shared_tags: tuple[str, ...]
    east_central_west: bool
    preferred_region: bool
    cross_type: bool
    explanation_zh: str
    explanation_en: str
    request: ContactRequest | None

    @property
    def need(self) -> Post:
        return self.mine if self.mine.kind == Post.Kind.NEED else self.other

    @property
    def offer(self) -> Post:
        return self.other if self.mine.kind == Post.Kind.NEED else self.mine


def _matches(posts: pd.DataFrame, bases: pd.DataFrame, *, as_of, k, mine: set[int]):
    """Matches for the posts ``mine``: offers for the needs among them, needs for the offers.

    The score is symmetric in need and offer, so the needs for an offer are the core's offers
    for a need once the kinds are swapped. Each run's corpus (its idf) is my posts of one kind
    and every active post of the other kind: other bases' needs do not change which offers
    suit my need.
    """
    frames = []
    mine_needs = posts["kind"].eq("need") & posts["post_id"].isin(mine)
    mine_offers = posts["kind"].eq("offer") & posts["post_id"].isin(mine)
    if mine_needs.any():
        # Only my needs and every offer: the other needs do not change an offer's ranking.
        subset = posts.loc[mine_needs | posts["kind"].eq("offer")]
        matches = offers_match(subset, bases, as_of=as_of, k=k)
        frames.append(matches.rename(columns={"need_id": "mine_id", "offer_id": "other_id"}))
    if mine_offers.any():
        subset = posts.loc[mine_offers | posts["kind"].eq("need")]
        swapped = subset.assign(kind=subset["kind"].map({"need": "offer", "offer": "need"}))
        matches = offers_match(swapped, bases, as_of=as_of, k=k)
        frames.append(matches.rename(columns={"need_id": "mine_id", "offer_id": "other_id"}))
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _suggestions(mine_posts: list[Post], *, as_of: date, k: int) -> list[Suggestion]:
    mine = {p.pk: p for p in mine_posts if p.is_active(as_of)}
    if not mine:
        return []
    posts, bases = exchange_frames(as_of=as_of)
    matches = _matches(posts, bases, as_of=as_of, k=k, mine=set(mine))
    if matches.empty:
        return []
    others = Post.objects.select_related(
        "base__province", "base__subcategory", "organisation__province"
    ).in_bulk(matches["other_id"].astype(int).tolist())
    pairs = Q()
    for row in matches.itertuples(index=False):
        mine_post = mine[int(row.mine_id)]
        if mine_post.kind == Post.Kind.NEED:
            pairs |= Q(need_id=int(row.mine_id), offer_id=int(row.other_id))
        else:
            pairs |= Q(need_id=int(row.other_id), offer_id=int(row.mine_id))
    live = {
        (r.need_id, r.offer_id): r
        for r in ContactRequest.objects.filter(pairs).exclude(status__in=ContactRequest.CLOSED)
    }
    weights = MatchWeights()
    base_province = dict(zip(bases["code"], bases["province"], strict=True))
    out = []
    for row in matches.itertuples(index=False):
        mine_post, other = mine[int(row.mine_id)], others[int(row.other_id)]
        groups = {
            region_group_of(base_province[party_key(mine_post.owner)]),
            region_group_of(base_province[party_key(other.owner)]),
        }
        bridge = groups == {"east", "central_west"}
        is_need = mine_post.kind == Post.Kind.NEED
        key = (mine_post.pk, other.pk) if is_need else (other.pk, mine_post.pk)
        out.append(
            Suggestion(
                mine=mine_post,
                other=other,
                score=float(row.score),
                text_similarity=float(row.text_similarity),
                tag_overlap=float(row.tag_overlap),
                shared_terms=tuple(row.shared_terms),
                shared_tags=tuple(sorted(tag_set(mine_post.tags) & tag_set(other.tags))),
                east_central_west=bridge,
                preferred_region=row.region_rule - weights.bridge * bridge > 1e-12,
                cross_type=bool(row.cross_type),
                explanation_zh=row.explanation_zh,
                explanation_en=row.explanation_en,
                request=live.get(key),
            )
        )
    return out


def post_suggestions(post: Post, *, as_of: date, k: int = SUGGESTIONS) -> list[Suggestion]:
    """The best ``k`` posts of other bases for ``post``: offers for a need, needs for an offer;
    best first. None for a closed or expired post."""
    return _suggestions([post], as_of=as_of, k=k)


def base_suggestions(
    base, *, as_of: date, k: int = SUGGESTIONS, kind: str | None = None
) -> list[Suggestion]:
    """For each active post of ``base`` (a base or an organisation; of ``kind`` only, if
    given), its ``k`` best posts of other parties (offers for its needs, needs for its
    offers), grouped by post (newest first), best first within a post."""
    field = "organisation" if base._meta.model_name == "organisation" else "base"
    posts = (
        Post.objects.active(as_of)
        .filter(**{field: base})
        .select_related("base__province", "organisation__province")
    )
    if kind is not None:
        posts = posts.filter(kind=kind)
    posts = list(posts)
    found = _suggestions(posts, as_of=as_of, k=k)
    order = {p.pk: i for i, p in enumerate(posts)}
    return sorted(found, key=lambda s: (order[s.mine.pk], -s.score))


def posts_listed(
    visible: QuerySet[Post],
    *,
    as_of: date,
    kind: str = "",
    category: str = "",
    region: str = "",
    language: str = "",
    q: str = "",
) -> QuerySet[Post]:
    """The active posts among ``visible``, filtered: ``region`` is a region or region-group
    code of the posting party; ``q`` searches title, text and tags."""
    posts = visible.active(as_of).select_related(
        "base__province", "base__subcategory__category", "organisation__province"
    )
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category=category)
    if language:
        posts = posts.filter(language=language)
    if region:
        regions = _GROUP_REGIONS.get(region, [region])
        posts = posts.filter(
            Q(base__province__region__in=regions) | Q(organisation__province__region__in=regions)
        )
    for word in q.split():
        posts = posts.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(tags__icontains=word)
        )
    return posts.order_by("-created_at", "-id")


def exchange_status_counts(
    *, bases=None, since: date | None = None, until: date | None = None
) -> dict:
    """Counts of contact requests by status, for the campaign report; one query.

    Parameters: ``bases`` (a queryset or iterable of bases, e.g. ``campaign.bases.all()``)
    keeps the requests whose bases are all among them (a service provider's side counts as
    among them); ``since`` and ``until`` (dates, inclusive) keep the requests made in that
    period. None means no restriction.

    Returns::

        {
            "total": int,                       # every request kept
            "by_status": {status: int},         # every status of ContactRequest.Status, in
                                                # order: proposed, contacted, agreed, done,
                                                # declined, withdrawn (zeros included)
            "east_central_west": {status: int}, # requests between an East and a
                                                # Central-West base (the poster's channel)
            "cross_type": {status: int},        # requests between parties of different
                                                # categories (region, university, enterprise,
                                                # or a service provider's kind)
            "mutual": int,                      # both sides accepted: contacted+agreed+done
        }
    """
    requests = ContactRequest.objects.all()
    if bases is not None:
        requests = requests.filter(
            Q(requesting_base__in=bases) | Q(requesting_base__isnull=True),
            Q(responding_base__in=bases) | Q(responding_base__isnull=True),
        )
    if since is not None:
        requests = requests.filter(requested_at__date__gte=since)
    if until is not None:
        requests = requests.filter(requested_at__date__lte=until)
    rows = [
        (
            status,
            province_a or org_province_a,
            province_b or org_province_b,
            category_a or kind_a,
            category_b or kind_b,
        )
        for (
            status,
            province_a,
            province_b,
            category_a,
            category_b,
            org_province_a,
            org_province_b,
            kind_a,
            kind_b,
        ) in requests.values_list(
            "status",
            "requesting_base__province_id",
            "responding_base__province_id",
            "requesting_base__subcategory__category_id",
            "responding_base__subcategory__category_id",
            "requesting_organisation__province_id",
            "responding_organisation__province_id",
            "requesting_organisation__kind",
            "responding_organisation__kind",
        )
    ]
    statuses = list(ContactRequest.Status.values)
    counts = {
        "total": 0,
        "by_status": dict.fromkeys(statuses, 0),
        "east_central_west": dict.fromkeys(statuses, 0),
        "cross_type": dict.fromkeys(statuses, 0),
        "mutual": 0,
    }
    for status, province_a, province_b, category_a, category_b in rows:
        counts["total"] += 1
        counts["by_status"][status] += 1
        if {region_group_of(province_a), region_group_of(province_b)} == {"east", "central_west"}:
            counts["east_central_west"][status] += 1
        if category_a != category_b:
            counts["cross_type"][status] += 1
        counts["mutual"] += status in ContactRequest.MUTUAL
    return counts


# --- outcomes and the network of realised cooperation -----------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Both sides' reports on one contact request and what they say together."""

    requesting: OutcomeReport | None
    responding: OutcomeReport | None
    combined: str
    stage: str | None

    def of_side(self, side: str) -> OutcomeReport | None:
        return self.requesting if side == OutcomeReport.Side.REQUESTING else self.responding

    @property
    def disagree(self) -> bool:
        """Both sides reported, and not the same state."""
        return (
            self.requesting is not None
            and self.responding is not None
            and self.requesting.state != self.responding.state
        )


def request_outcomes(requests) -> dict[int, Outcome]:
    """``{request id: Outcome}`` for the given requests (ids or rows); one query."""
    ids = [r if isinstance(r, int) else r.pk for r in requests]
    reports: dict[int, dict[str, OutcomeReport]] = {pk: {} for pk in ids}
    for report in OutcomeReport.objects.filter(request_id__in=ids).select_related("reported_by"):
        reports[report.request_id][report.side] = report
    out = {}
    for pk, sides in reports.items():
        a = sides.get(OutcomeReport.Side.REQUESTING)
        b = sides.get(OutcomeReport.Side.RESPONDING)
        combined, stage = outcome_combined(a.state if a else None, b.state if b else None)
        out[pk] = Outcome(requesting=a, responding=b, combined=combined, stage=stage)
    return out


def _party_columns(prefix: str) -> list[str]:
    return [
        f"{prefix}base__code",
        f"{prefix}base__subcategory__category_id",
        f"{prefix}base__province_id",
        f"{prefix}organisation__code",
        f"{prefix}organisation__kind",
        f"{prefix}organisation__province_id",
    ]


def _party_of_row(code, category, province, org_code, org_kind, org_province):
    if code is not None:
        return code, category, region_group_of(province)
    return ORGANISATION_KEY_PREFIX + org_code, org_kind, region_group_of(org_province)


def realised_links_frame(campaigns) -> pd.DataFrame:
    """The realised cooperation of the contact requests made in ``campaigns`` (the rounds), as
    ``core.exchange.network.LINK_COLUMNS`` with ``round`` the campaign's code: one row per
    request whose two sides both report a cooperation agreed, under way or done. Two
    queries."""
    campaign_code = {c.pk: c.code for c in campaigns}
    rows = ContactRequest.objects.filter(
        campaign_id__in=list(campaign_code), status__in=ContactRequest.MUTUAL
    ).values_list(
        "id", "campaign_id", *_party_columns("requesting_"), *_party_columns("responding_")
    )
    rows = list(rows)
    outcomes = request_outcomes([r[0] for r in rows])
    links = []
    for pk, campaign_id, *sides in rows:
        if outcomes[pk].combined != "realised":
            continue
        a, b = _party_of_row(*sides[:6]), _party_of_row(*sides[6:])
        links.append((campaign_code[campaign_id], a[0], b[0], a[1], b[1], a[2], b[2]))
    return pd.DataFrame(links, columns=LINK_COLUMNS)


def campaign_rounds(campaign) -> list:
    """The rounds measured round over round up to ``campaign``: its programme's campaigns
    whose round is not later than its, in round order (one query). A campaign without a
    programme (none is saved so, but an unsaved one may be) falls back to every campaign whose
    first year is not later than its, by first year (then creation)."""
    from mieval.collection.models import Campaign

    if campaign.programme_id is not None:
        return list(
            Campaign.objects.filter(
                programme_id=campaign.programme_id, round__lte=campaign.round
            ).order_by("round")
        )
    return list(
        Campaign.objects.filter(first_year__lte=campaign.first_year).order_by(
            "first_year", "created_at", "id"
        )
    )


def campaign_network(campaign) -> dict:
    """The network figures of the campaign's round and of the round before, for the report::

    {"round": code, "previous": code or None,
     "figures": core.exchange.network.network_figures of this round,
     "previous_figures": the previous round's figures or None,
     "change": {figure: now - before} or None}
    """
    rounds = campaign_rounds(campaign)
    if campaign.pk not in {c.pk for c in rounds}:
        rounds.append(campaign)
    measured = network_rounds(realised_links_frame(rounds), [c.code for c in rounds])
    by_code = {m["round"]: m for m in measured}
    this = by_code[campaign.code]
    before = by_code.get(this["previous"]) if this["previous"] else None
    return {
        "round": campaign.code,
        "previous": this["previous"],
        "figures": this["figures"],
        "previous_figures": before["figures"] if before else None,
        "change": this["change"],
    }


def programme_network(programme) -> dict:
    """The network figures of every round of ``programme``, each with its change against the
    round before, as tables (``core.exchange.network.network_rounds_table`` and
    ``network_pairs_table``)::

    {"programme": programme, "rounds": [campaigns in round order],
     "figures": rows per figure, "region_pairs": rows per region-group pair,
     "type_pairs": rows per type pair}

    Three queries, whatever the number of rounds and requests."""
    from mieval.collection.selectors import programme_campaigns

    rounds = programme_campaigns(programme)
    measured = network_rounds(realised_links_frame(rounds), [c.code for c in rounds])
    return {
        "programme": programme,
        "rounds": rounds,
        "figures": network_rounds_table(measured),
        "region_pairs": network_pairs_table(measured, "by_region_pair"),
        "type_pairs": network_pairs_table(measured, "by_type_pair"),
    }


def programmes_network() -> list[dict]:
    """:func:`programme_network` of every programme that has a campaign, by code."""
    from mieval.collection.models import Programme

    return [
        programme_network(p)
        for p in Programme.objects.filter(campaigns__isnull=False).distinct().order_by("code")
    ]
