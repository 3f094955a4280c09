"""The data entry pages: the form, the inline check, saving and submitting, the Excel upload."""

import io
import re

import pytest
from openpyxl import load_workbook

from mieval.collection.models import Submission, Value, ValueAudit
from mieval.registry.models import Base

pytestmark = pytest.mark.django_db

REGION_INDICATORS = [
    "new_market_entities",
    "national_talent",
    "incubation_area",
    "provincial_rd_centres",
    "patents_granted",
    "univ_enterprise_coop",
    "enterprise_gov_projects",
    "inter_enterprise_projects",
    "training_reach",
    "new_urban_employment",
]
UNIVERSITY_INDICATORS = [
    "national_talent",
    "incubation_area",
    "provincial_rd_centres",
    "patents_granted",
    "univ_enterprise_coop",
    "institute_ie_projects",
    "training_reach",
    "univ_ie_education_investment",
]


def entry_url(base_code: str, what: str = "entry/") -> str:
    return f"/campaigns/c/bases/{base_code}/{what}"


def form_data(response, changes=None, action="save") -> dict:
    """The form as the page showed it, with ``changes`` {(indicator, year): text} typed in."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for (code, year), text in (changes or {}).items():
        data[f"v-{code}-{year}"] = text
    data["action"] = action
    return data


def stored(base_code: str, code: str, year: int) -> str | None:
    value = Value.objects.filter(
        campaign__code="c", base__code=base_code, indicator__code=code, year=year
    ).first()
    return value.raw if value else None


def fragment(html: str, element_id: str) -> str:
    """The inner HTML of the element with ``element_id`` (a problems container)."""
    match = re.search(rf'<div id="{element_id}"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(1)


# --- who may -------------------------------------------------------------------------------


def test_another_bases_form_is_not_found(client, carol):
    client.force_login(carol)

    assert client.get(entry_url("R1")).status_code == 404
    assert client.get(entry_url("R1", "template.xlsx")).status_code == 404
    assert client.post(entry_url("R1", "entry/check/")).status_code == 404


def test_a_viewer_may_not_enter_data(client, victor, campaign_c):
    client.force_login(victor)

    assert client.get(entry_url("R1")).status_code == 403


def test_the_profile_links_to_the_form_for_who_may_edit(client, bob, victor):
    client.force_login(bob)
    assert 'id="enter-data"' in client.get("/campaigns/c/bases/R1/").content.decode()

    client.force_login(victor)
    assert 'id="enter-data"' not in client.get("/campaigns/c/bases/R1/").content.decode()


# --- the form ------------------------------------------------------------------------------


def test_the_form_shows_only_the_indicators_of_the_bases_category(client, bob, carol):
    client.force_login(bob)
    region = client.get(entry_url("R1"))
    client.force_login(carol)
    university = client.get(entry_url("U1"))

    assert region.status_code == university.status_code == 200
    assert [r["indicator"]["code"] for r in region.context["rows"]] == REGION_INDICATORS
    assert [r["indicator"]["code"] for r in university.context["rows"]] == UNIVERSITY_INDICATORS
    # zh-hans by default: Chinese units and names first, English names beside.
    row = region.context["rows"][-1]["indicator"]
    assert (row["name"], row["name_other"], row["unit"]) == (
        "城镇新增就业人数",
        "Newly employed urban population",
        "万人",
    )
    html = region.content.decode()
    assert 'name="v-new_market_entities-2018" value="144"' in html
    assert re.search(r'<input type="text" name="v-patents_granted-2017" [^>]*>', html)
    assert 'name="v-patents_granted-2017" value' not in html
    assert "v-univ_ie_education_investment" not in html


def test_the_form_shows_the_state_and_the_deadline(client, bob, campaign_c):
    import datetime as dt

    from django.utils import timezone

    campaign_c.submission_deadline = timezone.make_aware(dt.datetime(2019, 3, 31, 18, 0))
    campaign_c.save()
    client.force_login(bob)

    html = client.get(entry_url("R1")).content.decode()

    assert 'data-state="draft"' in html
    assert "2019-03-31 18:00" in html


def test_saving_a_changed_value_audits_it(client, bob):
    client.force_login(bob)
    page = client.get(entry_url("R1"))
    audits = ValueAudit.objects.count()

    response = client.post(entry_url("R1"), form_data(page, {("new_market_entities", 2018): "150"}))

    assert response.status_code == 302
    value = Value.objects.get(base__code="R1", indicator__code="new_market_entities", year=2018)
    assert (value.raw, value.version, value.source, value.entered_by) == ("150", 2, "form", bob)
    assert ValueAudit.objects.count() == audits + 1
    audit = ValueAudit.objects.first()
    assert (audit.action, audit.old, audit.new, audit.actor, audit.source) == (
        "update",
        "144",
        "150",
        "bob",
        "form",
    )


def test_a_new_value_and_a_cleared_value_are_saved(client, bob):
    client.force_login(bob)
    page = client.get(entry_url("R1"))

    client.post(
        entry_url("R1"),
        form_data(page, {("patents_granted", 2017): "1,100", ("patents_granted", 2018): ""}),
    )

    assert stored("R1", "patents_granted", 2017) == "1100"
    assert stored("R1", "patents_granted", 2018) is None
    actions = set(ValueAudit.objects.filter(source="form").values_list("action", "year"))
    assert actions == {("create", 2017), ("delete", 2018)}


def test_a_value_changed_meanwhile_is_not_overwritten(client, bob, alice, campaign_c):
    from mieval.collection.services import value_set
    from mieval.indicators.models import Indicator

    client.force_login(bob)
    page = client.get(entry_url("R1"))
    value_set(
        campaign=campaign_c,
        base=Base.objects.get(code="R1"),
        indicator=Indicator.objects.get(framework=campaign_c.framework, code="new_market_entities"),
        year=2018,
        raw="160",
        user=alice,
        actor="alice",
        reason="correction",
    )

    response = client.post(
        entry_url("R1"),
        form_data(page, {("new_market_entities", 2018): "150", ("patents_granted", 2016): "11"}),
    )

    assert response.status_code == 409
    assert stored("R1", "new_market_entities", 2018) == "160"
    assert stored("R1", "patents_granted", 2016) == "10"  # nothing at all was saved
    [conflict] = response.context["conflicts"]
    assert (conflict["indicator"], conflict["year"], conflict["mine"], conflict["current"]) == (
        "新增市场主体数量",
        2018,
        "150",
        "160",
    )
    assert conflict["by"] == "alice"
    [message] = [str(m) for m in response.context["messages"]]
    assert "新增市场主体数量 2018" in message
    # The form now carries the current version: saving again keeps bob's value.
    again = client.post(entry_url("R1"), form_data(response))
    assert again.status_code == 302
    assert stored("R1", "new_market_entities", 2018) == "150"


def test_a_field_that_is_not_a_number_saves_nothing(client, bob):
    client.force_login(bob)
    page = client.get(entry_url("R1"))

    response = client.post(
        entry_url("R1"),
        form_data(page, {("patents_granted", 2016): "12件", ("patents_granted", 2017): "9"}),
    )

    assert response.status_code == 400
    assert stored("R1", "patents_granted", 2016) == "10"
    assert stored("R1", "patents_granted", 2017) is None
    cell = fragment(response.content.decode(), "p-patents_granted-2016")
    assert 'data-severity="error"' in cell and "12件" in cell


# --- the inline check ----------------------------------------------------------------------


def test_the_check_flags_a_negative_value_and_a_tenfold_jump(client, bob):
    client.force_login(bob)
    page = client.get(entry_url("R1"))

    response = client.post(
        entry_url("R1", "entry/check/"),
        form_data(
            page,
            {("new_market_entities", 2018): "1210", ("patents_granted", 2017): "-3"},
        ),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" not in html  # the fragment only
    jump = fragment(html, "p-new_market_entities-2018")
    assert jump.count('data-severity="warning"') == 1
    assert 'data-rule="yoy_change"' in jump and "1,210" in jump
    negative = fragment(html, "p-patents_granted-2017")
    assert negative.count('data-severity="error"') == 1
    assert "-3" in negative
    assert fragment(html, "p-new_market_entities-2017") == ""
    assert 'hx-swap-oob="true"' in html
    assert stored("R1", "new_market_entities", 2018) == "144"  # nothing saved
    assert stored("R1", "patents_granted", 2017) is None


def test_the_check_uses_the_language_of_the_page(client, bob):
    client.force_login(bob)
    page = client.get(entry_url("R1"))
    data = form_data(page, {("new_market_entities", 2018): "1210"})

    zh = client.post(entry_url("R1", "entry/check/"), data, headers={"HX-Request": "true"})
    client.cookies["django_language"] = "en"
    en = client.post(entry_url("R1", "entry/check/"), data, headers={"HX-Request": "true"})

    assert "新增市场主体数量" in fragment(zh.content.decode(), "p-new_market_entities-2018")
    assert "Newly established market entities" in fragment(
        en.content.decode(), "p-new_market_entities-2018"
    )


# --- submitting ----------------------------------------------------------------------------

ERROR_RULE = """
[[rule]]
code = "patents_cap"
left = "#{patents_granted}"
operator = "<="
right = "11"
severity = "error"
message_en = "{left} patents are more than {right}."
message_zh = "专利{left}件，超过{right}件。"
"""


def test_submitting_with_errors_is_blocked(client, bob, campaign_c):
    from mieval.collection.workflow import ruleset_save

    ruleset_save(framework=campaign_c.framework, text=ERROR_RULE, activate=True)
    client.force_login(bob)
    page = client.get(entry_url("R1"))

    response = client.post(
        entry_url("R1"), form_data(page, {("training_reach", 2018): "500"}, action="submit")
    )

    assert response.status_code == 400
    assert stored("R1", "training_reach", 2018) == "500"  # saved as a draft all the same
    assert not Submission.objects.filter(base__code="R1", state="submitted").exists()
    [blocking] = response.context["blocking"]
    assert (blocking["indicator"], blocking["year"], blocking["rule"]) == (
        "patents_granted",
        2018,
        "patents_cap",
    )
    assert 'id="blocking"' in response.content.decode()


def test_submitting_without_errors_makes_the_form_read_only_for_the_officer(client, bob, alice):
    client.force_login(bob)
    page = client.get(entry_url("R1"))

    response = client.post(entry_url("R1"), form_data(page, action="submit"))

    assert response.status_code == 302
    submission = Submission.objects.get(campaign__code="c", base__code="R1")
    assert submission.state == "submitted"
    after = client.get(entry_url("R1"))
    html = after.content.decode()
    assert 'id="read-only"' in html
    assert 'name="v-' not in html and "entry/check/" not in html
    assert 'data-state="submitted"' in html
    refused = client.post(entry_url("R1"), form_data(page, {("patents_granted", 2016): "99"}))
    assert refused.status_code == 403
    assert stored("R1", "patents_granted", 2016) == "10"
    # The office may still correct it while reviewing.
    client.force_login(alice)
    assert 'name="v-patents_granted-2016"' in client.get(entry_url("R1")).content.decode()


def test_approved_data_is_read_only_for_analysts_too(client, alice, bob, campaign_c):
    from mieval.collection.workflow import submission_approve, submission_submit

    base = Base.objects.get(code="R1")
    submission = submission_submit(campaign=campaign_c, base=base, actor="bob")
    submission_approve(submission=submission, actor="alice")
    client.force_login(alice)

    html = client.get(entry_url("R1")).content.decode()

    assert 'id="read-only"' in html and 'name="v-' not in html


# --- the Excel upload ----------------------------------------------------------------------


def filled_template(client, base_code: str, cells: dict) -> io.BytesIO:
    """The base's template as downloaded, with ``cells`` {(indicator, year): value} typed in."""
    response = client.get(entry_url(base_code, "template.xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(7, sheet.max_row + 1)}
    columns = {sheet.cell(row=6, column=c).value: c for c in range(5, sheet.max_column + 1)}
    for (code, year), value in cells.items():
        sheet.cell(row=rows[code], column=columns[year]).value = value
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "R1-filled.xlsx"
    return out


def test_upload_previews_exactly_the_changes_then_applies_them_once(client, bob):
    client.force_login(bob)
    upload = filled_template(
        client,
        "R1",
        {
            ("new_market_entities", 2018): 150,
            ("patents_granted", 2017): 11.5,
            ("patents_granted", 2018): None,
        },
    )
    audits = ValueAudit.objects.count()

    preview = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert preview.status_code == 200
    changes = {
        (c["indicator"]["code"], c["year"], c["old"], c["new"]) for c in preview.context["changes"]
    }
    assert changes == {
        ("new_market_entities", 2018, "144", "150"),
        ("patents_granted", 2017, None, "11.5"),
        ("patents_granted", 2018, "12", None),
    }
    assert ValueAudit.objects.count() == audits  # nothing written yet
    token = preview.context["token"]

    applied = client.post(entry_url("R1", "upload/"), {"token": token}, follow=True)

    assert applied.redirect_chain == [(entry_url("R1"), 302)]
    assert [m.level_tag for m in applied.context["messages"]] == ["success"]
    assert stored("R1", "new_market_entities", 2018) == "150"
    assert stored("R1", "patents_granted", 2017) == "11.5"
    assert stored("R1", "patents_granted", 2018) is None
    new = ValueAudit.objects.filter(pk__gt=0).order_by("-id")[:3]
    assert {(a.source, a.source_detail, a.actor) for a in new} == {
        ("import", "R1-filled.xlsx", "bob")
    }
    assert ValueAudit.objects.count() == audits + 3

    again = client.post(entry_url("R1", "upload/"), {"token": token}, follow=True)

    assert ValueAudit.objects.count() == audits + 3
    assert [m.level_tag for m in again.context["messages"]] == ["info"]


def test_an_upload_with_problems_names_each_cell(client, bob):
    client.force_login(bob)
    upload = filled_template(
        client, "R1", {("patents_granted", 2016): "ten", ("training_reach", 2017): -4}
    )

    response = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 400
    assert [p["cell"] for p in response.context["file_problems"]] == ["E11", "F15"]
    assert stored("R1", "patents_granted", 2016) == "10"


def test_an_upload_is_refused_once_submitted(client, bob, campaign_c):
    from mieval.collection.workflow import submission_submit

    client.force_login(bob)
    upload = filled_template(client, "R1", {("patents_granted", 2016): 20})
    submission_submit(campaign=campaign_c, base=Base.objects.get(code="R1"), actor="bob")

    response = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 403
    assert stored("R1", "patents_granted", 2016) == "10"


def test_a_preview_is_not_applied_when_the_data_changed_meanwhile(client, bob, campaign_c):
    from mieval.collection.services import value_set
    from mieval.indicators.models import Indicator

    client.force_login(bob)
    upload = filled_template(client, "R1", {("patents_granted", 2016): 20})
    preview = client.post(entry_url("R1", "upload/"), {"file": upload})
    value_set(
        campaign=campaign_c,
        base=Base.objects.get(code="R1"),
        indicator=Indicator.objects.get(framework=campaign_c.framework, code="patents_granted"),
        year=2016,
        raw="15",
        actor="alice",
        reason="",
    )

    response = client.post(entry_url("R1", "upload/"), {"token": preview.context["token"]})

    assert response.status_code == 409
    assert stored("R1", "patents_granted", 2016) == "15"
    assert [(c["old"], c["new"]) for c in response.context["changes"]] == [("15", "20")]


def test_a_stable_peer_position_is_not_counted_among_the_values_not_compared():
    # A peer note without a year is a base's stable position (issue 13, point 10): it belongs
    # on its indicator's row; only dated peer notes are "not compared with other bases".
    from types import SimpleNamespace

    from django.utils import translation

    from mieval.collection.forms import EntryForm
    from mieval.collection.views.entry import _rows

    indicators = [{"code": "patents_granted", "name": "Patents", "non_negative": True}]
    entry = SimpleNamespace(indicators=indicators, years=[2017, 2018], stored={})
    form = EntryForm(indicators=indicators, years=[2017, 2018], stored={})
    stable = {
        "indicator": "patents_granted",
        "year": None,
        "severity": "info",
        "message": "far above the other bases: a stable position",
        "rule": "outlier_peers",
    }
    unjudged = {**stable, "year": 2017, "message": "not compared with peers"}

    with translation.override("en"):
        result = _rows(entry, form, [stable, unjudged], {})

    assert result["rows"][0]["problems"] == [stable]
    assert [g["message"] for g in result["general"]] == [
        "1 value is not compared with other bases: too few bases of the subcategory reported"
        " that indicator in that year."
    ]
