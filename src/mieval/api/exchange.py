"""``/exchange``: the open needs and offers, one post's suggestions, and the office's counts.

Read only: posting and contact requests happen on the site's pages. The same rules as the
pages: experts and organisers get 403; a post you may not see (closed or expired, another
base's) is not found; contact details are never in the API.
"""

from datetime import date

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.accounts.permissions import (
    can_use_exchange,
    can_view_exchange_counts,
    exchange_posts_visible,
)
from mieval.api.pagination import Page
from mieval.api.schemas import Id
from mieval.exchange import selectors

router = Router(tags=["exchange"])

NO_EXCHANGE = "Your role does not use the exchange."


class PostOut(Schema):
    id: int
    base_code: str = Field(..., alias="base.code")
    kind: str = Field(..., description="need or offer")
    category: str = Field(..., description="technology, talent, capital, incubation_space, ...")
    title: str
    text: str
    language: str = Field(..., description="zh or en")
    tags: list[str]
    preferred_regions: list[str] = Field(..., description="region or region-group codes")
    expires: date
    status: str = Field(..., description="open or closed")
    version: int


class SuggestionOut(Schema):
    post: PostOut = Field(..., description="the other base's post (an offer for a need, ...)")
    score: float
    text_similarity: float = Field(..., description="cosine of the TF-IDF vectors, 0 to 1")
    tag_overlap: float = Field(..., description="Jaccard overlap of the tags, 0 to 1")
    shared_terms: list[str]
    shared_tags: list[str]
    east_central_west: bool = Field(..., description="links an East and a Central-West base")
    preferred_region: bool
    cross_type: bool = Field(..., description="the bases are of different categories")
    explanation_zh: str
    explanation_en: str


class PostFilters(Schema):
    kind: str | None = Field(None, description="need or offer")
    category: str | None = Field(None, description="post category code")
    region: str | None = Field(None, description="region or region-group code of the base")
    language: str | None = Field(None, description="zh or en")
    q: str | None = Field(None, description="words in the title, text or tags")


def _require_exchange(user) -> None:
    if not can_use_exchange(user):
        raise HttpError(403, NO_EXCHANGE)


@router.get(
    "/exchange/posts",
    response=list[PostOut],
    summary="Open needs and offers",
    description="The open, unexpired posts, newest first.",
)
@paginate(Page)
def post_list(request, filters: Query[PostFilters]):
    _require_exchange(request.auth)
    today = timezone.localdate()
    return selectors.posts_listed(
        exchange_posts_visible(request.auth, today),
        as_of=today,
        **{k: v for k, v in filters.dict().items() if v},
    )


def _post(user, pk: int):
    _require_exchange(user)
    post = (
        exchange_posts_visible(user, timezone.localdate())
        .select_related("base")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise HttpError(404, f"There is no post {pk} that you may see.")
    return post


@router.get("/exchange/posts/{pk}", response=PostOut, summary="One post")
def post_detail(request, pk: Id):
    return _post(request.auth, pk)


@router.get(
    "/exchange/posts/{pk}/suggestions",
    response=list[SuggestionOut],
    summary="Suggested partners for one post",
    description="The best five posts of other bases for this one (offers for a need, needs "
    "for an offer), best first, with the reasons; empty for a closed or expired post.",
)
def post_suggestions(request, pk: Id):
    post = _post(request.auth, pk)
    return [
        {
            "post": s.other,
            "score": s.score,
            "text_similarity": s.text_similarity,
            "tag_overlap": s.tag_overlap,
            "shared_terms": list(s.shared_terms),
            "shared_tags": list(s.shared_tags),
            "east_central_west": s.east_central_west,
            "preferred_region": s.preferred_region,
            "cross_type": s.cross_type,
            "explanation_zh": s.explanation_zh,
            "explanation_en": s.explanation_en,
        }
        for s in selectors.post_suggestions(post, as_of=timezone.localdate())
    ]


@router.get(
    "/exchange/counts",
    response=dict,
    summary="Contact requests by status",
    description="As exchange.selectors.exchange_status_counts: total, by_status, "
    "east_central_west, cross_type, mutual. The evaluation office only.",
)
def counts(request):
    if not can_view_exchange_counts(request.auth):
        raise HttpError(403, "Only the evaluation office reads the exchange counts.")
    return selectors.exchange_status_counts()
