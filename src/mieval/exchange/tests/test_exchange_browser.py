"""The exchange in a real browser: bob (officer of R1) posts a need, sees the suggested offer
of U1 and asks for contact; carol (officer of U1) accepts; the contact details of each base
are on the other's page only after that."""

from datetime import date

import pytest

from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

CAROL_EMAIL = "carol.exchange@u1.example.org"
BOB_EMAIL = "bob.exchange@r1.example.org"


@pytest.fixture
def u1_offer(carol):
    from mieval.exchange import services

    base = carol.profile.base
    services.contact_save(base=base, user=carol, person="Carol Chen", email=CAROL_EMAIL)
    return services.post_create(
        base=base,
        user=carol,
        data={
            "kind": "offer",
            "category": "technology",
            "title": "正极材料专利许可",
            "text": "研究院持有磷酸铁锂正极材料发明专利，可许可使用并提供技术转移支持。",
            "language": "zh",
            "tags": ["patent", "new_energy"],
            "preferred_regions": [],
            "expires": date(2099, 12, 31),
        },
    )


def test_need_suggestion_request_accept_then_contacts(page, bob, carol, u1_offer):
    # bob keeps R1's contact details and posts a need
    log_in(page, "bob")
    page.goto("/exchange/contact/")
    page.fill("input[name=person]", "Bob Bai")
    page.fill("input[name=email]", BOB_EMAIL)
    page.fill("input[name=phone]", "010-12345678")
    page.click("#contact-form button[type=submit]")
    page.wait_for_url("**/exchange/mine/")

    page.goto("/exchange/posts/new/")
    page.select_option("select[name=kind]", "need")
    page.select_option("select[name=category]", "technology")
    page.fill("input[name=title]", "寻求动力电池专利许可")
    page.fill("textarea[name=text]", "我们计划量产储能电池，寻求磷酸铁锂正极材料专利许可。")
    page.select_option("select[name=language]", "zh")
    page.fill("input[name=tags]", "patent; new_energy")
    page.check("input[name=preferred_regions][value=central_west]")
    page.fill("input[name=expires]", "2099-06-30")
    page.click("#post-form button[type=submit]")

    # the post's page suggests U1's offer, with why
    suggestion = page.locator(f"#suggestions tr.suggestion[data-other='{u1_offer.pk}']")
    assert "正极材料专利许可" in suggestion.inner_text()
    assert "正极材料" in suggestion.locator("mark").all_inner_texts()
    assert "patent" in suggestion.inner_text()
    suggestion.locator("button.request-contact").click()
    page.wait_for_url("**/exchange/mine/")

    # asked, not yet accepted: carol's details are not shown to bob
    outgoing = page.locator("#outgoing-requests tr.request")
    assert outgoing.get_attribute("data-status") == "proposed"
    assert CAROL_EMAIL not in page.content()

    # carol sees the request without bob's details, and accepts
    page.context.clear_cookies()
    log_in(page, "carol")
    page.goto("/exchange/mine/")
    incoming = page.locator("#incoming-requests tr.request")
    assert "寻求动力电池专利许可" in incoming.inner_text()
    assert BOB_EMAIL not in page.content()
    incoming.locator("button[data-step=accept]").click()
    page.wait_for_url("**/exchange/mine/")
    assert page.locator("#incoming-requests tr.request").get_attribute("data-status") == (
        "contacted"
    )
    assert BOB_EMAIL in page.locator("#incoming-requests td.contact").inner_text()
    assert "Bob Bai" in page.locator("#incoming-requests td.contact").inner_text()

    # and now bob sees carol's
    page.context.clear_cookies()
    log_in(page, "bob")
    page.goto("/exchange/mine/")
    contact = page.locator("#outgoing-requests td.contact").inner_text()
    assert CAROL_EMAIL in contact
    assert "Carol Chen" in contact
    assert page.console_errors == []
