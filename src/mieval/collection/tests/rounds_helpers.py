"""Three rounds of one programme in the database, for the tests of the trends across rounds,
the base's history and the API: the values of ``core/trends/tests/test_rounds.py`` with
A = R1, B = R2, C = R9 (hand-computed there).

- round 1, ``r2016`` (2016, ``mie-core`` v1): R1, R2 and U1 (U1's investment in I&E education
  has no crosswalk row: unmapped);
- round 2, ``r2018`` (2016-2018, v1): R1 and R2; R1's 2016 area again (it wins over round 1's);
- round 3, ``r2020`` (2018-2020, ``mie-core`` v2, incubation area in 10,000 m², patents
  renamed): R1 and R9; R1's 2018 area wins over round 2's.
"""

from mieval.collection.models import Programme
from mieval.collection.selectors import campaign_import_plan
from mieval.collection.services import campaign_create, campaign_import_apply, programme_create
from mieval.indicators.models import CrosswalkRow
from mieval.indicators.selectors import framework_builtin
from mieval.indicators.services import crosswalk_import
from mieval.indicators.tests.crosswalk_helpers import CROSSWALK_CSV, framework_v2

BASES = """code,name_zh,name_en,category,subcategory,province,batch
R1,区域一,Region one,region,urban_district,11,2016
R2,区域二,Region two,region,county,51,2016
U1,高校一,University one,university_institute,st_university,42,2016
R9,区域九,Region nine,region,county,42,2020
"""

VALUES = {
    "r2016": """base_code,indicator_code,year,value
R1,incubation_area,2016,20000
R2,incubation_area,2016,40000
R1,patents_granted,2016,4
U1,univ_ie_education_investment,2016,100
""",
    "r2018": """base_code,indicator_code,year,value
R1,incubation_area,2016,30000
R1,incubation_area,2017,50000
R2,incubation_area,2017,60000
R1,incubation_area,2018,70000
R1,patents_granted,2017,6
""",
    "r2020": """base_code,indicator_code,year,value
R1,incubation_area,2018,8
R1,incubation_area,2020,10
R9,incubation_area,2020,4
R1,patents,2020,9
""",
}

SCOPE = {"r2016": ["R1", "R2", "U1"], "r2018": ["R1", "R2"], "r2020": ["R1", "R9"]}


def three_rounds(tmp_path) -> Programme:
    """The programme ``prog`` with its three rounds and the crosswalk v1 → v2."""
    from mieval.core.tables.crosswalk import read_crosswalk
    from mieval.indicators.selectors import frameworks_indicator_frames

    programme = programme_create(code="prog", name_zh="示范基地评估", name_en="Base evaluation")
    v1, v2 = framework_builtin(), framework_v2()
    years = {"r2016": (2016, 2016), "r2018": (2016, 2018), "r2020": (2018, 2020)}
    for number, code in enumerate(["r2016", "r2018", "r2020"], start=1):
        campaign = campaign_create(
            code=code,
            first_year=years[code][0],
            last_year=years[code][1],
            name_zh=f"第{number}轮评估",
            name_en=f"Round {number}",
            framework=v2 if code == "r2020" else v1,
            programme=programme,
            round=number,
        )
        bases = tmp_path / f"{code}-bases.csv"
        lines = BASES.splitlines()
        bases.write_text(
            "\n".join([lines[0], *(line for line in lines[1:] if line[:2] in SCOPE[code])]) + "\n",
            encoding="utf-8",
        )
        values = tmp_path / f"{code}-values.csv"
        values.write_text(VALUES[code], encoding="utf-8")
        plan = campaign_import_plan(campaign=campaign, bases_path=bases, values_path=values)
        campaign_import_apply(plan=plan, actor="fixture")
    if not CrosswalkRow.objects.exists():
        path = tmp_path / "crosswalk.csv"
        path.write_text(CROSSWALK_CSV, encoding="utf-8")
        rows = read_crosswalk(path, frameworks=frameworks_indicator_frames())
        crosswalk_import(rows=rows, actor="fixture")
    return programme


#: The stored index runs of rounds 2 and 3 (``rounds_index_runs``): per round, the year and
#: per base ``(score, rank, median rank, 5% rank, 95% rank)`` of the index.
RANKS = {
    "r2018": (2018, {"R1": (40.0, 2, 2.0, 1.0, 2.0), "R2": (60.0, 1, 1.0, 1.0, 2.0)}),
    "r2020": (2020, {"R1": (70.0, 1, 1.0, 1.0, 2.0), "R9": (30.0, 2, 2.0, 1.0, 2.0)}),
}


def rounds_index_runs(user=None):
    """Index runs of the framework ``named`` for rounds 2 and 3, with the scores of
    :data:`RANKS` (stored as computed; no pipeline runs)."""
    from mieval.analytics.services import index_framework_create, index_run_store
    from mieval.analytics.tests.test_index_names import NAMED
    from mieval.collection.models import Campaign
    from mieval.registry.models import Base, Category

    framework = index_framework_create(
        code="named",
        category=Category.objects.get(code="region"),
        name_zh="小指数",
        name_en="Tiny index",
        text=NAMED,
    )
    runs = []
    for code, (year, ranks) in RANKS.items():
        bases = {b.code: b.pk for b in Base.objects.filter(code__in=ranks)}
        scores = [
            {
                "base_id": bases[base],
                "code": "T",
                "level": 3,
                "score": score,
                "rank": rank,
                "group_rank": rank,
                "group_size": len(ranks),
                "median_rank": median,
                "q05": q05,
                "q95": q95,
            }
            for base, (score, rank, median, q05, q95) in ranks.items()
        ]
        runs.append(
            index_run_store(
                campaign=Campaign.objects.get(code=code),
                framework=framework,
                year=year,
                params={"runs": 100},
                job=None,
                user=user,
                scores=scores,
                computed={
                    "input_hash": "0" * 64,
                    "inputs": {},
                    "normalised": {},
                    "dimensions": ["T", "Ent", "Inn", "Emp"],
                    "weights": {},
                    "sensitivity": [],
                },
            )
        )
    return runs


def rounds_judgement(alice, *, letter_sent_in: tuple[str, ...] = ("r2018",)):
    """R1's judgement in rounds 2 and 3: an accepted panel opinion in round 2 and a draft one
    in round 3; a confirmed problem in each round (round 2's rectification accepted, round
    3's planned), a proposed one in round 3 (not shown); feedback letters sent in
    ``letter_sent_in``. Rows are written as they stand after the workflow (the workflow
    itself is tested in visits and rectification)."""
    from datetime import date

    from django.utils import timezone

    from mieval.collection.models import Campaign
    from mieval.panels.models import Panel, PanelSet
    from mieval.rectification.models import FeedbackLetter, Rectification
    from mieval.rectification.services import problem_confirm, problem_propose
    from mieval.registry.models import Base
    from mieval.visits.models import Opinion

    now = timezone.now()
    r1 = Base.objects.get(code="R1")
    for code, state, text in (
        ("r2018", Opinion.State.ACCEPTED, "基地运营良好。"),
        ("r2020", Opinion.State.DRAFT, "草稿意见。"),
    ):
        campaign = Campaign.objects.get(code=code)
        panel_set = PanelSet.objects.create(campaign=campaign, state="published", status="optimal")
        panel = Panel.objects.create(panel_set=panel_set, number=1)
        Opinion.objects.create(
            campaign=campaign,
            panel=panel,
            base=r1,
            text=text,
            recommendations="加强东西部交流。",
            state=state,
            updated_at=now,
        )
    problems = {}
    for code, title, rect_state in (
        ("r2018", "孵化载体利用率低", Rectification.State.ACCEPTED),
        ("r2020", "东西部交流不足", Rectification.State.PLANNED),
    ):
        campaign = Campaign.objects.get(code=code)
        problem = problem_propose(
            campaign=campaign,
            base=r1,
            source="site_visit",
            type="east_west_exchange",
            severity="serious",
            title_zh=title,
            title_en=f"Problem of {code}",
            user=alice,
        )
        problem_confirm(problem=problem, user=alice)
        Rectification.objects.create(
            problem=problem,
            measures="整改措施",
            owner="基地办公室",
            deadline=date(2030, 1, 1),
            state=rect_state,
            created_at=now,
        )
        problems[code] = problem
    problem_propose(
        campaign=Campaign.objects.get(code="r2020"),
        base=r1,
        source="data_check",
        type="east_west_exchange",
        severity="minor",
        title_zh="待确认的问题",
        user=alice,
    )
    for code in letter_sent_in:
        FeedbackLetter.objects.create(
            campaign=Campaign.objects.get(code=code),
            base=r1,
            lang="zh",
            state=FeedbackLetter.State.SENT,
            pdf="letters/x.pdf",
            docx="letters/x.docx",
            pdf_sha256="0" * 64,
            docx_sha256="0" * 64,
            generated_at=now,
            sent_at=now,
        )
    return problems
