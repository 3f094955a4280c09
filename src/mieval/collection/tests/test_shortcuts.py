"""The view helper of the campaign a URL names (moved from ``lib/pages.py``)."""

import pytest
from django.http import Http404

from mieval.collection.shortcuts import campaign_or_404


def test_campaign_or_404_finds_the_campaign_with_its_framework(
    campaign_c, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = campaign_or_404("c")
        framework_pk = found.framework.pk
    assert (found.pk, framework_pk) == (campaign_c.pk, campaign_c.framework_id)
    with pytest.raises(Http404):
        campaign_or_404("no-such-campaign")
