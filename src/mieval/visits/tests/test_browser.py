"""In a real browser (Debian's Chromium): the visit record on a phone, with a draft that
survives a lost connection; and the opinion from the leader's draft to the base."""

import pytest
from playwright.sync_api import expect

from mieval.conftest import PASSWORD
from mieval.visits.models import Opinion, VisitFile, VisitRecord
from mieval.visits.tests.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized browser (390 x 844, touch) on the live server, collecting console errors."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def test_the_visit_record_on_a_phone_survives_a_lost_connection(
    phone, visit_r1, erin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = phone
    log_in(page, "erin")
    page.goto("/campaigns/c/visits/R1/record/")
    page.wait_for_selector("html[data-offline-ready=true]")

    # A real phone layout: nothing wider than the screen, one column, large touch targets.
    assert no_horizontal_scroll(page)
    save = page.locator("#record-save").bounding_box()
    assert save["height"] >= 44
    assert save["x"] >= 0 and save["x"] + save["width"] <= 390
    check = page.locator("label:has(input[name=checked][value=ledgers])").bounding_box()
    assert check["height"] >= 44
    findings = page.locator("textarea[name=findings]").bounding_box()
    assert findings["width"] >= 300

    # Online: every change is kept and, a moment later, saved.
    page.locator("label:has(input[name=members_present])").first.tap()
    page.locator("label:has(input[name=checked][value=ledgers])").tap()
    page.fill("textarea[name=findings]", "台账齐全。")
    page.wait_for_selector("#draft-state[data-state=saved]")
    record = VisitRecord.objects.get()
    assert (record.version, record.findings, record.checked) == (1, "台账齐全。", ["ledgers"])

    # Offline: the draft stays on the device, and a reload (from the service worker's copy)
    # brings it back.
    page.context.set_offline(True)
    page.fill("textarea[name=findings]", "台账齐全，抽查三家企业。")
    page.fill("textarea[name=base_attendees]", "王主任")
    assert page.locator("#draft-state").get_attribute("data-state") == "local"
    assert page.locator("#draft-state").inner_text() == "已保存在本设备"
    page.reload()
    # Without a connection, the page came from the service worker's copy.
    assert page.evaluate("navigator.onLine") is False
    assert page.evaluate("navigator.serviceWorker.controller !== null") is True
    assert page.locator("textarea[name=findings]").input_value() == "台账齐全，抽查三家企业。"
    assert page.locator("textarea[name=base_attendees]").input_value() == "王主任"
    assert page.locator("input[name=checked][value=ledgers]").is_checked()
    assert page.locator("#draft-state").get_attribute("data-state") == "local"
    record.refresh_from_db()
    assert record.findings == "台账齐全。"

    # Online again: save, with the version the draft started from.
    page.context.set_offline(False)
    page.locator("#record-save").tap()
    page.wait_for_selector("#draft-state[data-state=saved]")
    record.refresh_from_db()
    assert (record.version, record.findings, record.base_attendees) == (
        2,
        "台账齐全，抽查三家企业。",
        "王主任",
    )
    assert page.evaluate("Object.keys(localStorage).length") == 0

    # A photo from the phone, shown as a thumbnail.
    page.reload()
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes((1200, 900)))
    page.set_input_files("#visit-file", str(photo))
    page.locator(".file-form button[type=submit]").tap()
    page.wait_for_load_state("networkidle")
    thumb = page.locator("img.thumb")
    assert thumb.count() == 1
    assert page.evaluate("document.querySelector('img.thumb').naturalWidth") == 320
    assert VisitFile.objects.get().name == "site.png"
    assert no_horizontal_scroll(page)
    assert page.console_errors == []


def test_a_conflict_is_shown_and_the_draft_kept(phone, record_r1, erin, mia):
    from mieval.visits.services import visit_record_save

    page = phone
    log_in(page, "erin")
    page.goto("/campaigns/c/visits/R1/record/")
    # Meanwhile mia saves the record from her phone.
    visit_record_save(
        visit=record_r1.visit,
        members_present=[],
        base_attendees="",
        checked=[],
        checked_notes="",
        findings="米娅的记录",
        user=mia,
        version=1,
    )
    page.fill("textarea[name=findings]", "我的记录")
    page.wait_for_selector("#draft-state[data-state=conflict]")
    record_r1.refresh_from_db()
    assert record_r1.findings == "米娅的记录"
    draft = page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")
    assert (draft["version"], draft["fields"]["findings"]) == ("1", "我的记录")

    # Erin decides: her draft over mia's record (audited as every save).
    page.locator("#draft-overwrite").tap()
    page.wait_for_selector("#draft-state[data-state=saved]")
    record_r1.refresh_from_db()
    assert (record_r1.version, record_r1.findings) == (3, "我的记录")
    assert page.locator("#conflict-actions").is_hidden()


def test_the_leader_drafts_a_member_dissents_the_office_accepts_the_base_reads_it(
    page, leaders, record_r1, erin, mia, alice, bob
):
    # The leader drafts beside the visit record and sends it to the members.
    log_in(page, "erin")
    page.goto("/campaigns/c/visits/R1/opinion/")
    assert page.locator("#record-findings").inner_text() == "台账与填报数据一致。"
    page.fill("textarea[name=text]", "基地运营规范，孵化成效明显。")
    page.fill("textarea[name=recommendations]", "加强与中西部基地的交流。")
    page.click("#opinion-form button[value=save]")
    page.wait_for_load_state("networkidle")
    page.click("#circulate")
    page.wait_for_load_state("networkidle")

    # A member notes dissent.
    log_in(page, "mia")
    page.goto("/campaigns/c/visits/R1/opinion/")
    assert page.locator("#opinion-text").inner_text() == "基地运营规范，孵化成效明显。"
    page.check("input[name=agrees][value='0']")
    page.fill("textarea[name=dissent]", "带动作用评价偏高。")
    page.click("#answer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#answer-X02")).to_have_text("专家二 (X02): 不同意: 带动作用评价偏高。")

    # The leader sends it on; the office accepts it.
    log_in(page, "erin")
    page.goto("/campaigns/c/visits/R1/opinion/")
    page.click("#submit-opinion")
    page.wait_for_load_state("networkidle")
    log_in(page, "alice")
    page.goto("/campaigns/c/visits/R1/opinion/")
    assert page.locator("#answer-X02").is_visible()
    page.click("#accept-opinion")
    page.wait_for_load_state("networkidle")
    assert Opinion.objects.get().state == "accepted"

    # The base officer reads the accepted opinion, without the members' answers.
    log_in(page, "bob")
    page.goto("/campaigns/c/visits/")
    assert page.locator("#opinion-text").inner_text() == "基地运营规范，孵化成效明显。"
    assert page.locator("#opinion-recommendations").inner_text() == "加强与中西部基地的交流。"
    assert page.locator("#visit-date").inner_text() == "专家组将于 2018-06-12 到贵基地实地考察。"
    assert "带动作用评价偏高" not in page.content()
    assert page.console_errors == []
