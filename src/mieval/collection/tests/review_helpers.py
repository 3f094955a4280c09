"""Shared set-up of the review pages' tests: a frozen clock, evidence files, a query."""

from datetime import UTC, datetime, timedelta

import pytest

from mieval.collection.models import Campaign
from mieval.collection.workflow import evidence_upload, query_open
from mieval.indicators.models import Indicator
from mieval.registry.models import Base

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


class Clock:
    """``django.utils.timezone.now`` stopped at ``at``; ``tick`` moves it on."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, **delta) -> datetime:
        self.at += timedelta(**delta)
        return self.at


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    monkeypatch.setattr("django.utils.timezone.now", frozen)
    return frozen


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(framework=Campaign.objects.get(code="c").framework, code=code)


def query_on(base_code: str, indicator_code: str, year: int, text: str = "Please check."):
    campaign = Campaign.objects.get(code="c")
    return query_open(
        campaign=campaign,
        base=Base.objects.get(code=base_code),
        indicator=indicator(indicator_code),
        year=year,
        text=text,
        actor="alice",
    )


def evidence_on(base_code: str, indicator_code: str, year: int, name: str = "证书.pdf"):
    return evidence_upload(
        campaign=Campaign.objects.get(code="c"),
        base=Base.objects.get(code=base_code),
        indicator=indicator(indicator_code),
        year=year,
        name=name,
        data=PDF,
    )


@pytest.fixture
def login(client):
    """Log the client in as ``user`` (None: stay anonymous); ``force_login`` because django-axes
    refuses ``client.login``."""

    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture
def english(client):
    """Pages read in English, for assertions on their text."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
