"""The whole collection cycle in a real browser (Debian's Chromium driven by Playwright).

A base officer fills the form and uploads the Excel template, sees the problems, fixes them and
submits; an analyst queries a value and returns the submission; the base corrects the value in
its answer; the analyst closes the query and approves; the data is then locked for the base.
"""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from mieval.collection.models import Query, Submission, Value, ValueAudit
from mieval.conftest import PASSWORD
from mieval.core.tables import entry_template

# The reference data that a transactional test's flush removes.
from mieval.web.tests.test_browser import reference_data  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def stored(code: str, year: int) -> str | None:
    value = Value.objects.filter(base__code="R1", indicator__code=code, year=year).first()
    return value.raw if value else None


def session(browser, live_server, username):
    """A browser of its own for each person, logged in through the login form."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    return context, page


def filled_template(page, tmp_path, changes: dict[tuple[str, int], object]):
    """The base's template as downloaded, with some cells typed in as Excel would."""
    data = page.request.get("/campaigns/c/bases/R1/template.xlsx").body()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[entry_template.DATA_SHEET]
    years = {
        sheet.cell(row=entry_template.HEADER_ROW, column=c).value: c
        for c in range(entry_template.FIXED_COLUMNS + 1, sheet.max_column + 1)
    }
    rows = {
        sheet.cell(row=r, column=1).value: r
        for r in range(entry_template.FIRST_ROW, sheet.max_row + 1)
    }
    for (code, year), value in changes.items():
        sheet.cell(row=rows[code], column=years[year], value=value)
    path = tmp_path / "R1-filled.xlsx"
    book.save(path)
    return path


def test_the_whole_cycle(browser, live_server, tmp_path, alice, bob):
    bob_context, officer = session(browser, live_server, "bob")

    # 1. The form: a negative count is an error as he types; he fixes it and saves the draft.
    officer.goto("/campaigns/c/bases/R1/entry/")
    field = officer.locator("input[name='v-patents_granted-2017']")
    field.fill("-3")
    problems = officer.locator("#p-patents_granted-2017 .problem")
    expect(problems).to_have_attribute("data-severity", "error")
    field.fill("11")
    expect(problems).to_have_count(0)
    officer.click("button[name=action][value=save]")
    officer.wait_for_load_state("networkidle")
    assert stored("patents_granted", 2017) == "11"

    # 2. The Excel template: a text in a cell is refused with the cell named; fixed, the preview
    #    lists the change and nothing is written until he confirms.
    bad = filled_template(officer, tmp_path, {("training_reach", 2016): "about 500"})
    officer.set_input_files("input[type=file][name=file]", str(bad))
    officer.click("form.upload-form button[type=submit]")
    officer.wait_for_load_state("networkidle")
    expect(officer.locator("body")).to_contain_text("about 500")
    assert stored("training_reach", 2016) is None

    good = filled_template(officer, tmp_path, {("training_reach", 2016): 500})
    officer.goto("/campaigns/c/bases/R1/entry/")
    officer.set_input_files("input[type=file][name=file]", str(good))
    officer.click("form.upload-form button[type=submit]")
    officer.wait_for_load_state("networkidle")
    expect(officer.locator("body")).to_contain_text("500")
    assert stored("training_reach", 2016) is None  # only a preview so far
    officer.click("form.actions button.primary")
    officer.wait_for_load_state("networkidle")
    assert stored("training_reach", 2016) == "500"
    audit = ValueAudit.objects.filter(indicator__code="training_reach").get()
    assert (audit.actor, audit.new) == ("bob", "500")

    # 3. He submits.
    officer.goto("/campaigns/c/bases/R1/entry/")
    officer.click("button[name=action][value=submit]")
    officer.wait_for_load_state("networkidle")
    assert Submission.objects.get(base__code="R1").state == "submitted"

    # 4. The analyst queries a value and returns the submission.
    alice_context, analyst = session(browser, live_server, "alice")
    analyst.goto("/campaigns/c/bases/R1/values/new_market_entities/2017/")
    analyst.fill(
        "#query-open-form textarea[name=text]", "121 is below 2016 and 2018; please check."
    )
    analyst.click("#query-open-form button[type=submit]")
    expect(analyst.locator("#value-detail")).to_contain_text("121 is below 2016 and 2018")
    query = Query.objects.get()
    analyst.goto("/campaigns/c/bases/R1/review/")
    analyst.click("button[name=action][value=return]")
    # The button exists only while the submission is submitted: gone once htmx swapped the page.
    expect(analyst.locator("button[name=action][value=return]")).to_have_count(0)
    assert Submission.objects.get(base__code="R1").state == "returned"

    # 5. The base answers with a corrected value.
    officer.goto("/campaigns/c/bases/R1/queries/")
    reply = officer.locator(f"#query-{query.pk} form.reply-form")
    reply.locator("textarea[name$=text]").fill("A typing error: 131.")
    reply.locator("input[name$=new_value]").fill("131")
    reply.locator("button[type=submit]").click()
    expect(officer.locator(f"#query-{query.pk} [data-status]")).to_have_attribute(
        "data-status", "answered"
    )
    assert stored("new_market_entities", 2017) == "131"
    officer.goto("/campaigns/c/bases/R1/entry/")
    officer.click("button[name=action][value=submit]")
    officer.wait_for_load_state("networkidle")

    # 6. The analyst closes the query and approves.
    analyst.goto(f"/campaigns/c/queries/{query.pk}/")
    analyst.click(f"#query-{query.pk} button[name=action][value=close]")
    expect(analyst.locator(f"#query-{query.pk} [data-status]")).to_have_attribute(
        "data-status", "closed"
    )
    analyst.goto("/campaigns/c/bases/R1/review/")
    analyst.click("button[name=action][value=approve]")
    analyst.wait_for_load_state("networkidle")
    assert Submission.objects.get(base__code="R1").state == "approved"

    # 7. The data is locked for the base: the form is read-only, and a forged save is refused.
    officer.goto("/campaigns/c/bases/R1/entry/")
    expect(officer.locator("#read-only")).to_be_visible()
    expect(officer.locator("input.value-input")).to_have_count(0)
    csrf = next(c["value"] for c in officer.context.cookies() if c["name"] == "csrftoken")
    forged = officer.request.post(
        "/campaigns/c/bases/R1/entry/",
        form={"action": "save", "v-new_market_entities-2017": "999"},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url + "/"},
    )
    assert forged.status == 403
    assert "CSRF" not in forged.text()  # refused for the lock, not for the form's token
    assert stored("new_market_entities", 2017) == "131"

    bob_context.close()
    alice_context.close()
