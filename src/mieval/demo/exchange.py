"""Demo needs and offers: 80 bilingual posts over the sample bases, for the exchange pages.

Plain pandas/numpy, no Django, and separate from ``mieval.demo.campaign`` (which it does not
change). 20 topics of mass innovation and entrepreneurship (patent licensing, incubator space,
venture capital, talent, testing, market channels, digital transformation, green energy,
biomedicine, agricultural technology ...), each written as a need and a matching offer in Chinese
and in English: 20 x 2 languages x (need + offer) = 80 posts. As in the poster's problem, needs come
mostly from Central-West bases and offers mostly from the East; a third of the Central-West
needs prefer East partners; a few posts have expired by :data:`SAMPLE_AS_OF`.

How the demo calls it::

    from mieval.demo.campaign import sample_bases
    from mieval.core.matching.exchange import offers_match
    from mieval.demo.exchange import SAMPLE_AS_OF, sample_posts

    bases = sample_bases(seed)
    posts = sample_posts(bases, seed)  # columns matching.POSTS_COLUMNS
    matches = offers_match(posts, bases, as_of=SAMPLE_AS_OF, k=10)
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from mieval.core.matching.exchange import POSTS_COLUMNS
from mieval.core.reference import bases_with_derived_fields

#: The demo's "today": posts expiring before it are out of the exchange.
SAMPLE_AS_OF = date(2019, 6, 30)

# (post category, tags, need title zh/en, need text zh/en, offer title zh/en, offer text zh/en)
_TOPICS = (
    (
        "technology",
        ("patent", "new_energy"),
        ("寻求动力电池专利许可", "Seeking battery patent licences"),
        (
            "我们计划量产储能电池，寻求磷酸铁锂正极材料专利许可和技术转移。",
            "We plan to produce storage batteries and seek licences for lithium iron phosphate"
            " cathode patents and technology transfer.",
        ),
        ("正极材料专利许可", "Cathode patent licences"),
        (
            "研究院持有磷酸铁锂正极材料发明专利，可许可使用并提供技术转移支持。",
            "Our institute holds lithium iron phosphate cathode patents and offers licences"
            " with technology transfer support.",
        ),
    ),
    (
        "incubation_space",
        ("incubator", "software"),
        ("软件团队寻找孵化器工位", "Desks in an incubator for a software team"),
        (
            "十人软件开发团队寻找科技企业孵化器工位，希望有创业辅导。",
            "A software team of ten is looking for desks in a technology incubator with"
            " startup mentoring.",
        ),
        ("孵化器开放工位", "Incubator desks available"),
        (
            "科技企业孵化器提供联合办公工位、创业辅导和路演活动。",
            "Technology incubator offers coworking desks, startup mentoring and pitch events.",
        ),
    ),
    (
        "capital",
        ("venture_capital", "semiconductor"),
        ("半导体设备项目融资", "Funding for semiconductor equipment"),
        (
            "半导体设备国产化项目寻求风险投资，拟融资五千万元。",
            "A semiconductor equipment project seeks venture capital of 50 million yuan.",
        ),
        ("半导体产业投资基金", "Semiconductor venture fund"),
        (
            "半导体产业投资基金重点投资半导体设备与材料国产化项目。",
            "Venture capital fund investing in semiconductor equipment and materials.",
        ),
    ),
    (
        "talent",
        ("talent", "artificial_intelligence"),
        ("引进人工智能人才", "Recruiting AI talent"),
        (
            "需要引进人工智能算法工程师，负责工业视觉检测研发。",
            "We need artificial intelligence engineers for industrial vision inspection.",
        ),
        ("人工智能人才推荐", "AI engineers available"),
        (
            "高校人工智能学院推荐算法工程师，擅长工业视觉检测。",
            "University AI school recommends artificial intelligence engineers skilled in"
            " industrial vision inspection.",
        ),
    ),
    (
        "services",
        ("testing", "medical_devices"),
        ("医疗器械检测", "Medical device testing"),
        (
            "需要第三方检测机构进行医疗器械电磁兼容检测。",
            "We need a third-party lab for electromagnetic compatibility testing of medical"
            " devices.",
        ),
        ("医疗器械检测服务", "Testing services for medical devices"),
        (
            "国家级检测中心提供医疗器械电磁兼容检测和注册检验。",
            "National testing centre offers electromagnetic compatibility testing and"
            " registration tests for medical devices.",
        ),
    ),
    (
        "markets",
        ("agriculture", "retail"),
        ("农产品销售渠道", "Sales channels for farm produce"),
        (
            "县域合作社寻求特色农产品进入东部商超的销售渠道。",
            "County cooperatives seek sales channels into eastern supermarkets for specialty"
            " farm produce.",
        ),
        ("商超农产品直采", "Supermarket direct sourcing"),
        (
            "东部连锁商超开放特色农产品直采渠道，欢迎合作社入驻。",
            "Eastern supermarket chain opens direct sourcing channels for specialty farm"
            " produce from cooperatives.",
        ),
    ),
    (
        "services",
        ("digital_transformation", "manufacturing"),
        ("制造企业数字化转型", "Digital transformation of a factory"),
        (
            "传统制造企业寻求数字化转型咨询，推进智能制造改造。",
            "A traditional manufacturer seeks digital transformation consulting for smart"
            " manufacturing.",
        ),
        ("数字化转型咨询", "Digital transformation consulting"),
        (
            "提供制造企业数字化转型诊断与智能制造咨询服务。",
            "Digital transformation diagnosis and smart manufacturing consulting for"
            " manufacturers.",
        ),
    ),
    (
        "technology",
        ("green_energy", "photovoltaic"),
        ("光伏电站运维技术", "Solar plant maintenance technology"),
        (
            "西部光伏电站需要组件清洗机器人技术，降低运维成本。",
            "A western solar power plant needs panel cleaning robots to cut maintenance costs.",
        ),
        ("光伏清洗机器人", "Solar panel cleaning robots"),
        (
            "研发光伏组件智能清洗机器人，适合干旱多沙地区光伏电站。",
            "Smart panel cleaning robots for solar power plants in dry and sandy regions.",
        ),
    ),
    (
        "services",
        ("biomedicine", "pilot_production"),
        ("抗体药物中试", "Pilot production of antibodies"),
        (
            "生物医药企业需要单克隆抗体药物中试工艺开发支持。",
            "A biomedicine company needs process development and pilot production for a"
            " monoclonal antibody.",
        ),
        ("生物医药中试平台", "Biomedicine pilot platform"),
        (
            "生物医药中试平台提供单克隆抗体工艺开发和中试生产。",
            "Biomedicine pilot platform offers monoclonal antibody process development and"
            " pilot production.",
        ),
    ),
    (
        "technology",
        ("agriculture", "remote_sensing"),
        ("病虫害监测技术", "Crop pest monitoring"),
        (
            "合作社需要农作物病虫害智能监测技术，减少农药使用。",
            "Farming cooperatives need smart crop pest monitoring to reduce pesticide use.",
        ),
        ("智能病虫害监测系统", "Smart pest monitoring system"),
        (
            "基于图像识别的农作物病虫害监测系统，帮助合作社减少农药用量。",
            "Image recognition system for crop pest monitoring that helps cooperatives reduce"
            " pesticide use.",
        ),
    ),
    (
        "capital",
        ("seed_fund", "students"),
        ("大学生创业种子资金", "Seed money for student founders"),
        (
            "大学生创业团队需要种子资金启动项目。",
            "Student startup teams need seed funding to launch their projects.",
        ),
        ("高校创业种子基金", "University seed fund"),
        (
            "高校创业种子基金资助大学生创业团队，单项二十万元。",
            "University seed fund supports student startup teams with 200,000 yuan each.",
        ),
    ),
    (
        "talent",
        ("mentoring", "entrepreneurship"),
        ("寻找创业导师", "Looking for startup mentors"),
        (
            "众创空间寻找创业导师，为入驻团队提供辅导。",
            "Our makerspace is looking for startup mentors to coach resident teams.",
        ),
        ("创业导师团队", "Startup mentor team"),
        (
            "连续创业者组成的创业导师团队提供项目诊断和路演辅导。",
            "Startup mentor team of serial entrepreneurs offers project reviews and pitch"
            " coaching.",
        ),
    ),
    (
        "services",
        ("intellectual_property", "pct"),
        ("国际专利申请", "International patent filing"),
        (
            "企业计划申请PCT国际专利，需要知识产权代理服务。",
            "We plan a PCT international patent application and need an IP agency.",
        ),
        ("知识产权代理", "IP agency services"),
        (
            "知识产权服务机构代理PCT国际专利申请和海外商标注册。",
            "IP agency handling PCT international patent applications and overseas trademarks.",
        ),
    ),
    (
        "incubation_space",
        ("laboratory", "biomedicine"),
        ("生物实验室空间", "Biology lab space"),
        (
            "生物医药初创团队需要P2实验室空间。",
            "A biomedicine startup needs P2 laboratory space.",
        ),
        ("P2实验室出租", "P2 labs for rent"),
        (
            "生物医药加速器提供P2实验室和公共仪器平台，按月租赁。",
            "Biomedicine accelerator rents P2 laboratory space and shared instruments monthly.",
        ),
    ),
    (
        "markets",
        ("export", "machinery"),
        ("开拓东南亚市场", "Entering Southeast Asian markets"),
        (
            "工程机械企业需要开拓东南亚市场的海外销售渠道。",
            "A construction machinery maker needs overseas sales channels in Southeast Asia.",
        ),
        ("外贸综合服务", "Export services"),
        (
            "外贸综合服务平台帮助工程机械企业开拓东南亚市场。",
            "Export service platform helping construction machinery makers enter Southeast"
            " Asian markets.",
        ),
    ),
    (
        "technology",
        ("hydrogen", "green_energy"),
        ("氢燃料电池技术", "Hydrogen fuel cell technology"),
        (
            "需要氢燃料电池膜电极制备技术，建设示范生产线。",
            "We need membrane electrode technology for hydrogen fuel cells for a pilot line.",
        ),
        ("膜电极技术转让", "Membrane electrode technology"),
        (
            "转让氢燃料电池膜电极制备工艺及相关专利。",
            "Transfer of hydrogen fuel cell membrane electrode processes and patents.",
        ),
    ),
    (
        "capital",
        ("ip_finance", "smes"),
        ("知识产权质押贷款", "Patent-backed loans"),
        (
            "科技型中小企业寻求知识产权质押贷款，补充研发资金。",
            "A technology SME seeks a patent-backed loan to fund research.",
        ),
        ("知识产权质押融资", "Patent-backed financing"),
        (
            "银行推出科技型中小企业知识产权质押融资，最高一千万元。",
            "Bank offers patent-backed loans to technology SMEs of up to 10 million yuan.",
        ),
    ),
    (
        "talent",
        ("vocational", "cnc"),
        ("数控技工短缺", "CNC technicians wanted"),
        (
            "企业急需数控机床高级技工，缓解技能人才短缺。",
            "Our plant urgently needs skilled CNC machine technicians.",
        ),
        ("订单式培养技工", "Technicians trained to order"),
        (
            "职业技术学院订单式培养数控机床高级技工。",
            "Vocational college trains skilled CNC machine technicians to order.",
        ),
    ),
    (
        "services",
        ("technology_transfer", "universities"),
        ("高校成果对接", "Matching university research"),
        (
            "寻求技术转移机构帮助对接高校科技成果。",
            "We seek a technology transfer office to match us with university research results.",
        ),
        ("技术转移服务", "Technology transfer services"),
        (
            "技术转移中心提供高校科技成果评估、对接和转化服务。",
            "Technology transfer centre evaluates and matches university research results for"
            " companies.",
        ),
    ),
    (
        "markets",
        ("livestreaming", "e_commerce"),
        ("直播带货渠道", "Livestream sales channels"),
        (
            "文创企业希望对接直播电商，拓展线上销售渠道。",
            "A cultural products company wants livestream e-commerce sales channels.",
        ),
        ("直播电商基地", "Livestream e-commerce hub"),
        (
            "直播电商基地为文创产品提供主播资源和直播带货渠道。",
            "Livestream e-commerce hub offers hosts and livestream sales channels for cultural"
            " products.",
        ),
    ),
)


def sample_posts(bases: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """80 demo posts (40 needs, 40 offers; half Chinese, half English) over ``bases``.

    Parameters
    ----------
    bases : pandas.DataFrame
        ``code`` and ``province`` of the bases (``mieval.demo.campaign.sample_bases``); at least one
        base in the East and one elsewhere.
    seed : int, default 0
        The same seed and bases give the same posts.

    Returns
    -------
    pandas.DataFrame
        Columns ``matching.POSTS_COLUMNS``; ``post_id`` ``D-N-01-zh`` (need) or ``D-O-01-zh``
        (offer) by topic and language; the need and offer of a pair are at different bases.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed: {seed!r} is not allowed; use a non-negative integer")
    derived = bases_with_derived_fields(bases)
    east = derived.loc[derived["region_group"] == "east", "code"].to_numpy()
    other = derived.loc[derived["region_group"] != "east", "code"].to_numpy()
    if len(east) == 0 or len(other) == 0:
        raise ValueError("bases: the demo needs at least one East base and one other base")
    group = derived.set_index("code")["region_group"]
    rng = np.random.default_rng(seed)
    rows = []
    for number, (category, tags, n_title, n_text, o_title, o_text) in enumerate(_TOPICS, 1):
        for lang, i in (("zh", 0), ("en", 1)):
            # Needs mostly from the Central-West and Northeast, offers mostly from the East.
            need_base = str(rng.choice(other if rng.random() < 0.75 else east))
            offer_base = need_base
            while offer_base == need_base:
                offer_base = str(rng.choice(east if rng.random() < 0.75 else other))
            prefers_east = group[need_base] == "central_west" and rng.random() < 1 / 3
            need_expires, offer_expires = (
                SAMPLE_AS_OF + timedelta(days=int(d)) for d in rng.integers(30, 365, 2)
            )
            if rng.random() < 0.06:
                need_expires = SAMPLE_AS_OF - timedelta(days=int(rng.integers(1, 90)))
            for kind, base, title, text, prefer, expires in (
                (
                    "need",
                    need_base,
                    n_title,
                    n_text,
                    ("east",) if prefers_east else (),
                    need_expires,
                ),
                ("offer", offer_base, o_title, o_text, (), offer_expires),
            ):
                rows.append(
                    (
                        f"D-{kind[0].upper()}-{number:02d}-{lang}",
                        base,
                        kind,
                        category,
                        title[i],
                        text[i],
                        tags,
                        lang,
                        prefer,
                        expires,
                    )
                )
    return pd.DataFrame(rows, columns=POSTS_COLUMNS)
