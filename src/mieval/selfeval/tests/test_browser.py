"""In a real browser: a base officer writes the self-evaluation report, the page saves it by
itself, the officer submits it; the office returns it with a comment; the officer sees the
comment, fixes the section and resubmits; the office accepts it. And an autosave that meets a
newer version says so instead of overwriting it."""

import re
import time

import pytest

from mieval.conftest import PASSWORD
from mieval.registry.models import Base
from mieval.selfeval.models import SelfEvaluation
from mieval.selfeval.services import report_save
from mieval.selfeval.tests.conftest import TEXTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch):
    monkeypatch.setattr("mieval.selfeval.views.AUTOSAVE_SECONDS", 1)


def eventually(check, seconds: float = 10):
    """``check()``'s first true result within ``seconds`` (the page saves on its own clock)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result
            return result
        time.sleep(0.2)


def _saved(texts):
    report = SelfEvaluation.objects.get()
    stored = {t.section.code: t.text for t in report.texts.select_related("section")}
    return report if stored == texts else None


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_write_autosave_submit_return_fix_resubmit_accept(page, bob, alice, template):
    # The base officer finds the report from the navigation and writes it.
    log_in(page, "bob")
    page.click("nav.mainnav a:has-text('自评报告')")
    page.click("#selfeval-campaigns a")
    assert page.locator("#report-state").get_attribute("data-state") == "none"
    # The first save is explicit (it creates the report); then the page saves by itself.
    page.fill("#id_text_progress", TEXTS["progress"])
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    assert re.fullmatch(
        r"已于 \d\d:\d\d:\d\d 保存。", page.locator(".messages").inner_text().strip()
    )
    for code, text in TEXTS.items():
        page.fill(f"#id_text_{code}", text)
    counter = page.locator("[data-counter-for=id_text_problems]")
    assert counter.inner_text() == f"{len(TEXTS['problems'])} / 2000"
    page.wait_for_selector("#save-status[data-kind=saved]", timeout=10_000)
    assert re.fullmatch(r"已于 \d\d:\d\d:\d\d 保存。", page.locator("#save-status").inner_text())
    # An autosave may have started while the sections were being filled: wait for the last.
    report = eventually(lambda: _saved(TEXTS))
    assert report.events.filter(action="autosaved").count() >= 1
    eventually(
        lambda: (
            page.locator("#submit-form input[name=version]").input_value()
            == str(SelfEvaluation.objects.get().version)
        )
    )

    page.click("#submit-button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-state").get_attribute("data-state") == "submitted"
    assert "报告已报送评估办公室。" in page.locator(".messages").inner_text()

    # The office returns it with a comment on one section.
    log_in(page, "alice")
    page.goto("/selfeval/campaigns/c/")
    assert page.locator("#state-counts td[data-state=submitted]").inner_text() == "1"
    page.click("#reports a:has-text('R1')")
    page.check("#review-form input[name=decision][value=return]")
    page.fill("#review-form textarea[name=comment_problems]", "请结合本基地数据具体分析。")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-state").get_attribute("data-state") == "returned"

    # The officer sees the comment, fixes the section and resubmits.
    log_in(page, "bob")
    page.goto("/selfeval/campaigns/c/bases/R1/")
    assert (
        page.locator("#comment-problems").inner_text()
        == "评估办公室意见: 请结合本基地数据具体分析。"
    )
    page.fill(
        "#id_text_problems", "新增市场主体三年存活率仅为六成，与中西部地区的交流合作渠道有限。"
    )
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    page.click("#submit-button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-state").get_attribute("data-state") == "submitted"

    # The office accepts it; it is locked.
    log_in(page, "alice")
    page.goto("/selfeval/campaigns/c/bases/R1/")
    page.check("#review-form input[name=decision][value=accept]")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-state").get_attribute("data-state") == "accepted"
    assert "报告已审核通过，现已锁定。" in page.locator(".messages").inner_text()

    report = SelfEvaluation.objects.get()
    assert report.state == "accepted"
    assert report.texts.get(section__code="problems").text.startswith("新增市场主体三年存活率")
    actions = list(report.events.order_by("id").values_list("action", flat=True))
    assert actions[0] == "saved"
    assert actions[-5:] == ["submitted", "returned", "saved", "submitted", "accepted"]
    assert page.console_errors == []


def test_an_autosave_that_meets_a_newer_version_says_so(page, bob, template):
    report_save(
        campaign=template.campaign,
        base=Base.objects.get(code="R1"),
        texts=TEXTS,
        expected_version=0,
        user=bob,
    )
    log_in(page, "bob")
    page.goto("/selfeval/campaigns/c/bases/R1/")
    # Meanwhile, another window saves a newer version.
    report_save(
        campaign=template.campaign,
        base=Base.objects.get(code="R1"),
        texts={"problems": "另一个窗口的文字"},
        expected_version=1,
        user=bob,
    )

    page.fill("#id_text_problems", "这个窗口的文字")
    page.wait_for_selector("#save-status[data-kind=conflict]", timeout=10_000)

    assert (
        page.locator("#save-status").inner_text().startswith("在此期间已有他人保存了这份自评报告")
    )
    stored = SelfEvaluation.objects.get()
    assert stored.version == 2
    assert stored.texts.get(section__code="problems").text == "另一个窗口的文字"
