# ruff: noqa: E501 -- the demo texts are data, one sentence a line.
"""Demo reforms, typical cases and exemplary people for the sample bases, bilingual.

Plain pandas/numpy, no Django. 54 reform measures (nine in each of the six default policy
areas), each reported by one base, in Chinese with an English translation (every fourth one
in English with a Chinese translation; three classified by the office in another area than
reported); six of them are reported again, reworded, by a
second base (the near-duplicates the office links): 60 reforms. 20 typical cases and
15 exemplary people, each nominated by one base; most are selected, most with consent.

    from mieval.demo.campaign import sample_bases
    from mieval.demo.practices import sample_practices

    reforms, nominations = sample_practices(sample_bases(seed), seed)
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

REFORM_COLUMNS = (
    "base_code", "area", "scope", "language", "title", "description", "title_other",
    "description_other", "introduced_on", "classified", "classified_area",
)  # fmt: skip
NOMINATION_COLUMNS = (
    "base_code", "kind", "subkind", "language", "name", "story", "name_other", "story_other",
    "year", "status", "reason", "consent", "organisation_title", "contact_phone",
    "contact_email",
)  # fmt: skip

# area -> [(title zh, description zh, title en, description en)]
_MEASURES = {
    "business_registration": [
        (
            "企业开办一窗通办",
            "将企业登记、刻章、申领发票和社保登记合并为一个窗口办理，企业开办时间压缩至一个工作日。",
            "One-window business start-up",
            "Registration, seals, invoices and social insurance are handled at one window; a company is set up within one working day.",
        ),
        (
            "住所与经营场所分离登记",
            "允许创业企业以孵化器地址作为住所登记，经营场所可另行备案。",
            "Separate registration of domicile and premises",
            "Start-ups may register an incubator address as their domicile and file their premises separately.",
        ),
        (
            "简易注销改革",
            "对未开业和无债权债务的企业实行简易注销，公告期缩短为二十天。",
            "Simplified deregistration",
            "Companies that never traded or hold no debts are deregistered in a simplified procedure with a twenty-day notice.",
        ),
        (
            "电子营业执照全程网办",
            "推行电子营业执照，企业设立变更全程网上办理。",
            "Electronic business licences online",
            "Electronic business licences let companies register and change details entirely online.",
        ),
        (
            "多证合一改革",
            "将涉企备案类证照整合到营业执照上，实行“多证合一、一照一码”。",
            "Many certificates in one licence",
            "Filings a company needs are merged into its business licence: many certificates, one licence, one code.",
        ),
        (
            "证照分离改革",
            "对涉企经营许可事项实行直接取消审批、审批改备案、告知承诺等分类管理。",
            "Separating permits from licences",
            "Business permits are abolished, turned into filings or granted on a written commitment, by category.",
        ),
        (
            "企业名称自主申报",
            "企业名称通过网上系统自主申报，系统自动比对，即报即用。",
            "Self-declared company names",
            "Founders declare company names online; the system checks them and they can be used at once.",
        ),
        (
            "集群注册",
            "允许多家创业企业以同一托管机构地址集群注册。",
            "Cluster registration",
            "Several start-ups may register at the address of one hosting agency.",
        ),
        (
            "先照后证改革",
            "除保留的前置审批事项外，企业先领取营业执照，再申办经营许可。",
            "Licence first, permits later",
            "Except for a short list of prior approvals, a company obtains its business licence first and applies for permits afterwards.",
        ),
    ],
    "talent": [
        (
            "高层次人才安居工程",
            "为引进的高层次人才提供人才公寓和购房补贴，配偶就业和子女入学统筹解决。",
            "Housing for high-level talent",
            "Recruited high-level talent receive apartments or housing subsidies, with help for spouses' jobs and children's schooling.",
        ),
        (
            "科研人员离岗创业",
            "允许高校和科研院所科研人员离岗创业三年，保留人事关系和职称评定资格。",
            "Leave for researchers to start companies",
            "University and institute researchers may leave for three years to start a company and keep their posts and promotion rights.",
        ),
        (
            "大学生创业担保贷款",
            "为在校及毕业五年内大学生创业提供最高三十万元担保贷款并全额贴息。",
            "Guaranteed loans for student founders",
            "Students and graduates of the last five years get guaranteed start-up loans of up to 300,000 yuan with full interest subsidy.",
        ),
        (
            "外籍人才工作许可便利化",
            "外籍高端人才工作许可与居留许可一窗受理、并联审批。",
            "Work permits for foreign talent",
            "Work and residence permits for foreign experts are applied for at one window and approved in parallel.",
        ),
        (
            "创业导师聘任制度",
            "建立创业导师库，导师辅导绩效纳入职称评审。",
            "Appointment of start-up mentors",
            "A pool of start-up mentors is kept and their mentoring counts in professional title reviews.",
        ),
        (
            "人才职称自主评审",
            "赋予龙头企业和新型研发机构工程技术人才职称自主评审权。",
            "Own professional title reviews",
            "Leading firms and new research institutes review the professional titles themselves.",
        ),
        (
            "技能人才积分落户",
            "技能等级证书纳入积分落户加分项目。",
            "Residence points for skilled workers",
            "Vocational skill certificates earn points towards a local household registration.",
        ),
        (
            "青年创业见习基地",
            "建设青年创业见习基地，见习期间给予生活补贴。",
            "Entrepreneurship internships for young people",
            "Internship bases let young people learn entrepreneurship with a living allowance.",
        ),
        (
            "柔性引才机制",
            "以项目合作、兼职顾问等方式柔性引进院士专家。",
            "Flexible recruitment of experts",
            "Academicians and experts are engaged through project cooperation or part-time advisory roles.",
        ),
    ],
    "finance_tax": [
        (
            "科技型中小企业研发费用加计扣除",
            "落实研发费用加计扣除政策，设立专班辅导企业申报。",
            "Extra deduction of R&D expenses",
            "A task force helps small technology firms claim the extra deduction of R&D expenses.",
        ),
        (
            "天使投资风险补偿",
            "对投资初创科技企业的天使投资机构按实际损失的百分之三十给予补偿。",
            "Risk compensation for angel investment",
            "Angel investors in early-stage technology firms are compensated for 30 percent of actual losses.",
        ),
        (
            "知识产权质押融资",
            "设立风险补偿资金池，支持企业以专利权质押获得银行贷款。",
            "Loans secured on patents",
            "A risk pool helps firms obtain bank loans secured on their patents.",
        ),
        (
            "科技创新券",
            "向中小企业发放创新券，用于购买检测、研发和技术服务。",
            "Innovation vouchers",
            "Small firms receive vouchers to buy testing, R&D and technical services.",
        ),
        (
            "政府引导基金让利",
            "政府引导基金在子基金退出时向社会资本让渡部分收益。",
            "Guidance funds share returns",
            "The government guidance fund gives part of its returns to private investors when sub-funds exit.",
        ),
        (
            "投贷联动试点",
            "银行与投资机构合作，对科技企业实行股权投资与贷款联动。",
            "Linked equity and debt finance",
            "Banks and investors cooperate to combine equity investment and loans for technology firms.",
        ),
        (
            "科技保险补贴",
            "对企业购买研发中断险、首台套保险给予保费补贴。",
            "Subsidised technology insurance",
            "Premiums for R&D interruption and first-unit equipment insurance are subsidised.",
        ),
        (
            "区域性股权市场科创板",
            "在区域性股权市场设立科技创新专板，帮助初创企业挂牌融资。",
            "Innovation board of the regional equity market",
            "A special board of the regional equity market helps start-ups list and raise capital.",
        ),
        (
            "政府采购首购首用",
            "政府采购优先购买创新产品，首购首用给予支持。",
            "First purchase of innovative products",
            "Government procurement buys innovative products first and supports their first use.",
        ),
    ],
    "intellectual_property": [
        (
            "专利快速预审",
            "建立知识产权保护中心，为重点产业专利申请提供快速预审通道。",
            "Fast pre-examination of patents",
            "An IP protection centre offers fast pre-examination of patent applications in key industries.",
        ),
        (
            "知识产权纠纷快速调解",
            "设立知识产权纠纷人民调解委员会，调解期限不超过三十天。",
            "Quick mediation of IP disputes",
            "A mediation committee settles intellectual property disputes within thirty days.",
        ),
        (
            "高价值专利培育",
            "对高价值专利组合培育项目给予资助并提供专利导航服务。",
            "Cultivating high-value patents",
            "Projects that build high-value patent portfolios receive grants and patent navigation services.",
        ),
        (
            "商标品牌指导站",
            "在产业园区设立商标品牌指导站，提供商标注册和维权咨询。",
            "Trademark guidance stations",
            "Guidance stations in industrial parks advise on trademark registration and enforcement.",
        ),
        (
            "海外知识产权维权援助",
            "为出海企业提供海外知识产权纠纷应对指导和费用补助。",
            "Help with IP disputes abroad",
            "Exporting firms get guidance and cost subsidies for intellectual property disputes abroad.",
        ),
        (
            "产业专利导航",
            "依托专利信息分析，为重点产业规划和企业研发布局提供导航服务。",
            "Patent navigation for industries",
            "Analyses of patent information guide the plans of key industries and the research of firms.",
        ),
        (
            "知识产权运营服务平台",
            "建设知识产权运营服务平台，提供交易、评估和质押登记一站式服务。",
            "IP operation service platform",
            "A platform offers the trading, valuation and pledge registration of intellectual property in one place.",
        ),
        (
            "知识产权证券化",
            "以专利许可收益为基础发行知识产权证券化产品。",
            "IP securitisation",
            "Securities backed by patent licence income are issued.",
        ),
        (
            "技术调查官制度",
            "法院引入技术调查官，协助审理专利技术事实。",
            "Technical investigators in court",
            "Courts appoint technical investigators to help establish the facts in patent cases.",
        ),
    ],
    "technology_transfer": [
        (
            "职务科技成果赋权改革",
            "赋予科研人员职务科技成果所有权或长期使用权，成果转化收益七成归研发团队。",
            "Ownership rights for researchers' inventions",
            "Researchers receive ownership or long-term use rights of their service inventions, and 70 percent of transfer income goes to the team.",
        ),
        (
            "技术经理人队伍建设",
            "培养专业技术经理人，按技术合同成交额给予奖励。",
            "Training technology managers",
            "Professional technology transfer managers are trained and rewarded by the value of technology contracts.",
        ),
        (
            "概念验证中心",
            "建设概念验证中心，资助早期科研成果开展原型开发和市场验证。",
            "Proof-of-concept centre",
            "A proof-of-concept centre funds prototypes and market tests of early research results.",
        ),
        (
            "成果转化收益奖励",
            "科技成果转化净收入的七成以上奖励给完成人和团队。",
            "Rewards from commercialisation",
            "At least seventy per cent of the net income from commercialising a result goes to its inventors and their team.",
        ),
        (
            "校企联合实验室",
            "高校与龙头企业共建联合实验室，企业出题、高校答题。",
            "Joint university-enterprise laboratories",
            "Universities and leading firms run joint laboratories: the firm sets the problems, the university solves them.",
        ),
        (
            "技术转移机构专业化",
            "高校设立独立运营的技术转移中心，实行市场化薪酬。",
            "Professional technology transfer offices",
            "Universities run independent technology transfer offices with market-rate pay.",
        ),
        (
            "科技成果作价入股",
            "允许高校以科技成果作价入股，免于国有资产评估备案。",
            "Inventions as equity",
            "Universities may contribute inventions as equity without state asset valuation filings.",
        ),
        (
            "中试熟化基金",
            "设立中试熟化基金，支持成果从实验室走向生产线。",
            "Scale-up fund",
            "A fund supports scale-up so that results move from the laboratory to the production line.",
        ),
        (
            "技术交易市场",
            "建设线上线下结合的技术交易市场，提供挂牌交易和拍卖服务。",
            "Technology exchange",
            "An online and offline technology exchange offers listings and auctions.",
        ),
    ],
    "land_space": [
        (
            "新型产业用地",
            "设立新型产业用地类型，允许研发、创意、制造融合布局。",
            "New industrial land type",
            "A new land-use type allows research, design and production on one plot.",
        ),
        (
            "标准地出让",
            "工业用地按标准地出让，事先明确投资强度和亩均税收。",
            "Standard plots for industry",
            "Industrial land is sold as standard plots with investment and tax per mu fixed in advance.",
        ),
        (
            "闲置厂房改造众创空间",
            "支持利用闲置厂房和楼宇改造为众创空间，五年内不改变用地性质。",
            "Idle factories turned into maker spaces",
            "Idle factories and buildings may become maker spaces without a change of land use for five years.",
        ),
        (
            "孵化器用房租金减免",
            "对入驻国有孵化器的初创企业前两年免收租金。",
            "Rent-free incubator space",
            "Start-ups in state-owned incubators pay no rent for their first two years.",
        ),
        (
            "弹性年期供地",
            "工业用地实行弹性年期出让，先租后让。",
            "Flexible land lease terms",
            "Industrial land is leased for flexible terms, first rented and then sold.",
        ),
        (
            "飞地园区共建",
            "与东部发达地区共建“飞地”科技园区，分享用地指标和税收。",
            "Enclave science parks",
            "Science parks built with developed eastern regions as enclaves share land quotas and tax revenue.",
        ),
        (
            "混合用地供应",
            "同一宗地兼容研发、办公和配套服务功能。",
            "Mixed-use land",
            "One plot may combine research, offices and supporting services.",
        ),
        (
            "低效用地再开发",
            "对低效工业用地实施收储再开发，提高亩均效益。",
            "Redeveloping underused land",
            "Underused industrial land is taken back and redeveloped to raise output per mu.",
        ),
        (
            "人才公寓配建",
            "在产业园区按比例配建人才公寓和公共服务设施。",
            "Housing built into industrial parks",
            "Industrial parks must include a share of apartments and public services for their staff.",
        ),
    ],
}

# Measures a base reported in one area that the office classifies in another.
_RECLASSIFIED = {
    "人才公寓配建": "talent",
    "大学生创业担保贷款": "finance_tax",
    "孵化器用房租金减免": "finance_tax",
}

# Reworded reports of the same measure by a second base: (area, measure index, zh title, zh text).
_NEAR_DUPLICATES = (
    ("business_registration", 0, "企业开办一窗通办改革", "企业登记、刻章、发票申领和社保登记合并在一个窗口办理，企业开办时间压缩到一个工作日内。"),
    ("talent", 1, "支持科研人员离岗创业", "允许高校和科研院所的科研人员离岗创业三年，期间保留人事关系和职称评定资格。"),
    ("finance_tax", 1, "天使投资风险补偿机制", "天使投资机构投资初创科技企业发生实际损失的，按百分之三十给予补偿。"),
    ("intellectual_property", 0, "专利申请快速预审服务", "依托知识产权保护中心，为重点产业的专利申请提供快速预审通道。"),
    ("technology_transfer", 0, "职务科技成果赋权", "赋予科研人员职务科技成果的所有权或长期使用权，转化收益的七成归研发团队所有。"),
    ("land_space", 2, "闲置厂房改建众创空间", "利用闲置厂房和楼宇改建众创空间，五年内不改变原有用地性质。"),
)  # fmt: skip

_CASES = (
    ("enterprise", "智能传感器初创企业", "一家由高校团队创办的智能传感器企业，三年内营收过亿元，获得国家级专精特新“小巨人”称号。",
     "A smart sensor start-up", "A smart sensor company founded by a university team passed 100 million yuan in revenue within three years and became a national 'little giant'."),
    ("enterprise", "农业无人机企业", "返乡创业团队研发植保无人机，服务农户超过十万户。",
     "An agricultural drone company", "Founders who returned home build crop-protection drones that serve over 100,000 farming households."),
    ("enterprise", "生物医药创新企业", "依托研究院专利成立的生物医药企业，一类新药进入临床试验。",
     "A biomedicine innovator", "A biomedicine firm founded on an institute's patents has a first-in-class drug in clinical trials."),
    ("enterprise", "工业软件企业", "国有企业内部孵化的工业软件公司，产品替代进口并服务数百家制造企业。",
     "An industrial software company", "An industrial software company incubated inside a state-owned enterprise replaces imports and serves hundreds of manufacturers."),
    ("platform", "大学科技园孵化平台", "大学科技园建成专业孵化平台，累计孵化企业三百余家。",
     "A university science park incubator", "The university science park runs a specialised incubator that has hatched more than 300 firms."),
    ("platform", "共享中试平台", "面向中小企业开放的共享中试平台，缩短新产品上市周期一半。",
     "A shared pilot plant", "A pilot plant open to small firms halves the time new products take to reach the market."),
    ("platform", "双创服务云平台", "汇聚政策、资金和技术服务的线上平台，注册企业超过两万家。",
     "An online service platform for entrepreneurs", "An online platform for policies, funding and technical services has over 20,000 registered firms."),
    ("platform", "大企业开放创新平台", "龙头企业向创业团队开放供应链和应用场景。",
     "An open innovation platform of a large firm", "A leading firm opens its supply chain and application scenarios to start-up teams."),
    ("practice", "创业导师结对辅导", "为每家入孵企业配备产业导师和投资导师，一对一跟踪辅导。",
     "Paired mentoring of start-ups", "Every incubated firm gets an industry mentor and an investment mentor who follow it one to one."),
    ("practice", "揭榜挂帅攻关机制", "企业发布技术难题，科研团队揭榜攻关，按成果付酬。",
     "Open calls for technical challenges", "Firms post technical problems, research teams take them on and are paid by results."),
    ("practice", "东西部双创协作", "东部基地与西部基地结对，共享孵化经验并互派挂职干部。",
     "East-West cooperation of bases", "An eastern and a western base are paired, share incubation know-how and exchange staff."),
    ("practice", "创新创业教育学分制", "高校将创新创业实践纳入学分，学生可休学创业。",
     "Credits for entrepreneurship education", "The university counts entrepreneurship practice as credits and lets students pause studies to start firms."),
    ("enterprise", "新能源汽车零部件企业", "民营企业联合高校研发电驱系统，进入主流整车供应链。",
     "An electric vehicle parts maker", "A private firm developed electric drives with a university and now supplies major carmakers."),
    ("enterprise", "跨境电商服务企业", "为中小外贸企业提供一站式跨境电商服务。",
     "A cross-border e-commerce service firm", "It offers small exporters one-stop services for cross-border online sales."),
    ("enterprise", "数字文创企业", "以数字技术活化非遗资源，产品远销海外。",
     "A digital cultural firm", "It brings intangible heritage to life with digital technology and sells abroad."),
    ("platform", "科技金融服务平台", "整合银行、担保和投资机构，为科技企业匹配融资。",
     "A technology finance platform", "Banks, guarantors and investors on one platform match finance to technology firms."),
    ("platform", "检验检测共享平台", "开放大型科研仪器，向中小企业提供检测服务。",
     "A shared testing platform", "Large research instruments are opened to small firms for testing services."),
    ("practice", "孵化器绩效评价", "按毕业企业数量和质量对孵化器给予奖励。",
     "Performance-based incubator funding", "Incubators are rewarded by the number and quality of their graduating firms."),
    ("practice", "创新创业大赛机制", "以赛促创，获奖项目直接对接投资机构。",
     "Start-up competitions", "Competitions drive start-ups, and winning projects meet investors directly."),
    ("practice", "政务服务帮办代办", "为初创企业配备专属帮办员，全程代办审批事项。",
     "Assisted administrative services", "Each start-up gets an assistant who handles its approvals from start to finish."),
)  # fmt: skip

_PEOPLE = (
    ("founder", "张晓明", "博士毕业后创办新材料企业，攻克高性能隔膜技术，带动就业五百余人。",
     "Zhang Xiaoming", "After his doctorate he founded a new-materials firm, mastered high-performance separators and created over 500 jobs."),
    ("founder", "李娜", "返乡创办电商企业，带动周边村民销售特色农产品。",
     "Li Na", "She returned home to found an e-commerce firm that sells the villages' special farm products."),
    ("founder", "王磊", "从大型企业辞职创办工业机器人公司，产品出口二十多个国家。",
     "Wang Lei", "He left a large firm to found an industrial robot company that exports to over twenty countries."),
    ("mentor", "陈芳", "资深投资人，担任创业导师十年，辅导企业六十余家。",
     "Chen Fang", "A seasoned investor who has mentored more than sixty start-ups over ten years."),
    ("mentor", "刘强", "退休工程师，义务为创业团队提供技术辅导。",
     "Liu Qiang", "A retired engineer who coaches start-up teams on technology without pay."),
    ("researcher", "赵敏", "研究员，将十余项专利成果转化落地，成立三家企业。",
     "Zhao Min", "A research fellow who turned more than ten patents into products and three companies."),
    ("researcher", "孙伟", "教授，带领团队开发农业物联网系统，在西部多省推广。",
     "Sun Wei", "A professor whose team developed an agricultural IoT system now used in several western provinces."),
    ("researcher", "周婷", "青年科学家，牵头概念验证项目，推动成果走出实验室。",
     "Zhou Ting", "A young scientist who leads proof-of-concept projects that take results out of the laboratory."),
    ("other", "吴刚", "孵化器运营经理，建立企业全生命周期服务体系。",
     "Wu Gang", "An incubator manager who built services for firms through their whole life cycle."),
    ("founder", "郑洁", "创办医疗器械企业，产品获得国家创新医疗器械审批。",
     "Zheng Jie", "She founded a medical device firm whose product won national innovative device approval."),
    ("founder", "黄涛", "大学生创业者，开发校园共享服务平台。",
     "Huang Tao", "A student founder who built a campus sharing-services platform."),
    ("mentor", "林静", "资深企业家，义务担任孵化器创业导师。",
     "Lin Jing", "A veteran entrepreneur who volunteers as a start-up mentor in an incubator."),
    ("mentor", "何军", "知识产权律师，为创业企业提供专利布局辅导。",
     "He Jun", "An IP lawyer who coaches start-ups on patent strategy."),
    ("researcher", "马超", "工程师，带领团队攻克工业机器人减速器技术。",
     "Ma Chao", "An engineer whose team mastered reducers for industrial robots."),
    ("other", "徐丽", "社区创业服务站站长，帮助下岗职工再就业创业。",
     "Xu Li", "Head of a community start-up station who helps laid-off workers find work or start firms."),
)  # fmt: skip

# Which bases make a measure of an area (a category's bases): registration, finance and land are
# the local governments' (region bases); transfer the universities', institutes' and firms'.
_REGION, _UNIVERSITY, _ENTERPRISE = "region", "university_institute", "enterprise"
_AREA_CATEGORIES = {
    "business_registration": (_REGION,),
    "talent": (_REGION, _UNIVERSITY, _ENTERPRISE),
    "finance_tax": (_REGION,),
    "intellectual_property": (_REGION, _UNIVERSITY),
    "technology_transfer": (_UNIVERSITY, _ENTERPRISE),
    "land_space": (_REGION,),
}
# Measures made by other bases than their area's.
_MEASURE_CATEGORIES = {
    "科研人员离岗创业": (_UNIVERSITY,),
    "人才职称自主评审": (_UNIVERSITY, _ENTERPRISE),
    "高层次人才安居工程": (_REGION,),
    "技能人才积分落户": (_REGION,),
    "外籍人才工作许可便利化": (_REGION,),
    "科技型中小企业研发费用加计扣除": (_REGION, _ENTERPRISE),
    "投贷联动试点": (_REGION, _ENTERPRISE),
    "高价值专利培育": (_UNIVERSITY, _ENTERPRISE),
    "技术调查官制度": (_REGION,),
    "技术交易市场": (_REGION,),
    "中试熟化基金": (_REGION, _ENTERPRISE),
    "校企联合实验室": (_UNIVERSITY, _ENTERPRISE),
    "孵化器用房租金减免": (_REGION, _UNIVERSITY),
}
# The earliest a measure was introduced where such measures existed (default: 2016): the
# nationwide start or the first pilots.
_SINCE = {
    "简易注销改革": date(2017, 3, 1),
    "电子营业执照全程网办": date(2017, 10, 1),
    "多证合一改革": date(2017, 10, 1),
    "企业名称自主申报": date(2017, 6, 1),
    "外籍人才工作许可便利化": date(2017, 4, 1),
    "人才职称自主评审": date(2017, 1, 1),
    "科技型中小企业研发费用加计扣除": date(2017, 5, 1),
    "投贷联动试点": date(2016, 4, 21),
    "专利快速预审": date(2016, 12, 1),
    "海外知识产权维权援助": date(2017, 1, 1),
    "知识产权证券化": date(2018, 12, 1),
    "概念验证中心": date(2018, 6, 1),
    "标准地出让": date(2018, 1, 1),
    "飞地园区共建": date(2017, 6, 1),
}
# The demo campaign's last day: no measure is dated after it.
_LAST_DAY = date(2018, 12, 31)


def _fitting(bases: pd.DataFrame, categories: tuple[str, ...]) -> list[str]:
    if "category" not in bases.columns:
        return bases["code"].astype(str).tolist()
    found = bases.loc[bases["category"].isin(categories), "code"].astype(str).tolist()
    return found or bases["code"].astype(str).tolist()


def _dated(day: date, title: str, batch: int | None) -> date:
    """``day``, but not before the measure existed nor before the base's batch year, and not
    after the campaign's last day."""
    earliest = max(_SINCE.get(title, date(2016, 1, 1)), date(batch or 2016, 1, 1))
    if day >= earliest:
        return min(day, _LAST_DAY)
    return min(earliest + timedelta(days=(day.toordinal() * 37) % 120), _LAST_DAY)


def sample_practices(bases: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demo reforms and nominations for ``bases`` (column ``code``; with ``category``, each
    measure comes from a base of a category that makes such measures, each researcher from a
    university or institute; with ``batch``, nothing is dated before the base's batch year).
    A measure is dated when such measures existed, within 2016-2018.

    Returns
    -------
    reforms : DataFrame with :data:`REFORM_COLUMNS`, 60 rows
    nominations : DataFrame with :data:`NOMINATION_COLUMNS`, 35 rows
    """
    rng = np.random.default_rng(seed)
    codes = bases["code"].astype(str).to_numpy()
    batch = (
        dict(zip(codes, bases["batch"].astype(int), strict=True))
        if "batch" in bases.columns
        else {}
    )
    rows = []
    used: set[str] = set()
    first_base = {}
    i = 0
    for area, measures in _MEASURES.items():
        for k, (tzh, dzh, ten, den) in enumerate(measures):
            # A base of a category that makes such a measure, each measure another base.
            fitting = _fitting(bases, _MEASURE_CATEGORIES.get(tzh, _AREA_CATEGORIES[area]))
            free = [c for c in fitting if c not in used] or fitting
            base = free[int(rng.integers(len(free)))]
            used.add(base)
            english = i % 4 == 3
            first_base[(area, k)] = base
            day = date(2016 + i % 3, 1 + i % 12, 1 + (i * 7) % 28)
            rows.append(
                {
                    "base_code": base,
                    "area": area,
                    "scope": ("base", "city", "province", "base")[i % 4],
                    "language": "en" if english else "zh",
                    "title": ten if english else tzh,
                    "description": den if english else dzh,
                    "title_other": tzh if english else ten,
                    "description_other": dzh if english else den,
                    "introduced_on": _dated(day, tzh, batch.get(base)),
                    # A few remain for the office to classify; one was reported in the wrong area.
                    "classified": i % 9 != 8,
                    "classified_area": _RECLASSIFIED.get(tzh, area),
                }
            )
            i += 1
    for j, (area, k, tzh, dzh) in enumerate(_NEAR_DUPLICATES):
        original = _MEASURES[area][k][0]
        fitting = _fitting(bases, _MEASURE_CATEGORIES.get(original, _AREA_CATEGORIES[area]))
        others = [c for c in fitting if c != first_base[(area, k)]]
        base = others[int(rng.integers(len(others)))]
        rows.append(
            {
                "base_code": base,
                "area": area,
                "scope": "city",
                "language": "zh",
                "title": tzh,
                "description": dzh,
                "title_other": "",
                "description_other": "",
                "introduced_on": _dated(date(2017 + j % 2, 3 + j, 15), original, batch.get(base)),
                "classified": True,
                "classified_area": area,
            }
        )
    reforms = pd.DataFrame(rows, columns=list(REFORM_COLUMNS))

    # Researchers come from universities and institutes, the others from any base.
    kinds = [subkind for subkind, *_ in _CASES] + [subkind for subkind, *_ in _PEOPLE]
    people_bases = []
    for subkind in kinds:
        fitting = _fitting(bases, (_UNIVERSITY,)) if subkind == "researcher" else list(codes)
        free = [c for c in fitting if c not in people_bases] or fitting
        people_bases.append(free[int(rng.integers(len(free)))])
    rows = []
    for n, (subkind, zh, szh, en, sen) in enumerate(_CASES):
        rows.append(
            _nomination(people_bases[n], "case", subkind, zh, szh, en, sen, n, english=n % 5 == 4)
        )
    for m, (subkind, zh, szh, en, sen) in enumerate(_PEOPLE):
        n = len(_CASES) + m
        row = _nomination(people_bases[n], "person", subkind, zh, szh, en, sen, n, english=False)
        row.update(
            organisation_title=f"示范基地企业 负责人 {m + 1}",
            contact_phone=f"010-5555{m:04d}",
            contact_email=f"person{m + 1}@example.org",
        )
        rows.append(row)
    for row in rows:
        # Nominated in a year the base was a base.
        row["year"] = max(row["year"], batch.get(row["base_code"], row["year"]))
    nominations = pd.DataFrame(rows, columns=list(NOMINATION_COLUMNS))
    return reforms, nominations


def _nomination(base, kind, subkind, zh, szh, en, sen, n, english) -> dict:
    # Of every seven: five selected (four with consent), one shortlisted, one not selected.
    status = ("selected", "selected", "selected", "shortlisted", "selected", "not_selected", "selected")[n % 7]  # fmt: skip
    reason = {
        "selected": "成效显著，具有示范推广价值。",
        "shortlisted": "进入候选名单，待补充材料。",
        "not_selected": "材料不足以体现示范作用。",
    }[status]
    return {
        "base_code": base,
        "kind": kind,
        "subkind": subkind,
        "language": "en" if english else "zh",
        "name": en if english else zh,
        "story": sen if english else szh,
        "name_other": zh if english else en,
        "story_other": szh if english else sen,
        "year": 2016 + n % 3,
        "status": status,
        "reason": reason,
        "consent": n % 7 != 4,
        "organisation_title": "",
        "contact_phone": "",
        "contact_email": "",
    }
