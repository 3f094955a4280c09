"""Reporting an outcome from both sides in a real browser: bob (officer of R1) is in contact
with the service provider ORG1 (organiser oscar); oscar reports the cooperation under way,
bob reports it done; each sees both reports, and the contact is realised at the stage both
confirm (under way), the request "agreed"."""

import pytest
from playwright.sync_api import expect

from mieval.exchange.tests.conftest import AS_OF, posts, provider_offer  # noqa: F401 (fixtures)
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_contact(posts, provider_offer, bob, oscar):  # noqa: F811
    from mieval.exchange import services

    services.contact_save(base=bob.profile.base, user=bob, person="Bob", email="b@example.org")
    request = services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=provider_offer,
        user=bob,
        as_of=AS_OF,
    )
    return services.contact_request_accept(
        request=request, organisation=provider_offer.organisation, user=oscar
    )


def test_both_sides_report_the_outcome(page, in_contact):
    row_css = f"tr.request[data-request='{in_contact.pk}']"

    # oscar, for the provider, reports the cooperation under way
    log_in(page, "oscar")
    page.goto("/exchange/mine/")
    row = page.locator(f"#incoming-requests {row_css}")
    row.locator("select[name$=state]").select_option("under_way")
    row.locator("input[name$=note]").fill("Licence signed")
    row.locator("button[data-step=outcome]").click()
    row = page.locator(f"#incoming-requests {row_css}")
    expect(row).to_have_attribute("data-outcome", "one_side")
    expect(row.locator("p.our-report strong")).to_have_text("合作实施中")

    # bob sees oscar's report, and reports it done
    page.context.clear_cookies()
    log_in(page, "bob")
    page.goto("/exchange/mine/")
    row = page.locator(f"#outgoing-requests {row_css}")
    expect(row.locator("p.their-report strong")).to_have_text("合作实施中")
    row.locator("select[name$=state]").select_option("done")
    row.locator("button[data-step=outcome]").click()

    # both reports are shown; realised, the request agreed
    row = page.locator(f"#outgoing-requests {row_css}")
    expect(row).to_have_attribute("data-outcome", "realised")
    expect(row).to_have_attribute("data-status", "agreed")
    expect(row.locator("p.our-report strong")).to_have_text("合作已完成")
    expect(row.locator("p.their-report strong")).to_have_text("合作实施中")
    assert page.console_errors == []
