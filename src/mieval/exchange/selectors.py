"""Reads of the exchange: the posts and bases frames the matching core takes, suggestions for a
post and for a base (both directions), the list of posts, and the status counts of contact
requests for the campaign report. A fixed, small number of queries each."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import Q, QuerySet

from mieval.core.matching.exchange import (
    BASES_COLUMNS,
    POSTS_COLUMNS,
    MatchWeights,
    offers_match,
    tag_set,
)
from mieval.core.reference import REGIONS, region_group_of
from mieval.exchange.models import ContactRequest, Post

#: Suggestions shown per post.
SUGGESTIONS = 5
_GROUP_REGIONS = {
    group: [r.code for r in REGIONS if r.group == group]
    for group in dict.fromkeys(r.group for r in REGIONS)
}


def exchange_frames(*, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The active posts (open, not expired on ``as_of``) as ``matching.POSTS_COLUMNS`` (with
    ``post_id`` the post's primary key) and their bases as ``code, category, province``; one
    query."""
    rows = list(
        Post.objects.active(as_of)
        .order_by("id")
        .values_list(
            "id",
            "base__code",
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
        )
    )
    posts = pd.DataFrame(
        [
            (pk, base, kind, cat, title, text, tuple(tags), lang, tuple(prefer), expires)
            for pk, base, kind, cat, title, text, tags, lang, prefer, expires, _c, _p in rows
        ],
        columns=POSTS_COLUMNS,
    )
    bases = pd.DataFrame(sorted({(r[1], r[10], r[11]) for r in rows}), columns=BASES_COLUMNS)
    return posts, bases


@dataclass(frozen=True)
class Suggestion:
    """A post of another base suggested for one of ``mine``, with why."""

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
    others = Post.objects.select_related("base__province", "base__subcategory").in_bulk(
        matches["other_id"].astype(int).tolist()
    )
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
            region_group_of(base_province[mine_post.base.code]),
            region_group_of(base_province[other.base.code]),
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
    """For each active post of ``base`` (of ``kind`` only, if given), its ``k`` best posts of
    other bases (offers for its needs, needs for its offers), grouped by post (newest first),
    best first within a post."""
    posts = Post.objects.active(as_of).filter(base=base).select_related("base__province")
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
    code of the posting base; ``q`` searches title, text and tags."""
    posts = visible.active(as_of).select_related("base__province", "base__subcategory__category")
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category=category)
    if language:
        posts = posts.filter(language=language)
    if region:
        posts = posts.filter(base__province__region__in=_GROUP_REGIONS.get(region, [region]))
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
    keeps the requests whose two bases are both among them; ``since`` and ``until`` (dates,
    inclusive) keep the requests made in that period. None means no restriction.

    Returns::

        {
            "total": int,                       # every request kept
            "by_status": {status: int},         # every status of ContactRequest.Status, in
                                                # order: proposed, contacted, agreed, done,
                                                # declined, withdrawn (zeros included)
            "east_central_west": {status: int}, # requests between an East and a
                                                # Central-West base (the poster's channel)
            "cross_type": {status: int},        # requests between bases of different
                                                # categories (region, university, enterprise)
            "mutual": int,                      # both sides accepted: contacted+agreed+done
        }
    """
    requests = ContactRequest.objects.all()
    if bases is not None:
        requests = requests.filter(requesting_base__in=bases, responding_base__in=bases)
    if since is not None:
        requests = requests.filter(requested_at__date__gte=since)
    if until is not None:
        requests = requests.filter(requested_at__date__lte=until)
    rows = requests.values_list(
        "status",
        "requesting_base__province_id",
        "responding_base__province_id",
        "requesting_base__subcategory__category_id",
        "responding_base__subcategory__category_id",
    )
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
