# ruff: noqa: E501 -- the demo texts are data, one sentence a line.
"""Demo self-evaluation reports (自评报告) for the sample bases, written from each base's own data.

Plain pandas/numpy, no Django. Each base's report follows the default template's five
sections: its progress quotes the base's own first and last values of the indicators that
apply to its category (growth or decline, as the data say), its experience, problems, next
steps and policy requests are drawn (seeded) from banks of phrases typical of its category.
Most reports are in Chinese; one base in twelve writes in English. States: most accepted,
some submitted, a few returned with the office's comments, a few drafts (with a section still
empty). Deterministic for a seed.

    reports = sample_self_evaluations(bases, values, seed=0)
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: indicator -> (name zh, unit zh, name en, unit en)
INDICATOR_WORDS = {
    "new_market_entities": ("新增市场主体", "户", "new market entities", ""),
    "national_talent": ("国家级高层次人才", "人", "national-level talents", ""),
    "incubation_area": ("孵化载体面积", "平方米", "incubation area", " m²"),
    "provincial_rd_centres": (
        "省级以上研发机构",
        "家",
        "research centres at or above the provincial level",
        "",
    ),
    "patents_granted": ("专利授权量", "件", "patents granted", ""),
    "univ_enterprise_coop": ("校企合作项目", "项", "university-enterprise projects", ""),
    "enterprise_gov_projects": ("政企合作项目", "项", "enterprise-government projects", ""),
    "inter_enterprise_projects": ("企业间合作项目", "项", "inter-enterprise projects", ""),
    "institute_ie_projects": ("院所双创项目", "项", "institute I&E projects", ""),
    "training_reach": ("培训讲座覆盖人数", "人次", "people reached by training", ""),
    "univ_ie_education_investment": (
        "双创教育投入",
        "万元",
        "I&E education investment",
        " (10,000 yuan)",
    ),
    "new_urban_employment": ("城镇新增就业", "万人", "new urban jobs", " (10,000 persons)"),
}

#: category -> (focus zh, focus en)
FOCUS = {
    "region": ("打造区域双创高地", "building a regional hub of innovation and entrepreneurship"),
    "university_institute": (
        "推动科技成果转化和双创人才培养",
        "turning research into products and training entrepreneurial talent",
    ),
    "enterprise": ("以大企业带动产业链协同创新", "leading innovation along the industrial chain"),
}

EXPERIENCE = {
    "region": [
        (
            "推行“一窗通办”和企业开办“零成本”，新办企业当日即可领取营业执照和发票。",
            "A one-window service and zero-cost start-up let new firms receive their licence and invoices on the first day.",
        ),
        (
            "建立“众创空间—孵化器—加速器—产业园”全链条孵化体系，按孵化成效给予运营补贴。",
            "A full incubation chain from maker space to industrial park is subsidised by its incubation results.",
        ),
        (
            "设立天使投资引导基金，对投资本地初创企业的机构按实际损失给予风险补偿。",
            "An angel guidance fund compensates investors for part of their losses on local start-ups.",
        ),
        (
            "组建区域双创服务联盟，统一发布政策清单和服务清单，实现政策“免申即享”。",
            "A regional service alliance publishes one list of policies and services, granted without application.",
        ),
        (
            "以“揭榜挂帅”方式发布企业技术需求，吸引高校院所团队跨区域揭榜。",
            "Firms post their technical needs as open challenges that university teams from other regions take up.",
        ),
    ],
    "university_institute": [
        (
            "将创新创业教育纳入学分体系，开设必修课程并设立创业休学制度。",
            "I&E education earns credits, with compulsory courses and leave for students who start a company.",
        ),
        (
            "赋予科研人员职务科技成果所有权或长期使用权，成果转化收益的七成奖励团队。",
            "Researchers hold ownership or long-term use of their inventions and keep seventy per cent of the proceeds.",
        ),
        (
            "建设概念验证中心和中试基地，打通从实验室到生产线的“最后一公里”。",
            "A proof-of-concept centre and a pilot plant bridge the last mile from the laboratory to the production line.",
        ),
        (
            "聘请企业家和投资人担任创业导师，建立“一对一”导师辅导机制。",
            "Entrepreneurs and investors mentor student teams one to one.",
        ),
        (
            "与地方政府共建技术转移中心，派驻技术经理人常驻园区。",
            "A technology transfer centre built with the local government places technology managers in the parks.",
        ),
    ],
    "enterprise": [
        (
            "开放研发平台、检测设备和应用场景，带动产业链上下游中小企业协同创新。",
            "The firm opens its R&D platforms, test equipment and use cases to the small firms of its supply chain.",
        ),
        (
            "设立内部创业基金，支持员工以项目制方式孵化新业务，成熟后独立运营。",
            "An internal venture fund lets staff incubate new businesses as projects that become independent.",
        ),
        (
            "实施“大企业出题、中小企业答题”的协同创新机制，年度发布技术攻关清单。",
            "Large firms set the problems and small firms solve them, through a yearly list of technical challenges.",
        ),
        (
            "建设工业互联网平台，向中小企业提供低成本的数字化转型服务。",
            "An industrial internet platform offers low-cost digital services to small firms.",
        ),
        (
            "与高校共建联合实验室和现代产业学院，订单式培养技术技能人才。",
            "Joint laboratories and an industry college with universities train technicians to order.",
        ),
    ],
}

#: The poster's problem types, as a base would put them.
PROBLEMS = [
    (
        "与中西部地区的交流合作渠道有限，跨区域的项目对接和人才交流仍以零散活动为主。",
        "Channels for working with the central and western regions are few; cross-region matching and exchanges are still occasional events.",
    ),
    (
        "对服务机构和工作人员的激励不足，专业化孵化服务人员流失较多。",
        "Incentives for service providers and staff are weak, and professional incubation staff leave often.",
    ),
    (
        "创新资源集聚和整合程度不高，平台之间各自为战，共享机制尚不健全。",
        "Innovation resources are not clustered or integrated enough; platforms work alone and sharing is not yet organised.",
    ),
    (
        "部分改革举措受上位政策制约，在用地、编制和财政资金使用等方面难以突破。",
        "Some reforms are held back by higher-level rules on land, staffing quotas and the use of public funds.",
    ),
    (
        "企业信用体系建设滞后，信用信息分散，制约了信用融资等服务的开展。",
        "The corporate credit system lags behind; scattered credit data limit credit-based financing.",
    ),
    (
        "部分新设市场主体存活率不高，双创活力与稳就业、保民生之间的衔接有待加强。",
        "Many new market entities do not survive; the vitality of entrepreneurship is not yet linked well enough to jobs and livelihoods.",
    ),
]

NEXT_STEPS = [
    (
        "进一步完善孵化服务体系，提升专业化、市场化运营水平。",
        "Improve the incubation services and run them more professionally and on market terms.",
    ),
    (
        "加强与中西部地区示范基地的结对合作，推动项目、人才和资本跨区域流动。",
        "Pair with demonstration bases in the central and western regions so that projects, talent and capital move between regions.",
    ),
    (
        "健全科技成果转化收益分配机制，激发科研人员创新创业积极性。",
        "Improve how the proceeds of research are shared, to motivate researchers to start companies.",
    ),
    (
        "建立双创企业全生命周期跟踪服务机制，提高初创企业存活率。",
        "Follow start-ups through their life cycle with services that raise their survival rate.",
    ),
    (
        "推进信用信息归集共享，扩大“信易贷”等信用融资产品覆盖面。",
        "Pool and share credit data, and widen credit-based loan products.",
    ),
    (
        "完善双创统计监测制度，按季度跟踪重点指标变化。",
        "Improve the statistical monitoring of entrepreneurship and follow the key indicators quarterly.",
    ),
]

POLICY_REQUESTS = [
    (
        "建议国家层面建立东中西部示范基地常态化交流机制，设立跨区域合作专项资金。",
        "Set up a regular exchange between eastern, central and western bases at the national level, with dedicated funds for cross-region projects.",
    ),
    (
        "建议在用地指标、人才编制等方面给予示范基地先行先试的政策空间。",
        "Give the bases room to pilot new rules on land quotas and staffing.",
    ),
    (
        "建议加快全国统一的企业信用信息共享平台建设，打通部门间数据壁垒。",
        "Speed up a national platform for sharing corporate credit data across departments.",
    ),
    (
        "建议对孵化服务机构实行绩效导向的奖补政策，并落实从业人员职称评定通道。",
        "Reward incubators by performance and open a professional title track for their staff.",
    ),
    (
        "建议将双创带动就业成效纳入示范基地考核，统筹支持创业失败人员再就业。",
        "Count the jobs created in the bases' evaluation, and help failed founders find work again.",
    ),
]

RETURN_COMMENTS = [
    (
        "“工作进展与成效”部分数据与填报的指标数据不一致，请核对后修改。",
        "The figures in “Progress and results” differ from the indicator data you reported; please check and correct them.",
    ),
    (
        "“问题与制约”部分过于笼统，请结合本基地实际列出具体问题。",
        "“Problems and constraints” is too general; please name the base's own problems.",
    ),
    (
        "“政策建议”部分请提出具体、可操作的建议，避免泛泛而谈。",
        "Please make “Policy requests” concrete and workable.",
    ),
]
RETURN_SECTION_COMMENTS = {
    "progress": (
        "请补充说明新增市场主体的存活情况。",
        "Please add how many of the new market entities survived.",
    ),
    "problems": (
        "请对照指标数据分析短板原因。",
        "Please explain the weak points with the indicator data.",
    ),
    "policy_requests": (
        "建议按国家层面和地方层面分别列出。",
        "Please list the national and the local requests separately.",
    ),
}

STATES = ("accepted", "submitted", "returned", "draft")
#: Shares of the states among the bases (the rest accepted).
STATE_SHARES = {"submitted": 0.15, "returned": 0.08, "draft": 0.08}


@dataclass
class DemoReport:
    base_code: str
    language: str
    state: str
    texts: dict[str, str]
    #: For a returned report: the office's overall and per-section comments.
    comment: str = ""
    section_comments: dict[str, str] = field(default_factory=dict)
    #: Accepted after one return (the history shows the return and the fix).
    returned_once: bool = False


def _figure_text(value: float, lang: str) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _indicator_sentence(code: str, first: tuple, last: tuple, lang: str) -> str:
    name_zh, unit_zh, name_en, unit_en = INDICATOR_WORDS.get(code, (code, "", code, ""))
    (y0, v0), (y1, v1) = first, last
    # The compound growth rate; undefined from a start of zero or for a single year.
    rate = ((v1 / v0) ** (1 / (y1 - y0)) - 1) * 100 if v0 > 0 and y1 > y0 else None
    if lang == "zh":
        if rate is None:
            return f"{name_zh}{y1}年达到{_figure_text(v1, lang)}{unit_zh}。"
        verb, trend = (
            ("增至", f"年均增长{rate:.1f}%") if rate >= 0 else ("降至", f"年均下降{-rate:.1f}%")
        )
        return f"{name_zh}由{y0}年的{_figure_text(v0, lang)}{unit_zh}{verb}{y1}年的{_figure_text(v1, lang)}{unit_zh}，{trend}。"
    if rate is None:
        return f"The base reached {_figure_text(v1, lang)}{unit_en} {name_en} in {y1}."
    trend = f"up {rate:.1f}% a year" if rate >= 0 else f"down {-rate:.1f}% a year"
    return f"{name_en.capitalize()} went from {_figure_text(v0, lang)}{unit_en} in {y0} to {_figure_text(v1, lang)}{unit_en} in {y1}, {trend}."


def _pick(rng, bank, k, lang) -> list[str]:
    chosen = rng.choice(len(bank), size=min(k, len(bank)), replace=False)
    return [bank[i][0 if lang == "zh" else 1] for i in sorted(chosen)]


def _progress(base, series: dict, lang: str, first: int, last: int) -> str:
    focus_zh, focus_en = FOCUS.get(base.category, FOCUS["region"])
    sentences = [_indicator_sentence(code, s[0], s[-1], lang) for code, s in series.items()]
    if lang == "zh":
        head = f"{first}—{last}年，本基地围绕“{focus_zh}”的建设目标，对照示范基地建设方案逐项推进各项任务。"
        tail = "总体看，示范基地建设方案确定的主要任务已基本完成，双创生态持续优化。"
        if not sentences:
            sentences = ["各项重点任务有序推进，相关指标数据正在补充填报。"]
        return head + "".join(sentences) + tail
    head = f"From {first} to {last} the base pursued its goal of {focus_en}, task by task as its construction plan set out."
    tail = " On the whole the plan's main tasks are done and the base's entrepreneurial ecosystem keeps improving."
    if not sentences:
        sentences = ["The main tasks are under way; the indicator data are being completed."]
    return head + " " + " ".join(sentences) + tail


def _join(parts: list[str], lang: str, numbered: bool = False) -> str:
    if numbered:
        marks = "一二三四五六" if lang == "zh" else None
        if lang == "zh":
            return "".join(f"{marks[i]}是{p}" for i, p in enumerate(parts))
        return " ".join(f"({i + 1}) {p}" for i, p in enumerate(parts))
    return ("" if lang == "zh" else " ").join(parts)


def _series(values: pd.DataFrame) -> dict[str, dict[str, list]]:
    """base -> indicator -> [(year, value), ...] by year, values present only."""
    out: dict[str, dict[str, list]] = {}
    frame = values.dropna(subset=["value"]).sort_values(["base_code", "indicator_code", "year"])
    for (base, code), group in frame.groupby(["base_code", "indicator_code"], sort=True):
        points = [(int(y), float(v)) for y, v in zip(group["year"], group["value"], strict=True)]
        if len(points) >= 1:
            out.setdefault(base, {})[code] = points
    return out


#: At most this many indicators quoted in a report's progress: the first the base reported
#: (in at least two years) in this order, the one a base officer would lead with first.
INDICATORS_QUOTED = 3
QUOTE_ORDER = (
    "new_market_entities", "new_urban_employment", "univ_ie_education_investment",
    "inter_enterprise_projects", "incubation_area", "patents_granted", "univ_enterprise_coop",
    "enterprise_gov_projects", "institute_ie_projects", "national_talent",
    "provincial_rd_centres", "training_reach",
)  # fmt: skip


def sample_self_evaluations(
    bases: pd.DataFrame, values: pd.DataFrame, seed: int = 0
) -> list[DemoReport]:
    """One report per base of ``bases`` (columns code, name_zh, name_en, category), from its
    ``values`` (base_code, indicator_code, year, value), in base-code order."""
    rng = np.random.default_rng(seed)
    series = _series(values)
    years = sorted(int(y) for y in values["year"].unique()) or [0]
    first, last = years[0], years[-1]
    ordered = bases.sort_values("code").reset_index(drop=True)
    count = len(ordered)
    states = ["accepted"] * count
    slots = rng.permutation(count)
    start = 0
    for state, share in STATE_SHARES.items():
        take = max(1, round(share * count))
        for i in slots[start : start + take]:
            states[i] = state
        start += take
    reports = []
    for i, base in enumerate(ordered.itertuples(index=False)):
        lang = "en" if i % 12 == 5 else "zh"
        own = series.get(base.code, {})
        codes = [c for c in QUOTE_ORDER if len(own.get(c, ())) >= 2][:INDICATORS_QUOTED]
        quoted = {c: own[c] for c in codes}
        bank = EXPERIENCE.get(base.category, EXPERIENCE["region"])
        texts = {
            "progress": _progress(base, quoted, lang, first, last),
            "experience": _join(_pick(rng, bank, 2, lang), lang, numbered=True),
            "problems": _join(_pick(rng, PROBLEMS, 2, lang), lang, numbered=True),
            "next_steps": _join(_pick(rng, NEXT_STEPS, 3, lang), lang, numbered=True),
            "policy_requests": _join(_pick(rng, POLICY_REQUESTS, 2, lang), lang),
        }
        state = states[i]
        report = DemoReport(base_code=base.code, language=lang, state=state, texts=texts)
        if state == "draft":
            # A draft still being written: the last sections are empty.
            report.texts["next_steps"] = ""
            report.texts["policy_requests"] = ""
        if state == "returned":
            k = int(rng.integers(len(RETURN_COMMENTS)))
            report.comment = RETURN_COMMENTS[k][0 if lang == "zh" else 1]
            code = list(RETURN_SECTION_COMMENTS)[k]
            report.section_comments = {
                code: RETURN_SECTION_COMMENTS[code][0 if lang == "zh" else 1]
            }
        if state == "accepted" and rng.random() < 0.2:
            report.returned_once = True
            report.comment = RETURN_COMMENTS[1][0 if lang == "zh" else 1]
        reports.append(report)
    return reports
