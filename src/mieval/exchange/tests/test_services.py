"""The exchange's writes: posts and their versions, contact requests and their steps, and the
rule that contact details are shown only once both bases accepted."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mieval.accounts.permissions import can_see_exchange_contact
from mieval.exchange import services
from mieval.exchange.models import ContactRequest, ExchangeEvent, Post
from mieval.exchange.services import ExchangeError, ExchangeErrorCode
from mieval.exchange.tests.conftest import AS_OF
from mieval.lib.concurrency import ConcurrentEditError

pytestmark = pytest.mark.django_db

S = ContactRequest.Status


def _data(**changes):
    data = {
        "kind": "need",
        "category": "talent",
        "title": "Need mentors",
        "text": "Startup mentors wanted.",
        "language": "en",
        "tags": " Mentoring ; entrepreneurship；mentoring ",
        "preferred_regions": ["east"],
        "expires": date(2099, 1, 1),
    }
    return {**data, **changes}


def test_post_create_cleans_tags_and_audits(bob):
    post = services.post_create(base=bob.profile.base, user=bob, data=_data())

    assert (post.kind, post.status, post.version) == ("need", "open", 1)
    assert post.tags == ["mentoring", "entrepreneurship"]
    assert post.preferred_regions == ["east"]
    assert list(ExchangeEvent.objects.values_list("action", "actor", "post_id")) == [
        ("post_created", "bob", post.pk)
    ]


def test_post_create_names_every_bad_field(bob):
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.post_create(
            base=bob.profile.base,
            user=bob,
            data=_data(preferred_regions=["mars", "east"], kind="gift", title=""),
        )
    assert caught.value.message_dict == {
        "kind": ["Value 'gift' is not a valid choice."],
        "title": ["This field cannot be blank."],
        "preferred_regions": [
            "mars is not a region; use one of east, central, west, northeast, central_west."
        ],
    }
    assert Post.objects.count() == 0


def test_post_update_bumps_the_version_and_records_the_changes(bob):
    post = services.post_create(base=bob.profile.base, user=bob, data=_data())

    post = services.post_update(
        post=post, user=bob, data=_data(title="Need two mentors"), expected_version=1
    )

    assert (post.title, post.version) == ("Need two mentors", 2)
    event = ExchangeEvent.objects.get(action="post_updated")
    assert event.changes == {"title": ["Need mentors", "Need two mentors"]}


def test_post_update_refuses_a_concurrent_edit(bob):
    post = services.post_create(base=bob.profile.base, user=bob, data=_data())
    services.post_update(post=post, user=bob, data=_data(title="First"), expected_version=1)

    with pytest.raises(ConcurrentEditError) as caught, translation.override("en"):
        services.post_update(post=post, user=bob, data=_data(title="Second"), expected_version=1)
    assert caught.value.message == (
        "Someone else changed this post meanwhile (version 2, you edited version 1)."
        " Reload it and make your change again."
    )
    assert Post.objects.get().title == "First"


def test_a_closed_post_cannot_be_changed(bob):
    post = services.post_create(base=bob.profile.base, user=bob, data=_data())
    post = services.post_close(post=post, user=bob)
    assert (post.status, post.version) == ("closed", 2)

    with pytest.raises(ExchangeError) as caught:
        services.post_update(post=post, user=bob, data=_data(title="x"), expected_version=2)
    assert caught.value.code == ExchangeErrorCode.POST_CLOSED


def _request(posts, bob):
    return services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=posts["u1_offer"],
        user=bob,
        message="Let us talk",
        as_of=AS_OF,
    )


def test_contact_request_needs_the_askers_contact_details(posts, bob):
    with pytest.raises(ExchangeError) as caught:
        _request(posts, bob)
    assert caught.value.code == ExchangeErrorCode.NO_CONTACT


def test_request_accept_and_visibility(posts, contacts, bob, carol):
    request = _request(posts, bob)
    assert (request.need, request.offer) == (posts["r1_need"], posts["u1_offer"])
    assert (request.requesting_base.code, request.responding_base.code) == ("R1", "U1")
    assert request.status == S.PROPOSED
    # before the other base accepts, neither side sees the other's contact details
    assert not can_see_exchange_contact(bob, request)
    assert not can_see_exchange_contact(carol, request)

    request = services.contact_request_accept(
        request=request, base=carol.profile.base, user=carol, expected_version=1
    )
    assert (request.status, request.responded_by, request.version) == (S.CONTACTED, carol, 2)
    assert can_see_exchange_contact(bob, request)
    assert can_see_exchange_contact(carol, request)
    assert list(
        ExchangeEvent.objects.filter(request=request).values_list(
            "from_status", "to_status", "actor"
        )
    ) == [("", "proposed", "bob"), ("proposed", "contacted", "carol")]


def test_office_and_third_bases_never_see_contact_details(posts, contacts, bob, carol, alice):
    request = _request(posts, bob)
    request = services.contact_request_accept(request=request, base=carol.profile.base, user=carol)
    assert not can_see_exchange_contact(alice, request)


@pytest.mark.parametrize(
    ("side", "to", "code", "message"),
    [
        # the asker cannot accept its own request
        (
            "bob",
            S.CONTACTED,
            ExchangeErrorCode.WRONG_SIDE,
            "Only the base that was asked can accept or decline a request.",
        ),
        (
            "carol",
            S.WITHDRAWN,
            ExchangeErrorCode.WRONG_SIDE,
            "Only the base that asked can withdraw a request.",
        ),
        (
            "carol",
            S.AGREED,
            ExchangeErrorCode.TRANSITION,
            "A request in the status “requested” cannot become “agreed”.",
        ),
        (
            "bob",
            S.DONE,
            ExchangeErrorCode.TRANSITION,
            "A request in the status “requested” cannot become “done”.",
        ),
    ],
)
def test_invalid_steps_are_refused_clearly(posts, contacts, bob, carol, side, to, code, message):
    request = _request(posts, bob)
    actor = {"bob": bob, "carol": carol}[side]

    with pytest.raises(ExchangeError) as caught, translation.override("en"):
        services.contact_request_step(
            request=request, base=actor.profile.base, user=actor, to_status=to
        )
    assert (caught.value.code, caught.value.message) == (code, message)
    assert ContactRequest.objects.get().status == S.PROPOSED


def test_a_third_base_is_not_a_party(posts, contacts, bob):
    from mieval.registry.models import Base

    request = _request(posts, bob)
    with pytest.raises(ExchangeError) as caught:
        services.contact_request_step(
            request=request, base=Base.objects.get(code="E1"), user=None, to_status=S.DECLINED
        )
    assert caught.value.code == ExchangeErrorCode.NOT_A_PARTY


def test_declined_request_can_be_asked_again_but_not_twice_at_once(posts, contacts, bob, carol):
    request = _request(posts, bob)
    with pytest.raises(ExchangeError) as caught:
        _request(posts, bob)
    assert caught.value.code == ExchangeErrorCode.DUPLICATE_REQUEST

    services.contact_request_decline(request=request, base=carol.profile.base, user=carol)
    again = _request(posts, bob)
    assert again.status == S.PROPOSED
    assert ContactRequest.objects.count() == 2


def test_withdraw_and_stale_version(posts, contacts, bob, carol):
    request = _request(posts, bob)
    services.contact_request_step(
        request=request, base=bob.profile.base, user=bob, to_status=S.WITHDRAWN
    )
    with pytest.raises(ConcurrentEditError) as caught, translation.override("en"):
        services.contact_request_accept(
            request=request, base=carol.profile.base, user=carol, expected_version=1
        )
    assert caught.value.message == (
        "This request changed meanwhile (it is now withdrawn). Reload the page."
    )


@pytest.mark.parametrize(
    ("mine", "other", "code"),
    [
        ("r1_need", "r2_need", ExchangeErrorCode.SAME_KIND),
        ("u1_offer", "r1_need", ExchangeErrorCode.NOT_A_PARTY),
        ("r1_need", "r2_expired", ExchangeErrorCode.SAME_KIND),
    ],
)
def test_request_pairs_are_checked(posts, contacts, bob, mine, other, code):
    with pytest.raises(ExchangeError) as caught:
        services.contact_request_create(
            base=bob.profile.base,
            my_post=posts[mine],
            other_post=posts[other],
            user=bob,
            as_of=AS_OF,
        )
    assert caught.value.code == code


def test_request_on_a_closed_or_expired_post_is_refused(posts, contacts, bob):
    services.post_close(post=posts["u1_offer"], user=None)
    posts["u1_offer"].refresh_from_db()
    with pytest.raises(ExchangeError) as caught:
        _request(posts, bob)
    assert caught.value.code == ExchangeErrorCode.POST_CLOSED

    with pytest.raises(ExchangeError) as caught, translation.override("en"):
        services.contact_request_create(
            base=bob.profile.base,
            my_post=posts["r1_need"],
            other_post=posts["u2_offer"],
            user=bob,
            as_of=date(2100, 1, 1),
        )
    assert caught.value.code == ExchangeErrorCode.POST_EXPIRED
    assert caught.value.message == "The post “寻求动力电池专利许可” expired on 2099-12-31."


def test_contact_save_versions(bob):
    base = bob.profile.base
    contact = services.contact_save(base=base, user=bob, person="Li", email="li@example.org")
    assert contact.version == 1
    contact = services.contact_save(
        base=base, user=bob, person="Wang", email="li@example.org", expected_version=1
    )
    assert (contact.person, contact.version) == ("Wang", 2)
    with pytest.raises(ConcurrentEditError) as caught, translation.override("en"):
        services.contact_save(
            base=base, user=bob, person="Zhao", email="li@example.org", expected_version=1
        )
    assert caught.value.message == (
        "Someone else changed the contact details meanwhile. Reload and try again."
    )
    assert list(ExchangeEvent.objects.values_list("action", flat=True)) == [
        "contact_saved",
        "contact_saved",
    ]


def test_model_codes_are_the_matching_cores():
    from mieval.core.matching import exchange as matching

    assert tuple(Post.Kind.values) == matching.KINDS
    assert tuple(Post.Category.values) == matching.POST_CATEGORIES
    assert tuple(Post.Language.values) == matching.LANGUAGES
