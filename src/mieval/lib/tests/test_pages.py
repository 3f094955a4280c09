"""The view helpers every app's pages share."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from mieval.lib.pages import is_htmx, page_layout, require


def test_require_passes_when_allowed_and_refuses_otherwise():
    assert require(True) is None
    with pytest.raises(PermissionDenied):
        require(False)


@pytest.mark.parametrize(
    ("headers", "htmx", "layout"),
    [
        ({}, False, "web/base.html"),
        ({"HX-Request": "true"}, True, "web/fragment.html"),
        # A history restore wants the whole page, not the fragment.
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False, "web/base.html"),
    ],
)
def test_the_layout_is_the_fragment_only_for_an_htmx_swap(headers, htmx, layout):
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)
    assert (is_htmx(request), page_layout(request)) == (htmx, layout)


def test_a_request_without_the_htmx_middleware_gets_the_whole_layout():
    request = RequestFactory().get("/")
    assert (is_htmx(request), page_layout(request)) == (False, "web/base.html")
