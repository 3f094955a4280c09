"""``/exchange``: the open needs and offers, one post's suggestions, the office's counts, the
own party's contact requests with both sides' outcome reports, one side's outcome report, and
a campaign's network of realised cooperation.

Posting and asking for contact happen on the site's pages. The same rules as the pages:
experts get 403; a post or request you may not see (closed or expired, another party's) is
not found; contact details are never in the API. A party is a base (its officers) or a
service provider (its organisers).
"""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.accounts.permissions import (
    can_post_some_exchange,
    can_use_exchange,
    can_view_exchange_counts,
    exchange_party_kwargs,
    exchange_posts_visible,
    exchange_requests_visible,
)
from mieval.api.collection import campaign_or_404
from mieval.api.pagination import Page, PagesMapped
from mieval.api.schemas import ExpectedVersion, Id
from mieval.exchange import selectors, services
from mieval.exchange.models import OutcomeReport
from mieval.exchange.services import ExchangeError
from mieval.lib.concurrency import ConcurrentEditError

router = Router(tags=["exchange"])

NO_EXCHANGE = "Your role does not use the exchange."


class PostOut(Schema):
    id: int
    base_code: str | None = Field(..., description="the posting base; null for a provider's")
    organisation_code: str | None = Field(
        ..., description="the posting service provider; null for a base's"
    )
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

    @staticmethod
    def resolve_base_code(post) -> str | None:
        return post.base.code if post.base_id else None

    @staticmethod
    def resolve_organisation_code(post) -> str | None:
        return post.organisation.code if post.organisation_id else None


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
        .select_related("base", "organisation")
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


OUTCOME_STATES = Literal["agreed", "under_way", "done", "dropped"]


class OutcomeOut(Schema):
    side: str = Field(..., description="requesting or responding")
    state: str = Field(..., description="agreed, under_way, done or dropped")
    note: str
    reported_at: datetime
    version: int


class RequestOut(Schema):
    id: int
    need: int
    offer: int
    requesting: str = Field(..., description="base code, or org:CODE for a provider")
    responding: str = Field(..., description="base code, or org:CODE for a provider")
    campaign: str | None = Field(..., description="the round the contact was asked for in")
    status: str = Field(..., description="proposed, contacted, agreed, done, declined, ...")
    version: int
    outcome: str = Field(
        ...,
        description="both sides' reports together: pending, one_side, realised, dropped or "
        "disputed (realised: both report a cooperation agreed, under way or done)",
    )
    stage: str | None = Field(..., description="for a realised one, the stage both confirm")
    requesting_report: OutcomeOut | None
    responding_report: OutcomeOut | None


class OutcomeIn(Schema):
    state: OUTCOME_STATES
    note: str = Field("", max_length=1000)
    expected_version: ExpectedVersion = Field(
        ..., description="the version of your side's report you read; 0 before the first"
    )


def _request_out(r, outcome) -> dict:
    from mieval.exchange.models import party_key

    return {
        "id": r.pk,
        "need": r.need_id,
        "offer": r.offer_id,
        "requesting": party_key(r.requesting_party),
        "responding": party_key(r.responding_party),
        "campaign": r.campaign.code if r.campaign_id else None,
        "status": r.status,
        "version": r.version,
        "outcome": outcome.combined,
        "stage": outcome.stage,
        "requesting_report": outcome.requesting,
        "responding_report": outcome.responding,
    }


def _requests_out(rows) -> list[dict]:
    outcomes = selectors.request_outcomes(rows)
    return [_request_out(r, outcomes[r.pk]) for r in rows]


def _requests(user):
    if not can_post_some_exchange(user) and not can_view_exchange_counts(user):
        raise HttpError(403, "Only the parties of the exchange and the office read requests.")
    return exchange_requests_visible(user).select_related(
        "requesting_base",
        "requesting_organisation",
        "responding_base",
        "responding_organisation",
        "campaign",
    )


@router.get(
    "/exchange/requests",
    response=list[RequestOut],
    summary="Contact requests and their outcomes",
    description="Your base's or service provider's contact requests (both sides), newest "
    "first, with each side's outcome report and what they say together; the office reads all. "
    "No contact details.",
)
@paginate(Page)
def request_list(request):
    return PagesMapped(_requests(request.auth).order_by("-requested_at", "-id"), _requests_out)


@router.put(
    "/exchange/requests/{pk}/outcome",
    response=RequestOut,
    summary="Report the outcome of a contact",
    description="Your side's report of what became of an accepted contact: agreed, "
    "under_way, done or dropped. 409 when your side reported meanwhile (a stale "
    "expected_version) or the contact was not accepted by both sides.",
)
def outcome_put(request, pk: Id, body: OutcomeIn):
    if not can_post_some_exchange(request.auth):
        raise HttpError(403, "Only a base's officers or a provider's organisers report outcomes.")
    found = _requests(request.auth).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, f"There is no contact request {pk} that you may see.")
    try:
        services.outcome_report(
            request=found,
            **exchange_party_kwargs(request.auth),
            user=request.auth,
            state=OutcomeReport.State(body.state),
            note=body.note,
            expected_version=body.expected_version,
        )
    except ConcurrentEditError as error:
        raise HttpError(409, error.message) from None
    except ExchangeError as error:
        raise HttpError(409, error.message) from None
    found.refresh_from_db()
    return _requests_out([found])[0]


@router.get(
    "/campaigns/{code}/exchange/network",
    response=dict,
    summary="The network of realised cooperation of a round",
    description="As exchange.selectors.campaign_network: round, previous, figures (links, "
    "nodes, cross_region(_share), east_central_west(_share), base_provider(_share), hhi, "
    "hhi_min, top_decile_nodes, top_decile_share, by_region_pair, by_type_pair), "
    "previous_figures and change. The evaluation office only.",
)
def network(request, code: str):
    if not can_view_exchange_counts(request.auth):
        raise HttpError(403, "Only the evaluation office reads the network figures.")
    return selectors.campaign_network(campaign_or_404(code))
