"""The exchange pages. Thin: ask ``accounts.permissions``, read with selectors, write with
services. A role that does not use the exchange gets 403; a post or request it may not see,
404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.permissions import (
    can_post_exchange,
    can_post_some_exchange,
    can_see_exchange_contact,
    can_use_exchange,
    can_view_exchange_counts,
    exchange_base_of,
    exchange_posts_visible,
    exchange_requests_visible,
)
from mieval.exchange import selectors, services
from mieval.exchange.forms import ContactForm, PostFilterForm, PostForm
from mieval.exchange.models import ContactRequest, ExchangeContact, Post
from mieval.exchange.services import ExchangeError
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import group_name, localized
from mieval.lib.pages import page_layout, require
from mieval.lib.params import id_param
from mieval.registry.models import Base

POSTS_PER_PAGE = 25
#: The step names of the request buttons and the status each leads to.
STEPS = {
    "accept": ContactRequest.Status.CONTACTED,
    "decline": ContactRequest.Status.DECLINED,
    "withdraw": ContactRequest.Status.WITHDRAWN,
    "agree": ContactRequest.Status.AGREED,
    "done": ContactRequest.Status.DONE,
}


def _today():
    return timezone.localdate()


def _base_label(base: Base) -> dict:
    return {
        "code": base.code,
        "name": localized(base.name_zh, base.name_en),
        "region": group_name("region", base.province.region),
    }


def _suggestion_rows(suggestions, user) -> list[dict]:
    my_base = exchange_base_of(user)
    return [
        {
            "s": s,
            "other_base": _base_label(s.other.base),
            "explanation": localized(s.explanation_zh, s.explanation_en),
            "can_request": (
                my_base is not None and s.mine.base_id == my_base.pk and s.request is None
            ),
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
    rows = [{"post": p, "base": _base_label(p.base)} for p in page]
    return render(
        request,
        "exchange/home.html",
        {
            "layout": page_layout(request),
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "my_base": exchange_base_of(request.user),
            "can_post": can_post_some_exchange(request.user),
            "can_count": can_view_exchange_counts(request.user),
        },
    )


def _visible_post(request, pk: int) -> Post:
    require(can_use_exchange(request.user))
    return get_object_or_404(
        exchange_posts_visible(request.user, _today()).select_related(
            "base__province", "base__subcategory__category"
        ),
        pk=pk,
    )


@login_required
def post_detail(request, pk: int):
    post = _visible_post(request, pk)
    my_base = exchange_base_of(request.user)
    suggestions = selectors.post_suggestions(post, as_of=_today())
    return render(
        request,
        "exchange/post_detail.html",
        {
            "post": post,
            "base": _base_label(post.base),
            "regions": [group_name_any(code) for code in post.preferred_regions],
            "is_active": post.is_active(_today()),
            "is_mine": my_base is not None and post.base_id == my_base.pk,
            "rows": _suggestion_rows(suggestions, request.user),
        },
    )


def group_name_any(code: str) -> str:
    """The name of a region or region-group code."""
    field = "region_group" if code in {"east", "central_west"} else "region"
    return group_name(field, code)


@login_required
def post_edit(request, pk: int | None = None):
    """A new post of the officer's base, or a change to one of its open posts."""
    require(can_post_some_exchange(request.user))
    base = exchange_base_of(request.user)
    post = None
    if pk is not None:
        post = get_object_or_404(Post, pk=pk)
        if not can_post_exchange(request.user, post.base):
            raise Http404
    form = PostForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            if post is None:
                post = services.post_create(base=base, user=request.user, data=form.post_data())
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
    if not can_post_exchange(request.user, post.base):
        raise Http404
    services.post_close(post=post, user=request.user)
    messages.success(request, _("The post is closed."))
    return redirect("exchange_mine")


# --- contact requests -------------------------------------------------------------------------


@login_required
@require_POST
def request_create(request):
    """Ask the other base for contact on one of my posts and one of its posts."""
    require(can_post_some_exchange(request.user))
    base = exchange_base_of(request.user)
    visible = exchange_posts_visible(request.user, _today())
    my_post = get_object_or_404(visible, pk=id_param(request.POST.get("mine"), "mine"), base=base)
    other = get_object_or_404(
        visible.exclude(base=base), pk=id_param(request.POST.get("other"), "other")
    )
    try:
        services.contact_request_create(
            base=base,
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
        % {"base": localized(other.base.name_zh, other.base.name_en)},
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
            base=exchange_base_of(request.user),
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


def _request_rows(requests, user, base, today) -> list[dict]:
    rows = []
    contacts = {
        c.base_id: c
        for c in ExchangeContact.objects.filter(
            base_id__in={r.other_base_id(base.pk) for r in requests}
        )
    }
    for r in requests:
        incoming = r.responding_base_id == base.pk
        other_base = r.requesting_base if incoming else r.responding_base
        theirs = r.need if r.need.base_id != base.pk else r.offer
        rows.append(
            {
                "r": r,
                "incoming": incoming,
                "mine": r.offer if r.need.base_id != base.pk else r.need,
                "theirs": theirs,
                "theirs_active": theirs.is_active(today),
                "other_base": _base_label(other_base),
                "contact": (
                    contacts.get(other_base.pk) if can_see_exchange_contact(user, r) else None
                ),
                "steps": [
                    step
                    for step, to in STEPS.items()
                    if (r.status, to) in services.TRANSITIONS
                    and services.TRANSITIONS[(r.status, to)]
                    in ("either", "responding" if incoming else "requesting")
                ],
            }
        )
    return rows


@login_required
def my_exchange(request):
    """A base officer's exchange: the base's posts, suggestions, requests and contact."""
    require(can_post_some_exchange(request.user))
    base = exchange_base_of(request.user)
    today = _today()
    requests = list(
        exchange_requests_visible(request.user).select_related(
            "need__base",
            "offer__base",
            "requesting_base__province",
            "responding_base__province",
        )
    )
    rows = _request_rows(requests, request.user, base, today)
    contact = ExchangeContact.objects.filter(base=base).first()
    return render(
        request,
        "exchange/mine.html",
        {
            "base": _base_label(base),
            "posts": Post.objects.filter(base=base).order_by("status", "-created_at"),
            "today": today,
            "suggestions": _suggestion_rows(
                selectors.base_suggestions(base, as_of=today, k=3), request.user
            ),
            "incoming": [r for r in rows if r["incoming"]],
            "outgoing": [r for r in rows if not r["incoming"]],
            "contact": contact,
        },
    )


@login_required
def contact_edit(request):
    require(can_post_some_exchange(request.user))
    base = exchange_base_of(request.user)
    contact = ExchangeContact.objects.filter(base=base).first()
    initial = {"version": contact.version} if contact else {"version": 0}
    form = ContactForm(request.POST or None, instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                base=base,
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
    """The office's view: contact requests by status, East-Central-West and across types."""
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
            "open_needs": Post.objects.active(today).filter(kind=Post.Kind.NEED).count(),
            "open_offers": Post.objects.active(today).filter(kind=Post.Kind.OFFER).count(),
        },
    )
