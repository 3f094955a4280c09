"""``manage load_exchange_sample``: the demo posts for a campaign's bases, idempotent."""

import datetime as dt
from datetime import date

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from mieval.demo.exchange import SAMPLE_AS_OF, sample_posts
from mieval.exchange.models import ContactRequest, ExchangeContact, ExchangeEvent, Post

pytestmark = pytest.mark.django_db

# A frozen clock: the sample's "today" (2019-06-30) is moved to the day of loading.
NOW = dt.datetime(2026, 6, 30, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def test_loads_the_sample_posts_contacts_and_requests(campaign_c, capsys):
    call_command("load_exchange_sample", campaign="c")

    bases = pd.DataFrame({"code": ["E1", "R1", "R2", "U1", "U2"]}).assign(
        province=["44", "11", "51", "42", "32"]
    )
    expected = sample_posts(bases, 0).set_index("post_id")
    loaded = {p.sample_key: p for p in Post.objects.select_related("base")}
    assert len(loaded) == 80
    first = loaded["D-N-01-zh"]
    row = expected.loc["D-N-01-zh"]
    assert (first.base.code, first.title, first.tags) == (
        row["base_code"],
        row["title"],
        list(row["tags"]),
    )
    shift = date(2026, 6, 30) - SAMPLE_AS_OF
    assert first.expires == row["expires"] + shift
    # Every base of the campaign gets a demo contact, with posts or not.
    assert sorted(ExchangeContact.objects.values_list("base__code", flat=True)) == [
        "E1",
        "R1",
        "R2",
        "U1",
        "U2",
    ]
    assert sorted(ContactRequest.objects.values_list("status", flat=True)) == [
        "agreed",
        "contacted",
        "declined",
        "done",
        "proposed",
        "proposed",
    ]
    assert ExchangeEvent.objects.filter(action="post_created").count() == 80
    assert "80 posts" in capsys.readouterr().out


def test_loading_twice_changes_nothing(campaign_c, capsys):
    call_command("load_exchange_sample", campaign="c")
    events = ExchangeEvent.objects.count()
    call_command("load_exchange_sample", campaign="c")

    assert (Post.objects.count(), ContactRequest.objects.count()) == (80, 6)
    assert ExchangeEvent.objects.count() == events
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Exchange: 0 posts, 0 contacts, 0 contact requests added for campaign 'c' (80 posts"
        " were there already)."
    )


def test_an_unknown_campaign_is_named(db):
    with pytest.raises(CommandError, match=r"--campaign: no campaign 'nope'"):
        call_command("load_exchange_sample", campaign="nope")


def test_provider_offers_and_outcomes_in_several_states(campaign_c, organisation, capsys):
    # Given the roster's organisation ORG1 (a local science association)
    from mieval.exchange.selectors import request_outcomes

    # When the sample is loaded twice
    call_command("load_exchange_sample", campaign="c")
    call_command("load_exchange_sample", campaign="c")

    # Then ORG1 offers the five demo services, each in contact with a base's need, followed
    # to an outcome as PROVIDER_OFFERS says (provider's report, base's report)
    offers = Post.objects.filter(organisation=organisation).order_by("sample_key")
    assert [p.sample_key for p in offers] == ["D-P-01", "D-P-02", "D-P-03", "D-P-04", "D-P-05"]
    requests = list(ContactRequest.objects.filter(offer__in=offers).order_by("offer__sample_key"))
    outcomes = request_outcomes(requests)
    assert [(outcomes[r.pk].combined, outcomes[r.pk].stage, r.status) for r in requests] == [
        ("one_side", None, "contacted"),
        ("realised", "under_way", "agreed"),
        ("disputed", None, "contacted"),
        ("realised", "done", "done"),
        ("dropped", None, "contacted"),
    ]
    assert all(r.campaign == campaign_c for r in requests)
    assert ContactRequest.objects.count() == 11
