"""Service providers on the exchange, both sides' outcome reports, and the network of realised
cooperation per round, on the tiny exchange of ``conftest.py``.

The parties: R1 (Beijing: East, region; officer bob), U1 (Hubei: Central-West, university;
officer carol), U2 (Jiangsu: East, university) and the provider ORG1 (Beijing: East, local
science association; organiser oscar)."""

import pytest
from django.utils import translation

from mieval.exchange import selectors, services
from mieval.exchange.models import ContactRequest, ExchangeEvent, OutcomeReport, Post
from mieval.exchange.services import ExchangeError, ExchangeErrorCode
from mieval.exchange.tests.conftest import AS_OF, PROVIDER_OFFER
from mieval.lib.concurrency import ConcurrentEditError

pytestmark = pytest.mark.django_db

S = ContactRequest.Status
State = OutcomeReport.State


def _bob_asks_the_provider(posts, provider_offer, bob):
    return services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=provider_offer,
        user=bob,
        as_of=AS_OF,
    )


def test_a_provider_posts_offers_only(organisation, oscar):
    with pytest.raises(ExchangeError) as caught, translation.override("en"):
        services.post_create(
            organisation=organisation, user=oscar, data={**PROVIDER_OFFER, "kind": "need"}
        )
    assert caught.value.code == ExchangeErrorCode.PROVIDER_OFFERS
    assert caught.value.message == (
        "A service provider posts offers and answers the bases' needs; it does not post needs."
    )
    assert Post.objects.count() == 0


def test_matching_proposes_providers_across_regions(posts, contacts):
    # Given a third-party institution in Hubei (Central-West) with the same offer as ORG1's
    from mieval.panels.models import Organisation
    from mieval.registry.models import Province

    hubei = Organisation.objects.create(
        code="ORG2",
        name_zh="湖北评估所",
        name_en="Hubei evaluation institute",
        kind=Organisation.Kind.THIRD_PARTY,
        province=Province.objects.get(code="42"),
    )
    offer = services.post_create(organisation=hubei, user=None, data=PROVIDER_OFFER)

    # When R1's need (Beijing, East) is matched
    found = selectors.post_suggestions(posts["r1_need"], as_of=AS_OF)

    # Then the provider's offer is among the suggestions, as an East <-> Central-West pair
    # across types (a region base and a third-party institution)
    ours = [s for s in found if s.other.pk == offer.pk]
    assert [(s.east_central_west, s.cross_type, s.other.owner.code) for s in ours] == [
        (True, True, "ORG2")
    ]
    # and the provider sees R1's need among the needs for its offer
    assert posts["r1_need"].pk in [
        s.other.pk for s in selectors.post_suggestions(offer, as_of=AS_OF)
    ]


def test_both_sides_report_the_outcome_and_the_status_follows(
    posts, contacts, provider_offer, bob, oscar
):
    # Given bob (R1) asked the provider ORG1, and oscar accepted for it
    request = _bob_asks_the_provider(posts, provider_offer, bob)
    assert (request.requesting_base.code, request.responding_organisation.code) == ("R1", "ORG1")
    assert request.campaign.code == "c"
    request = services.contact_request_accept(
        request=request, organisation=provider_offer.organisation, user=oscar
    )
    assert request.status == S.CONTACTED

    # When bob reports the cooperation agreed: one side only, still "contacted"
    services.outcome_report(
        request=request, base=bob.profile.base, user=bob, state=State.AGREED, expected_version=0
    )
    request.refresh_from_db()
    assert request.status == S.CONTACTED
    assert selectors.request_outcomes([request])[request.pk].combined == "one_side"

    # oscar reports it under way: realised, at the stage both confirm (agreed)
    services.outcome_report(
        request=request,
        organisation=provider_offer.organisation,
        user=oscar,
        state=State.UNDER_WAY,
        note="Two patents licensed",
        expected_version=0,
    )
    request.refresh_from_db()
    outcome = selectors.request_outcomes([request])[request.pk]
    assert (request.status, outcome.combined, outcome.stage) == (S.AGREED, "realised", "agreed")
    assert (request.agreed_by, outcome.disagree) == (oscar, True)

    # Both report it done: done
    services.outcome_report(
        request=request, base=bob.profile.base, user=bob, state=State.DONE, expected_version=1
    )
    services.outcome_report(
        request=request,
        organisation=provider_offer.organisation,
        user=oscar,
        state=State.DONE,
        expected_version=1,
    )
    request.refresh_from_db()
    assert (request.status, request.done_by) == (S.DONE, oscar)

    # Then every report is audited with the state before, and each status change
    events = ExchangeEvent.objects.filter(request=request, action="outcome_reported")
    assert list(events.values_list("actor", "from_status", "to_status", "changes")) == [
        ("bob", "", "agreed", {"side": "requesting", "note": ""}),
        ("oscar", "", "under_way", {"side": "responding", "note": "Two patents licensed"}),
        ("bob", "agreed", "done", {"side": "requesting", "note": ""}),
        ("oscar", "under_way", "done", {"side": "responding", "note": ""}),
    ]
    statuses = ExchangeEvent.objects.filter(request=request, action="request_status")
    assert list(statuses.values_list("from_status", "to_status")) == [
        ("proposed", "contacted"),
        ("contacted", "agreed"),
        ("agreed", "done"),
    ]


def test_a_disagreement_keeps_both_reports(posts, contacts, provider_offer, bob, oscar):
    request = _bob_asks_the_provider(posts, provider_offer, bob)
    services.contact_request_accept(
        request=request, organisation=provider_offer.organisation, user=oscar
    )
    for kwargs, state in (
        ({"base": bob.profile.base, "user": bob}, State.DONE),
        ({"organisation": provider_offer.organisation, "user": oscar}, State.DONE),
    ):
        services.outcome_report(request=request, **kwargs, state=state, expected_version=0)

    # When the provider then says it was dropped
    services.outcome_report(
        request=request,
        organisation=provider_offer.organisation,
        user=oscar,
        state=State.DROPPED,
        expected_version=1,
    )

    # Then the two sides disagree, both reports are kept, and the cooperation is not realised
    request.refresh_from_db()
    outcome = selectors.request_outcomes([request])[request.pk]
    assert (outcome.combined, outcome.requesting.state, outcome.responding.state) == (
        "disputed",
        "done",
        "dropped",
    )
    assert request.status == S.CONTACTED


def test_outcome_reports_are_checked(posts, contacts, provider_offer, bob, carol, oscar):
    request = _bob_asks_the_provider(posts, provider_offer, bob)
    # before the provider accepted
    with pytest.raises(ExchangeError) as caught, translation.override("en"):
        services.outcome_report(
            request=request, base=bob.profile.base, user=bob, state=State.AGREED, expected_version=0
        )
    assert (caught.value.code, caught.value.message) == (
        ExchangeErrorCode.NOT_IN_CONTACT,
        "An outcome is reported once both sides have accepted the contact.",
    )
    services.contact_request_accept(
        request=request, organisation=provider_offer.organisation, user=oscar
    )
    # a base that is not a party
    with pytest.raises(ExchangeError) as caught:
        services.outcome_report(
            request=request,
            base=carol.profile.base,
            user=carol,
            state=State.DONE,
            expected_version=0,
        )
    assert caught.value.code == ExchangeErrorCode.NOT_A_PARTY
    # a second report of the same side from a stale page
    services.outcome_report(
        request=request, base=bob.profile.base, user=bob, state=State.AGREED, expected_version=0
    )
    with pytest.raises(ConcurrentEditError) as caught, translation.override("en"):
        services.outcome_report(
            request=request, base=bob.profile.base, user=bob, state=State.DONE, expected_version=0
        )
    assert caught.value.message == (
        "Someone of your side reported an outcome meanwhile (it is now “cooperation agreed”)."
        " Reload the page and report again."
    )
    assert OutcomeReport.objects.get().state == State.AGREED


def _realise(request, parties):
    for party in parties:
        services.outcome_report(
            request=request, **party, user=None, state=State.DONE, expected_version=0
        )


def test_the_network_per_round_with_the_previous_round(
    posts, contacts, provider_offer, bob, carol, oscar, campaign_c
):
    from mieval.collection.services import campaign_create, programme_create
    from mieval.registry.models import Base

    # Given round 1 of another programme (x1, 2015) with R1 in scope: not one of c's rounds
    r1, u1 = bob.profile.base, carol.profile.base
    other = campaign_create(
        code="x1", first_year=2015, last_year=2015, programme=programme_create(code="other")
    )
    other.bases.add(r1)
    # and in round 1 of the default programme (c, 2016-2018): R1-ORG1 realised, R1-U1
    # realised, and R2's request to E1 only accepted
    to_provider = _bob_asks_the_provider(posts, provider_offer, bob)
    services.contact_request_accept(
        request=to_provider, organisation=provider_offer.organisation, user=oscar
    )
    _realise(to_provider, [{"base": r1}, {"organisation": provider_offer.organisation}])
    to_u1 = services.contact_request_create(
        base=r1, my_post=posts["r1_need"], other_post=posts["u1_offer"], user=bob, as_of=AS_OF
    )
    services.contact_request_accept(request=to_u1, base=u1, user=carol)
    _realise(to_u1, [{"base": r1}, {"base": u1}])
    pending = services.contact_request_create(
        base=posts["r2_need"].base,
        my_post=posts["r2_need"],
        other_post=posts["e1_offer"],
        user=None,
        as_of=AS_OF,
    )
    services.contact_request_accept(request=pending, base=pending.responding_base, user=None)
    # and round 2 (c2) of the default programme, with R1 and U2, covering years before c's
    # (rounds, not first years, order a programme), and one cooperation in it: R1-U2
    later = campaign_create(code="c2", first_year=2014, last_year=2015)
    later.bases.add(r1, Base.objects.get(code="U2"))
    new = services.contact_request_create(
        base=r1, my_post=posts["r1_need"], other_post=posts["u2_offer"], user=bob, as_of=AS_OF
    )
    services.contact_request_accept(request=new, base=new.responding_base, user=None)
    _realise(new, [{"base": r1}, {"base": new.responding_base}])

    # When round c2 is measured
    network = selectors.campaign_network(later)

    # Then each request is in the latest round holding one of its bases when it was made: c
    # for the first three (round 1 of both programmes: the later first year), c2 for the last
    assert [r.campaign.code for r in (to_provider, to_u1, pending, new)] == ["c", "c", "c", "c2"]
    # and c2's rounds are c then c2, not x1
    assert [c.code for c in selectors.campaign_rounds(later)] == ["c", "c2"]
    assert [c.code for c in selectors.campaign_rounds(campaign_c)] == ["c"]
    # c2: 1 link R1-U2, both East: no East-Central-West link; HHI (1 + 1) / 4 = 0.5.
    figures = network["figures"]
    assert (network["round"], network["previous"]) == ("c2", "c")
    assert (figures["links"], figures["nodes"], figures["east_central_west"]) == (1, 2, 0)
    assert (figures["east_central_west_share"], figures["hhi"]) == (0.0, 0.5)
    # c: 2 links (R1-ORG1 east/east region/local_association; R1-U1 east/central_west
    # region/university_institute) among 3 parties; 1 of 2 East-Central-West; 1 of 2
    # base-provider; degrees R1 2, U1 1, ORG1 1: HHI (4 + 1 + 1) / 16 = 0.375; the top
    # ceil(3/10) = 1 party holds 2 of 4 link ends.
    before = network["previous_figures"]
    assert (before["links"], before["nodes"], before["east_central_west"]) == (2, 3, 1)
    assert (before["east_central_west_share"], before["base_provider_share"]) == (0.5, 0.5)
    assert (before["hhi"], before["top_decile_share"]) == (0.375, 0.5)
    assert before["by_type_pair"] == [
        {"a": "local_association", "b": "region", "links": 1, "share": 0.5},
        {"a": "region", "b": "university_institute", "links": 1, "share": 0.5},
    ]
    # the change: 1 - 2 links, 0 - 0.5 of the share, 0.5 - 0.375 of the HHI
    assert network["change"]["links"] == -1
    assert network["change"]["east_central_west_share"] == -0.5
    assert network["change"]["hhi"] == 0.125
