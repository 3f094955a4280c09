"""The whole judgement cycle of issue 15 in a real browser, on the demo's data.

A base officer writes and submits the self-evaluation from the campaign's template; the office
sets the panel's leader and plans the visit; the leader records the visit on a phone (390 x
844) with a photo; two members score the base; the leader drafts the opinion, a member notes
dissent, the office accepts it; the office confirms two problems, one proposed from a data-check
result of the review, one from the accepted opinion; the office generates and sends the feedback
letter, which the base downloads as PDF and DOCX (both opened and read); the base answers both
problems with a rectification plan and reports one done; the office verifies it; the office
publishes a snapshot, and the published report's problems section counts the two problems with a
lineage link that lists them.

What is loaded, and why: the demo's own loaders as ``bin/demo`` calls them, but only those that
the cycle needs and that leave its steps to the pages: ``mieval sample`` and ``mieval import``
(the 120 demo bases and their values, whose year-on-year jumps the data check flags),
``load_selfeval_template`` (the template, no reports: the officer writes one) and
``load_panels_demo`` (the demo roster, rubric, the panels formed by the optimiser and published,
every expert's drawn scores but the demo login's, the grading settings). The rest of
``bin/demo`` (self-evaluations, visits, opinions, problems and letters of every base, the index
runs, the exchange) would take the cycle's steps out of the pages' hands and more than double
the set-up time (as separate commands they took 69 s more here, about half of it start-up);
without it the register holds only the cycle's two problems, so the report's counts are exact
small numbers.

The cycle's base is the first base (by panel, then code) with one year-on-year check result
(the sample's second batch reports from 2017, so panel 1 may hold none); its leader the panel's
first member (in panel 1 the demo's expert login), its dissenting member the next member, whose
drawn scores of that base are removed so that both score on the page. Measured on this shared
2-core machine, on SQLite and PostgreSQL alike: set-up 30 to 45 s (the browser's start
included), the whole test 90 to 115 s.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from mieval.conftest import PASSWORD
from mieval.visits.tests.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

#: What the base officer writes, one text per section of the default template.
SELF_EVALUATION = {
    "progress": "三年来新增市场主体持续增长，孵化载体面积稳步扩大，国家级高层次人才显著增加。",
    "experience": "一是推行企业开办一窗通办；二是按孵化成效给予运营补贴。",
    "problems": "与中西部地区的交流合作渠道有限，跨区域项目对接仍以零散活动为主。",
    "next_steps": "加强与中西部地区示范基地的结对合作。",
    "policy_requests": "建议设立跨区域合作专项资金。",
}
FINDINGS = "孵化器在孵企业42家，台账与填报数据一致；人才引进台账中2017年数字需核实。"
OPINION = "基地运营规范，孵化成效明显，但与中西部基地的交流合作偏少。"
RECOMMENDATIONS = "与中西部示范基地建立结对交流机制。"
DISSENT = "人才数据尚未核实，示范带动作用评价偏高。"
OPINION_PROBLEM = "与中西部基地交流合作偏少"
#: The report's sentence on the register (zh), with the problems' severities.
TOTALS = "问题清单共确认问题2项，涉及示范基地1个、问题类型2类，其中严重1项、一般1项、轻微0项。"
#: Each scorer's score of every criterion of the demo rubric.
SCORES = {"leo": 82, "mia": 74}


@dataclass
class Cycle:
    campaign: object
    base: object
    panel: object
    leader: object
    member: object
    check_message: str


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what the data migrations loaded (reference
    data, the built-in framework, the problem taxonomy): load it again with their own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)
    import_module("mieval.rectification.migrations.0002_taxonomy_v1").load(apps, None)


@pytest.fixture
def no_autosave(monkeypatch):
    """The self-evaluation editor's timer would save on its own while the officer types (its own
    browser test shows that); here the officer saves by the button, and no timer races it."""
    monkeypatch.setattr("mieval.selfeval.views.AUTOSAVE_SECONDS", 3600)


@pytest.fixture
def demo(reference_data, tmp_path, settings, alice):
    """The demo campaign as ``bin/demo`` loads it, up to the expert panels (see the module's
    docstring), and the people of the cycle with fixed passwords."""
    from mieval.accounts.services import user_create
    from mieval.cli import main
    from mieval.collection.models import Campaign
    from mieval.collection.selectors import campaign_check
    from mieval.panels.models import PanelBase, PanelMember, Score
    from mieval.panels.selectors import demo_expert, panel_set_published

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "demo"
    assert main(["sample", "--out", str(folder)]) == 0
    import_args = [
        "import", "--campaign", "demo", "--create", "2016-2018",
        "--name-zh", "双创示范基地评估（演示）",
        "--name-en", "MIE demonstration base evaluation (demo)",
        "--bases", str(folder / "bases.csv"), "--values", str(folder / "values.csv"),
        "--reason", "demo campaign",
    ]  # fmt: skip
    assert main(import_args) == 0
    call_command("load_selfeval_template", campaign="demo", verbosity=0)
    call_command("load_panels_demo", campaign="demo", dir=str(folder), verbosity=0)

    campaign = Campaign.objects.get(code="demo")
    flagged = campaign_check(campaign)
    flagged = flagged[flagged["rule"] == "yoy_change"]
    once = flagged.groupby("base_code").size().loc[lambda n: n == 1].index
    # A base with one year-on-year check result (the review lists one button to propose from),
    # in the first panel that holds one; its leader the panel's first member (panel 1's is the
    # demo's expert login).
    held = (
        PanelBase.objects.filter(
            panel__panel_set=panel_set_published(campaign), base__code__in=list(once)
        )
        .select_related("base", "panel")
        .order_by("panel__number", "base__code")
        .first()
    )
    panel, base = held.panel, held.base
    check = flagged[flagged["base_code"] == base.code].iloc[0]
    leader = (
        demo_expert(campaign)
        if panel.number == 1
        else PanelMember.objects.filter(panel=panel)
        .select_related("expert")
        .order_by("expert__code")
        .first()
        .expert
    )
    member = (
        PanelMember.objects.filter(panel=panel)
        .exclude(expert=leader)
        .select_related("expert")
        .order_by("expert__code")
        .first()
        .expert
    )
    Score.objects.filter(campaign=campaign, base=base, expert__in=[leader, member]).delete()
    user_create(
        username="olga",
        password=PASSWORD,
        role="base_officer",
        email="olga@example.org",
        base=base,
    )
    for username, expert in (("leo", leader), ("mia", member)):
        expert.user = user_create(
            username=username, password=PASSWORD, role="expert", email=f"{username}@example.org"
        )
        expert.save(update_fields=["user"])
    return Cycle(campaign, base, panel, leader, member, check["message_zh"])


class People:
    """One browser context per person, each logged in through the login form; script errors
    and console errors of every page are collected in ``errors``."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.url = live_server.url
        self.contexts = []
        self.errors: list[str] = []

    def log_in(self, username: str, **options):
        context = self.browser.new_context(base_url=self.url, locale="zh-CN", **options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: self.errors.append(f"{username}: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{username}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit].primary")
        page.wait_for_load_state("networkidle")
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser, live_server):
    crowd = People(browser, live_server)
    yield crowd
    crowd.close()


def test_the_judgement_cycle_on_the_demo(demo, people, no_autosave, tmp_path):
    from mieval.panels.models import Score
    from mieval.rectification.letters import docx_texts
    from mieval.rectification.models import EvaluationProblem, Rectification
    from mieval.rectification.tests.test_letters import pdf_text, squeezed
    from mieval.selfeval.models import SelfEvaluation
    from mieval.visits.models import Opinion, VisitFile, VisitRecord

    code, base = demo.base.code, demo.base

    # 1. The base officer writes the self-evaluation from the template and submits it.
    officer = people.log_in("olga")
    officer.click("nav.mainnav a:has-text('自评报告')")
    officer.click("#selfeval-campaigns a")
    expect(officer.locator("#report-state")).to_have_attribute("data-state", "none")
    for section, text in SELF_EVALUATION.items():
        officer.fill(f"#id_text_{section}", text)
    officer.click("#save-button")
    expect(officer.locator("#submit-button")).to_have_count(1)
    officer.click("#submit-button")
    expect(officer.locator("#report-state")).to_have_attribute("data-state", "submitted")
    report = SelfEvaluation.objects.get(campaign=demo.campaign, base=base)
    assert report.state == "submitted"
    assert {t.section.code: t.text for t in report.texts.select_related("section")} == (
        SELF_EVALUATION
    )

    # 2. The office sets the panel's leader and plans the visit with its date.
    office = people.log_in("alice")
    office.goto("/campaigns/demo/visits/")
    office.select_option(f"#leader-select-{demo.panel.number}", str(demo.leader.pk))
    office.click(f"#panel-{demo.panel.number} form.inline-form button[type=submit]")
    expect(office.locator(f"#leader-{demo.panel.number}")).to_contain_text(
        f"组长：{demo.leader.name}（{demo.leader.code}）"
    )
    office.click(f"#visit-{code} a[href$='/plan/']")
    office.fill("#plan-form input[name=visit_date]", "2019-04-16")
    office.fill("#plan-form textarea[name=itinerary]", "09:00 孵化器参观\n14:00 座谈")
    office.check(f"#plan-form input[name=members][value='{demo.leader.pk}']")
    office.check(f"#plan-form input[name=members][value='{demo.member.pk}']")
    office.fill("#plan-form input[name=contact_0_name]", "王主任")
    office.fill("#plan-form input[name=contact_0_phone]", "010-1234")
    office.click("#plan-form button[type=submit]")
    expect(office.locator(f"#visit-{code} td").first).to_have_text("2019-04-16")
    officer.goto("/campaigns/demo/visits/")
    assert officer.locator("#visit-date").inner_text() == "专家组将于 2019-04-16 到贵基地实地考察。"

    # 3. The leader records the visit on a phone, with a photo.
    phone = people.log_in("leo", **PHONE)
    phone.goto(f"/campaigns/demo/visits/{code}/record/")
    phone.wait_for_selector("html[data-offline-ready=true]")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator(f"label:has(input[name=members_present][value='{demo.leader.pk}'])").tap()
    phone.locator(f"label:has(input[name=members_present][value='{demo.member.pk}'])").tap()
    phone.locator("label:has(input[name=checked][value=ledgers])").tap()
    phone.fill("textarea[name=base_attendees]", "王主任")
    phone.fill("textarea[name=findings]", FINDINGS)
    phone.locator("#record-save").tap()
    expect(phone.locator("#draft-state")).to_have_attribute("data-state", "saved")
    phone.reload()
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes((1200, 900)))
    phone.set_input_files("#visit-file", str(photo))
    phone.locator(".file-form button[type=submit]").tap()
    expect(phone.locator("#visit-files img.thumb")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    record = VisitRecord.objects.get(visit__base=base)
    assert (record.findings, record.checked, record.base_attendees) == (
        FINDINGS,
        ["ledgers"],
        "王主任",
    )
    assert sorted(e.code for e in record.members_present.all()) == sorted(
        [demo.leader.code, demo.member.code]
    )
    assert list(VisitFile.objects.filter(record=record).values_list("name", flat=True)) == [
        "site.png"
    ]

    # 4. Both members score the base on the scoring page, with the visit in front of them.
    leader = people.log_in("leo")
    member = people.log_in("mia")
    for username, page in (("leo", leader), ("mia", member)):
        page.goto(f"/campaigns/demo/scoring/{code}/")
        summary = page.locator("#evidence-summary")
        expect(summary.locator(".evidence-section[data-section=problems]")).to_contain_text(
            SELF_EVALUATION["problems"]
        )
        expect(summary.locator(".evidence-visit")).to_contain_text("2019-04-16")
        expect(summary).to_contain_text(FINDINGS)
        inputs = page.locator("#score-form input[type=number]")
        expect(inputs).to_have_count(4)
        for n in range(4):
            inputs.nth(n).fill(str(SCORES[username]))
        page.click("#score-form #submit")
        page.wait_for_url("**/panels/mine/")
        page.goto(f"/campaigns/demo/scoring/{code}/")
        expect(page.locator("#submitted")).to_have_count(1)

    # 5. The leader drafts the opinion beside scores and record; a member dissents; the office
    #    accepts it.
    leader.goto(f"/campaigns/demo/visits/{code}/opinion/")
    assert leader.locator("#record-findings").inner_text() == FINDINGS
    # Every member's score of every criterion: the two just given and the demo's drawn ones.
    expect(leader.locator("#scores tbody tr")).to_have_count(
        Score.objects.filter(campaign=demo.campaign, base=base).count()
    )
    for username, expert in (("leo", demo.leader), ("mia", demo.member)):
        cells = leader.locator(f"#scores tbody tr:has-text('({expert.code})') td.num")
        assert cells.all_inner_texts() == [f"{SCORES[username]:.2f}"] * 4
    leader.fill("textarea[name=text]", OPINION)
    leader.fill("textarea[name=recommendations]", RECOMMENDATIONS)
    leader.click("#opinion-form button[value=save]")
    expect(leader.locator("#circulate")).to_have_count(1)
    leader.click("#circulate")
    expect(leader.locator("#submit-opinion")).to_have_count(1)

    member.goto(f"/campaigns/demo/visits/{code}/opinion/")
    assert member.locator("#opinion-text").inner_text() == OPINION
    member.check("input[name=agrees][value='0']")
    member.fill("textarea[name=dissent]", DISSENT)
    member.click("#answer-form button[type=submit]")
    expect(member.locator(f"#answer-{demo.member.code}")).to_have_text(
        f"{demo.member.name} ({demo.member.code}): 不同意: {DISSENT}"
    )

    leader.reload()
    leader.click("#submit-opinion")
    expect(leader.locator("#opinion-state")).to_have_text("状态：评估办公室审核中")
    office.goto(f"/campaigns/demo/visits/{code}/opinion/")
    expect(office.locator(f"#answer-{demo.member.code}")).to_contain_text(DISSENT)
    office.click("#accept-opinion")
    expect(office.locator("#propose-from-opinion")).to_have_count(1)
    assert Opinion.objects.get(campaign=demo.campaign, base=base).state == "accepted"

    # 6. The office proposes a problem from a data-check result and one from the opinion, and
    #    confirms both.
    office.goto(f"/campaigns/demo/bases/{code}/review/")
    office.locator("#problems li[data-rule=yoy_change] .propose-problem").first.click()
    form = office.locator("#value-panel #propose-form")
    expect(form.locator("input[name=title_zh]")).to_have_value(demo.check_message)
    form.locator("select[name=type]").select_option(label="创新资源集聚与整合")
    form.locator("select[name=severity]").select_option("moderate")
    form.locator("textarea[name=action_zh]").fill("核实人才统计口径并补报佐证材料。")
    form.locator("button[type=submit]").click()
    office.locator("#value-panel #proposed a").click()
    office.click("#confirm-form button[type=submit]")
    expect(office.locator("#problem-state")).to_have_attribute("data-state", "confirmed")

    office.goto(f"/campaigns/demo/visits/{code}/opinion/")
    office.click("#propose-from-opinion")
    expect(office.locator("textarea[name=action_zh]")).to_have_value(RECOMMENDATIONS)
    office.fill("input[name=title_zh]", OPINION_PROBLEM)
    office.locator("select[name=type]").select_option(label="东部与中西部示范基地交流机制")
    office.locator("select[name=severity]").select_option("serious")
    office.click("#propose-form button[type=submit]")
    office.locator("#proposed a").click()
    office.click("#confirm-form button[type=submit]")
    expect(office.locator("#problem-state")).to_have_attribute("data-state", "confirmed")

    problems = list(EvaluationProblem.objects.filter(base=base).order_by("pk"))
    assert [(p.state, p.type.code, p.severity) for p in problems] == [
        ("confirmed", "resource_clustering", "moderate"),
        ("confirmed", "east_west_exchange", "serious"),
    ]
    assert [sorted(p.evidence.values_list("kind", flat=True)) for p in problems] == [
        ["check_result", "value"],
        ["panel_opinion"],
    ]

    # 7. The office generates and sends the letter; the base downloads it as PDF and DOCX.
    office.goto("/campaigns/demo/letters/")
    office.click(f"#letters tr[data-base='{code}'] button:has-text('生成')")
    expect(office.locator(f"#letters tr[data-base='{code}'] button.primary")).to_have_count(1)
    office.click(f"#letters tr[data-base='{code}'] button.primary")
    expect(office.locator(f"#letters tr[data-base='{code}'] .state")).to_have_attribute(
        "data-state", "sent"
    )
    officer.goto(f"/campaigns/demo/rectification/{code}/")
    officer.click("#letter-link")
    files = {}
    for kind in ("pdf", "docx"):
        with officer.expect_download() as download:
            officer.click(f"#download-{kind}")
        files[kind] = Path(download.value.path()).read_bytes()
    texts = docx_texts(files["docx"])
    pdf = squeezed(pdf_text(files["pdf"]))
    assert texts[0] == "双创示范基地评估（演示）反馈意见书"
    assert f"致：{base.name_zh}（{code}）" in texts
    assert OPINION in texts
    assert {"创新资源集聚与整合", "东部与中西部示范基地交流机制"} <= set(texts)
    for text in (base.name_zh, OPINION, "创新资源集聚与整合", "东部与中西部示范基地交流机制"):
        assert squeezed(text) in pdf
    assert pdf == squeezed("".join(texts))

    # 8. The base answers both problems with a plan, and reports one of them done.
    for problem, owner in zip(problems, ("科技人才处", "合作交流处"), strict=True):
        officer.goto(f"/campaigns/demo/rectification/{code}/")
        officer.click(f"#problems tr[data-problem='{problem.pk}'] a.button")
        officer.fill("#plan-form textarea[name=measures]", f"{problem.action_zh}（{owner}牵头）")
        officer.fill("#plan-form input[name=owner]", owner)
        officer.fill("#plan-form input[name=deadline]", "2099-06-30")
        officer.click("#plan-form button[type=submit]")
        expect(officer.locator(".rectification")).to_have_attribute("data-state", "planned")
    officer.fill("#progress-form textarea[name=text]", "已与两家西部基地签订结对协议。")
    officer.check("#progress-form input[name=completes]")
    officer.click("#progress-form button[type=submit]")
    expect(officer.locator(".rectification")).to_have_attribute("data-state", "done")

    # 9. The office verifies that item: accepted.
    office.goto(f"/problems/{problems[1].pk}/")
    office.select_option("#verify-form select[name=decision]", "accepted")
    office.click("#verify-form button[type=submit]")
    expect(office.locator(".rectification")).to_have_attribute("data-state", "accepted")
    assert dict(Rectification.objects.values_list("problem_id", "state")) == {
        problems[0].pk: "planned",
        problems[1].pk: "accepted",
    }

    # 10. The office publishes a snapshot; its report counts the two problems, and the lineage
    #     link of the count lists them.
    office.goto("/campaigns/demo/reports/")
    office.click("#publish-form button[type=submit]")
    expect(office.locator("#snapshots tbody tr")).to_have_count(1)
    with office.expect_download() as download:
        office.click("#snapshots a[href$='report-zh.html']")
    html = Path(download.value.path()).read_text(encoding="utf-8")
    section = html[html.index('id="problems"') : html.index('id="recommendations"')]
    text = re.sub(r"<[^>]+>", "", section)
    assert TOTALS in text
    assert "创新资源集聚与整合：1项（严重0项）。" in text
    assert "东部与中西部示范基地交流机制：1项（严重1项）。" in text
    # The total's count, linked to the list of all the register's confirmed problems.
    [link, *_] = [
        href.replace("&amp;", "&")
        for href in re.findall(r'<a href="([^"]+)">2</a>', section)
        if "kind=problems" in href and "type=" not in href and "severity=" not in href
    ]
    office.goto(link)
    rows = office.locator("#lineage-problems tbody tr")
    expect(rows).to_have_count(2)
    assert [rows.nth(n).locator("td").all_inner_texts() for n in range(2)] == [
        [f"{base.name_zh} ({code})", "创新资源集聚与整合", "一般", demo.check_message],
        [f"{base.name_zh} ({code})", "东部与中西部示范基地交流机制", "严重", OPINION_PROBLEM],
    ]
    assert people.errors == []
