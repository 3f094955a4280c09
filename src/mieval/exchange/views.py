"""The exchange pages. Thin: ask ``accounts.permissions``, read with selectors, write with
services. A role that does not use the exchange gets 403; a post or request it may not see,
404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from mieval.accounts.permissions import (
    can_post_exchange,
    can_post_some_exchange,
    can_see_exchange_contact,
    can_use_exchange,
    can_view_exchange_counts,
    exchange_party_kwargs,
    exchange_party_of,
    exchange_posts_visible,
    exchange_requests_visible,
)
from mieval.exchange import selectors, services
from mieval.exchange.forms import ContactForm, OutcomeForm, PostFilterForm, PostForm
from mieval.exchange.models import (
    ContactRequest,
    ExchangeContact,
    OutcomeReport,
    Post,
    party_fields,
)
from mieval.exchange.services import ExchangeError
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import group_name, localized
from mieval.lib.pages import page_layout, require
from mieval.lib.params import id_param

POSTS_PER_PAGE = 25
#: The names of the network figures on the counts page (core.exchange.network.TABLE_FIGURES).
NETWORK_FIGURE_NAMES = {
    "links": gettext_lazy("Realised cooperations (links)"),
    "nodes": gettext_lazy("Parties with a link"),
    "cross_region_share": gettext_lazy("Share across region groups"),
    "east_central_west": gettext_lazy("East ↔ Central-West links"),
    "east_central_west_share": gettext_lazy("East ↔ Central-West share"),
    "base_provider_share": gettext_lazy("Base ↔ service provider share"),
    "hhi": pgettext_lazy("network", "Concentration (HHI)"),
    "top_decile_share": gettext_lazy("Share of link ends of the top 10% of parties"),
}
#: The step names of the request buttons and the status each leads to.
STEPS = {
    "accept": ContactRequest.Status.CONTACTED,
    "decline": ContactRequest.Status.DECLINED,
    "withdraw": ContactRequest.Status.WITHDRAWN,
}


def _today():
    return timezone.localdate()


def _base_label(party) -> dict:
    """A base's or a service provider's code, name and economic region; for a provider also
    its kind."""
    is_provider = party._meta.model_name == "organisation"
    return {
        "code": party.code,
        "name": localized(party.name_zh, party.name_en),
        "region": group_name("region", party.province.region),
        "provider": party.get_kind_display() if is_provider else "",
    }


def _suggestion_rows(suggestions, user) -> list[dict]:
    mine = exchange_party_of(user)
    return [
        {
            "s": s,
            "other_base": _base_label(s.other.owner),
            "explanation": localized(s.explanation_zh, s.explanation_en),
            "can_request": s.mine.is_owned_by(mine) and s.request is None,
        }
        for s in suggestions
    ]


# --- posts ------------------------------------------------------------------------------------


@login_required
def exchange_home(request):
    """The open needs and offers, filtered by kind, category, region and language; searched."""
    require(can_use_exchange(request.user))
    form = PostFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    posts = selectors.posts_listed(
        exchange_posts_visible(request.user, _today()),
        as_of=_today(),
        **{k: v for k, v in filters.items() if v},
    )
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [{"post": p, "base": _base_label(p.owner)} for p in page]
    return render(
        request,
        "exchange/home.html",
        {
            "layout": page_layout(request),
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "my_base": exchange_party_of(request.user),
            "can_post": can_post_some_exchange(request.user),
            "can_count": can_view_exchange_counts(request.user),
        },
    )


def _visible_post(request, pk: int) -> Post:
    require(can_use_exchange(request.user))
    return get_object_or_404(
        exchange_posts_visible(request.user, _today()).select_related(
            "base__province", "base__subcategory__category", "organisation__province"
        ),
        pk=pk,
    )


@login_required
def post_detail(request, pk: int):
    post = _visible_post(request, pk)
    suggestions = selectors.post_suggestions(post, as_of=_today())
    return render(
        request,
        "exchange/post_detail.html",
        {
            "post": post,
            "base": _base_label(post.owner),
            "regions": [group_name_any(code) for code in post.preferred_regions],
            "is_active": post.is_active(_today()),
            "is_mine": post.is_owned_by(exchange_party_of(request.user)),
            "rows": _suggestion_rows(suggestions, request.user),
        },
    )


def group_name_any(code: str) -> str:
    """The name of a region or region-group code."""
    field = "region_group" if code in {"east", "central_west"} else "region"
    return group_name(field, code)


@login_required
def post_edit(request, pk: int | None = None):
    """A new post of the officer's base or the organiser's service provider, or a change to
    one of its open posts."""
    require(can_post_some_exchange(request.user))
    party = exchange_party_kwargs(request.user)
    post = None
    if pk is not None:
        post = get_object_or_404(Post, pk=pk)
        if not can_post_exchange(request.user, post.owner):
            raise Http404
    form = PostForm(request.POST or None, post=post, provider="organisation" in party)
    if request.method == "POST" and form.is_valid():
        try:
            if post is None:
                post = services.post_create(**party, user=request.user, data=form.post_data())
                messages.success(request, _("Your post is open in the exchange."))
            else:
                post = services.post_update(
                    post=post,
                    user=request.user,
                    data=form.post_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
                messages.success(request, _("The post is saved."))
        except ValidationError as error:
            form.add_error(None, error)
        except (ExchangeError, ConcurrentEditError) as error:
            form.add_error(None, error.message)
        else:
            return redirect("exchange_post", pk=post.pk)
    return render(request, "exchange/post_form.html", {"form": form, "post": post})


@login_required
@require_POST
def post_close(request, pk: int):
    require(can_post_some_exchange(request.user))
    post = get_object_or_404(Post, pk=pk)
    if not can_post_exchange(request.user, post.owner):
        raise Http404
    services.post_close(post=post, user=request.user)
    messages.success(request, _("The post is closed."))
    return redirect("exchange_mine")


# --- contact requests -------------------------------------------------------------------------


@login_required
@require_POST
def request_create(request):
    """Ask the other party for contact on one of my posts and one of its posts."""
    require(can_post_some_exchange(request.user))
    party = exchange_party_kwargs(request.user)
    visible = exchange_posts_visible(request.user, _today())
    my_post = get_object_or_404(
        visible, pk=id_param(request.POST.get("mine"), "mine"), **party_fields(*party.values())
    )
    other = get_object_or_404(
        visible.exclude(**party_fields(*party.values())),
        pk=id_param(request.POST.get("other"), "other"),
    )
    try:
        services.contact_request_create(
            **party,
            my_post=my_post,
            other_post=other,
            user=request.user,
            message=request.POST.get("message", ""),
            as_of=_today(),
        )
    except (ExchangeError, ConcurrentEditError) as error:
        messages.error(request, error.message)
        return redirect("exchange_post", pk=my_post.pk)
    messages.success(
        request,
        _("Contact requested from %(base)s. Its contact details are shown once it accepts.")
        % {"base": localized(other.owner.name_zh, other.owner.name_en)},
    )
    return redirect("exchange_mine")


@login_required
@require_POST
def request_step(request, pk: int, step: str):
    require(can_post_some_exchange(request.user))
    if step not in STEPS:
        raise Http404
    contact_request = get_object_or_404(exchange_requests_visible(request.user), pk=pk)
    version = request.POST.get("version")
    try:
        services.contact_request_step(
            request=contact_request,
            **exchange_party_kwargs(request.user),
            user=request.user,
            to_status=STEPS[step],
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except (ExchangeError, ConcurrentEditError) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request is now %(status)s.")
            % {"status": ContactRequest.Status(STEPS[step]).label},
        )
    return redirect("exchange_mine")


def _request_rows(requests, user, party, today) -> list[dict]:
    rows = []
    others = [r.other_party(party) for r in requests]
    contacts = {}
    for contact in ExchangeContact.objects.filter(
        Q(base__in=[o for o in others if o._meta.model_name == "base"])
        | Q(organisation__in=[o for o in others if o._meta.model_name == "organisation"])
    ):
        contacts[(contact.base_id, contact.organisation_id)] = contact
    outcomes = selectors.request_outcomes(requests)
    for r, other in zip(requests, others, strict=True):
        side = r.side_of(party)
        incoming = side == OutcomeReport.Side.RESPONDING
        theirs = r.need if not r.need.is_owned_by(party) else r.offer
        outcome = outcomes[r.pk]
        mine_report = outcome.of_side(side)
        other_side = OutcomeReport.Side.REQUESTING if incoming else OutcomeReport.Side.RESPONDING
        key = party_fields(other)
        rows.append(
            {
                "r": r,
                "incoming": incoming,
                "mine": r.offer if theirs is r.need else r.need,
                "theirs": theirs,
                "theirs_active": theirs.is_active(today),
                "other_base": _base_label(other),
                "contact": (
                    contacts.get(
                        (getattr(key["base"], "pk", None), getattr(key["organisation"], "pk", None))
                    )
                    if can_see_exchange_contact(user, r)
                    else None
                ),
                "steps": [
                    step
                    for step, to in STEPS.items()
                    if (r.status, to) in services.TRANSITIONS
                    and services.TRANSITIONS[(r.status, to)]
                    in ("either", "responding" if incoming else "requesting")
                ],
                "outcome": outcome,
                "our_report": mine_report,
                "their_report": outcome.of_side(other_side),
                "outcome_form": (
                    OutcomeForm(
                        initial={
                            "state": mine_report.state if mine_report else "",
                            "version": mine_report.version if mine_report else 0,
                        },
                        prefix=f"o{r.pk}",
                    )
                    if r.is_mutual()
                    else None
                ),
            }
        )
    return rows


@login_required
def my_exchange(request):
    """A base officer's or an organiser's exchange: the party's posts, suggestions, requests,
    outcomes and contact."""
    require(can_post_some_exchange(request.user))
    party = exchange_party_of(request.user)
    today = _today()
    requests = list(
        exchange_requests_visible(request.user).select_related(
            "need__base",
            "need__organisation",
            "offer__base",
            "offer__organisation",
            "requesting_base__province",
            "responding_base__province",
            "requesting_organisation__province",
            "responding_organisation__province",
        )
    )
    rows = _request_rows(requests, request.user, party, today)
    contact = ExchangeContact.objects.filter(**party_fields(party)).first()
    return render(
        request,
        "exchange/mine.html",
        {
            "base": _base_label(party),
            "posts": Post.objects.filter(**party_fields(party)).order_by("status", "-created_at"),
            "today": today,
            "suggestions": _suggestion_rows(
                selectors.base_suggestions(party, as_of=today, k=3), request.user
            ),
            "incoming": [r for r in rows if r["incoming"]],
            "outgoing": [r for r in rows if not r["incoming"]],
            "contact": contact,
        },
    )


@login_required
@require_POST
def outcome_report(request, pk: int):
    """One side's report of the outcome of an accepted contact."""
    require(can_post_some_exchange(request.user))
    contact_request = get_object_or_404(exchange_requests_visible(request.user), pk=pk)
    form = OutcomeForm(request.POST, prefix=f"o{pk}")
    if not form.is_valid():
        messages.error(request, _("Choose an outcome to report."))
        return redirect("exchange_mine")
    try:
        services.outcome_report(
            request=contact_request,
            **exchange_party_kwargs(request.user),
            user=request.user,
            state=form.cleaned_data["state"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    except (ExchangeError, ConcurrentEditError) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your outcome is reported: %(state)s.")
            % {"state": OutcomeReport.State(form.cleaned_data["state"]).label},
        )
    return redirect("exchange_mine")


@login_required
def contact_edit(request):
    require(can_post_some_exchange(request.user))
    party = exchange_party_kwargs(request.user)
    contact = ExchangeContact.objects.filter(**party_fields(*party.values())).first()
    initial = {"version": contact.version} if contact else {"version": 0}
    form = ContactForm(request.POST or None, instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                **party,
                user=request.user,
                person=form.cleaned_data["person"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                expected_version=form.cleaned_data["version"],
            )
        except (ExchangeError, ConcurrentEditError) as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact details are saved."))
            return redirect("exchange_mine")
    return render(request, "exchange/contact_form.html", {"form": form})


@login_required
def exchange_counts(request):
    """The office's view: contact requests by status, East-Central-West and across types, and
    the network of realised cooperation of each programme's rounds with the change from the
    round before."""
    require(can_view_exchange_counts(request.user))
    counts = selectors.exchange_status_counts()
    labels = dict(ContactRequest.Status.choices)
    rows = [
        {
            "status": status,
            "label": labels[status],
            "all": counts["by_status"][status],
            "east_central_west": counts["east_central_west"][status],
            "cross_type": counts["cross_type"][status],
        }
        for status in ContactRequest.Status.values
    ]
    today = _today()
    return render(
        request,
        "exchange/counts.html",
        {
            "rows": rows,
            "counts": counts,
            "networks": [_network_labelled(n) for n in selectors.programmes_network()],
            "open_needs": Post.objects.active(today).filter(kind=Post.Kind.NEED).count(),
            "open_offers": Post.objects.active(today).filter(kind=Post.Kind.OFFER).count(),
        },
    )


def _party_kind_name(code: str) -> str:
    """A base category's or a service provider's kind's name."""
    from mieval.panels.models import Organisation

    kinds = dict(Organisation.Kind.choices)
    return str(kinds[code]) if code in kinds else group_name("category", code)


def _network_labelled(network: dict) -> dict:
    """The programme's network tables with the names a person reads beside the codes."""
    return {
        **network,
        "figures": [
            {**row, "label": NETWORK_FIGURE_NAMES[row["figure"]]} for row in network["figures"]
        ],
        "region_pairs": [
            {
                **row,
                "label_a": group_name("region_group", row["a"]),
                "label_b": group_name("region_group", row["b"]),
            }
            for row in network["region_pairs"]
        ],
        "type_pairs": [
            {**row, "label_a": _party_kind_name(row["a"]), "label_b": _party_kind_name(row["b"])}
            for row in network["type_pairs"]
        ],
    }
