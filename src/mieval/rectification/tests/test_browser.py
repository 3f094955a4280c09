"""In a real browser: the office proposes a problem from a data-check result of the review and
confirms it; the base answers with a plan and reports it done with a file; the office verifies."""

import pytest

from mieval.conftest import PASSWORD
from mieval.rectification.models import EvaluationProblem
from mieval.rectification.tests.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)
    import_module("mieval.rectification.migrations.0002_taxonomy_v1").load(apps, None)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_propose_from_a_check_confirm_plan_report_and_verify(
    page, alice, carol, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"

    # The office proposes a problem from the check result "patents fell from 40 to 0".
    log_in(page, "alice")
    page.goto("/campaigns/c/bases/U1/review/")
    page.click("#problems li[data-rule=yoy_change] .propose-problem")
    form = page.locator("#value-panel #propose-form")
    form.wait_for()
    assert form.locator("input[name=title_zh]").input_value() == (
        "专利授权数量由2016年的40降至2017年的0，请核实0是否为漏填。"
    )
    form.locator("select[name=type]").select_option(label="企业信用体系建设")
    form.locator("select[name=severity]").select_option("moderate")
    form.locator("textarea[name=action_zh]").fill("核实专利统计口径并补报。")
    form.locator("button[type=submit]").click()
    page.locator("#value-panel #proposed").wait_for()
    problem = EvaluationProblem.objects.get()
    assert list(problem.evidence.values_list("kind", flat=True)) == ["check_result", "value"]

    # ... and confirms it on the problem's page.
    page.click("#value-panel #proposed a")
    page.wait_for_load_state("networkidle")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#problem-state").get_attribute("data-state") == "confirmed"

    # The base sees it on its rectification page and answers with a plan, then reports it done.
    log_in(page, "carol")
    page.goto("/campaigns/c/rectification/U1/")
    assert "核实专利统计口径并补报。" in page.locator("#problems").inner_text()
    page.click(f"#problems tr[data-problem='{problem.pk}'] a.button")
    page.wait_for_load_state("networkidle")
    page.fill("#plan-form textarea[name=measures]", "重新核对2017年专利授权数据并提交证明。")
    page.fill("#plan-form input[name=owner]", "科技处")
    page.fill("#plan-form input[name=deadline]", "2099-06-30")
    page.click("#plan-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rectification").get_attribute("data-state") == "planned"
    page.fill("#progress-form textarea[name=text]", "已补报并附专利证书。")
    page.check("#progress-form input[name=completes]")
    page.set_input_files(
        "#progress-form input[name=file]",
        files=[{"name": "证书.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("#progress-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rectification").get_attribute("data-state") == "done"

    # The office verifies it.
    log_in(page, "alice")
    page.goto(f"/problems/{problem.pk}/")
    page.select_option("#verify-form select[name=decision]", "accepted")
    page.click("#verify-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rectification").get_attribute("data-state") == "accepted"
    assert "证书.pdf" in page.locator(".progress-list").inner_text()
    assert page.console_errors == []


def test_propose_from_the_opinion_then_send_the_letter_that_the_base_downloads(
    page, accepted_r1, scored, alice, bob, settings, tmp_path
):
    from mieval.rectification.letters import docx_texts
    from mieval.rectification.models import FeedbackLetter
    from mieval.rectification.tests.test_letters import pdf_text, squeezed

    settings.MEDIA_ROOT = tmp_path / "media"

    # One click from the accepted opinion to a proposed problem, which the office confirms.
    log_in(page, "alice")
    page.goto("/campaigns/c/visits/R1/opinion/")
    page.click("#propose-from-opinion")
    page.wait_for_load_state("networkidle")
    assert page.locator("textarea[name=action_zh]").input_value() == "加强东西部交流。"
    page.fill("input[name=title_zh]", "东西部交流不足")
    page.locator("select[name=type]").select_option(label="东部与中西部示范基地交流机制")
    page.click("#propose-form button[type=submit]")
    page.locator("#proposed").wait_for()
    page.click("#proposed a")
    page.wait_for_load_state("networkidle")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    problem = EvaluationProblem.objects.get()
    assert (problem.state, list(problem.evidence.values_list("kind", flat=True))) == (
        "confirmed", ["panel_opinion"]
    )  # fmt: skip

    # The office generates R1's letter and sends it.
    page.goto("/campaigns/c/letters/")
    page.click("#letters tr[data-base=R1] button:has-text('生成')")
    page.wait_for_load_state("networkidle")
    page.click("#letters tr[data-base=R1] button.primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#letters tr[data-base=R1] .state").get_attribute("data-state") == "sent"

    # The base finds it beside its problems and downloads both files: the same text.
    log_in(page, "bob")
    page.goto("/campaigns/c/rectification/R1/")
    page.click("#letter-link")
    page.wait_for_load_state("networkidle")
    assert "东西部交流不足" in page.locator("#letter-text").inner_text()
    files = {}
    for kind in ("pdf", "docx"):
        with page.expect_download() as download:
            page.click(f"#download-{kind}")
        download.value.save_as(tmp_path / f"letter.{kind}")
        files[kind] = (tmp_path / f"letter.{kind}").read_bytes()
    texts = docx_texts(files["docx"])
    assert texts[0] == "测试评估反馈意见书"
    assert "东西部交流不足" in texts
    assert squeezed(pdf_text(files["pdf"])) == squeezed("".join(texts))
    assert FeedbackLetter.objects.get().state == "sent"
    assert page.console_errors == []
