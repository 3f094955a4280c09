"""Names of the demo bases that look like real ones, by subcategory, each with its province.

Plain data, no Django. A region base is named after a real district, county, new area or
development zone ("湖北省黄冈市罗田县"), a university or institute after a real one
("中国科学院西安光学精密机械研究所"), a state-owned enterprise after a real group (the central
ones in Beijing, as they are), a private enterprise gets a made-up company name in a city where
such companies are. Every name is still marked as demo data: :data:`DEMO_SUFFIX_ZH` and
:data:`DEMO_SUFFIX_EN` end it (the figures of the demo are random, not the named body's).
"""

from mieval.core.reference import PROVINCE_BY_CODE

DEMO_SUFFIX_ZH = "（演示）"
DEMO_SUFFIX_EN = " (demo)"

# Province code -> cities: (Chinese, English, districts, counties), each district or county
# (Chinese, English). A municipality's districts are under the municipality itself (city None);
# Hainan's counties are directly under the province (city None).
_D = tuple[tuple[str, str], ...]
REGION_PLACES: dict[str, tuple[tuple[str | None, str | None, _D, _D], ...]] = {
    "11": (
        (
            None,
            None,
            (
                ("海淀区", "Haidian"),
                ("朝阳区", "Chaoyang"),
                ("丰台区", "Fengtai"),
                ("昌平区", "Changping"),
                ("顺义区", "Shunyi"),
                ("大兴区", "Daxing"),
            ),
            (),
        ),
    ),
    "12": (
        (
            None,
            None,
            (
                ("南开区", "Nankai"),
                ("河西区", "Hexi"),
                ("西青区", "Xiqing"),
                ("东丽区", "Dongli"),
                ("武清区", "Wuqing"),
            ),
            (),
        ),
    ),
    "13": (
        (
            "石家庄市",
            "Shijiazhuang",
            (("裕华区", "Yuhua"), ("长安区", "Chang'an")),
            (("正定县", "Zhengding"),),
        ),
        ("保定市", "Baoding", (("竞秀区", "Jingxiu"),), (("涞水县", "Laishui"),)),
        ("唐山市", "Tangshan", (("路南区", "Lunan"),), (("迁西县", "Qianxi"),)),
    ),
    "14": (
        (
            "太原市",
            "Taiyuan",
            (("小店区", "Xiaodian"), ("万柏林区", "Wanbailin")),
            (("清徐县", "Qingxu"),),
        ),
        ("长治市", "Changzhi", (("潞州区", "Luzhou"),), (("襄垣县", "Xiangyuan"),)),
    ),
    "15": (
        ("呼和浩特市", "Hohhot", (("赛罕区", "Saihan"),), (("托克托县", "Togtoh"),)),
        ("包头市", "Baotou", (("昆都仑区", "Kundulun"),), (("固阳县", "Guyang"),)),
    ),
    "21": (
        (
            "沈阳市",
            "Shenyang",
            (("浑南区", "Hunnan"), ("和平区", "Heping")),
            (("康平县", "Kangping"),),
        ),
        ("大连市", "Dalian", (("甘井子区", "Ganjingzi"),), (("长海县", "Changhai"),)),
    ),
    "22": (
        (
            "长春市",
            "Changchun",
            (("朝阳区", "Chaoyang"), ("南关区", "Nanguan")),
            (("农安县", "Nong'an"),),
        ),
        ("吉林市", "Jilin", (("船营区", "Chuanying"),), (("永吉县", "Yongji"),)),
    ),
    "23": (
        ("哈尔滨市", "Harbin", (("南岗区", "Nangang"), ("松北区", "Songbei")), (("宾县", "Bin"),)),
        ("大庆市", "Daqing", (("萨尔图区", "Sartu"),), (("肇州县", "Zhaozhou"),)),
    ),
    "31": (
        (
            None,
            None,
            (
                ("杨浦区", "Yangpu"),
                ("徐汇区", "Xuhui"),
                ("闵行区", "Minhang"),
                ("嘉定区", "Jiading"),
                ("松江区", "Songjiang"),
            ),
            (),
        ),
    ),
    "32": (
        ("南京市", "Nanjing", (("鼓楼区", "Gulou"), ("江宁区", "Jiangning")), ()),
        ("苏州市", "Suzhou", (("姑苏区", "Gusu"),), ()),
        ("无锡市", "Wuxi", (("滨湖区", "Binhu"),), ()),
        ("徐州市", "Xuzhou", (), (("沛县", "Pei"), ("睢宁县", "Suining"))),
    ),
    "33": (
        (
            "杭州市",
            "Hangzhou",
            (("余杭区", "Yuhang"), ("滨江区", "Binjiang"), ("西湖区", "Xihu")),
            (("桐庐县", "Tonglu"),),
        ),
        ("宁波市", "Ningbo", (("鄞州区", "Yinzhou"),), (("象山县", "Xiangshan"),)),
        ("湖州市", "Huzhou", (), (("德清县", "Deqing"),)),
    ),
    "34": (
        ("合肥市", "Hefei", (("蜀山区", "Shushan"), ("包河区", "Baohe")), (("肥西县", "Feixi"),)),
        ("芜湖市", "Wuhu", (("鸠江区", "Jiujiang"),), (("南陵县", "Nanling"),)),
    ),
    "35": (
        ("福州市", "Fuzhou", (("鼓楼区", "Gulou"),), (("闽侯县", "Minhou"),)),
        ("厦门市", "Xiamen", (("思明区", "Siming"), ("集美区", "Jimei")), ()),
        ("泉州市", "Quanzhou", (), (("安溪县", "Anxi"),)),
    ),
    "36": (
        ("南昌市", "Nanchang", (("红谷滩区", "Honggutan"),), (("进贤县", "Jinxian"),)),
        ("赣州市", "Ganzhou", (("章贡区", "Zhanggong"),), (("信丰县", "Xinfeng"),)),
    ),
    "37": (
        ("济南市", "Jinan", (("历下区", "Lixia"), ("槐荫区", "Huaiyin")), (("平阴县", "Pingyin"),)),
        ("青岛市", "Qingdao", (("崂山区", "Laoshan"), ("市南区", "Shinan")), ()),
        ("烟台市", "Yantai", (("莱山区", "Laishan"),), ()),
        ("潍坊市", "Weifang", (), (("临朐县", "Linqu"),)),
    ),
    "41": (
        (
            "郑州市",
            "Zhengzhou",
            (("金水区", "Jinshui"), ("中原区", "Zhongyuan")),
            (("中牟县", "Zhongmou"),),
        ),
        ("洛阳市", "Luoyang", (("涧西区", "Jianxi"),), (("宜阳县", "Yiyang"),)),
    ),
    "42": (
        ("武汉市", "Wuhan", (("洪山区", "Hongshan"), ("江岸区", "Jiang'an")), ()),
        ("襄阳市", "Xiangyang", (("樊城区", "Fancheng"),), (("谷城县", "Gucheng"),)),
        ("黄冈市", "Huanggang", (), (("罗田县", "Luotian"), ("英山县", "Yingshan"))),
    ),
    "43": (
        (
            "长沙市",
            "Changsha",
            (("岳麓区", "Yuelu"), ("天心区", "Tianxin")),
            (("长沙县", "Changsha"),),
        ),
        ("株洲市", "Zhuzhou", (("天元区", "Tianyuan"),), (("攸县", "You"),)),
    ),
    "44": (
        ("深圳市", "Shenzhen", (("南山区", "Nanshan"), ("福田区", "Futian")), ()),
        ("广州市", "Guangzhou", (("天河区", "Tianhe"), ("黄埔区", "Huangpu")), ()),
        ("佛山市", "Foshan", (("顺德区", "Shunde"),), ()),
        ("韶关市", "Shaoguan", (), (("翁源县", "Wengyuan"),)),
        ("清远市", "Qingyuan", (), (("佛冈县", "Fogang"),)),
    ),
    "45": (
        ("南宁市", "Nanning", (("青秀区", "Qingxiu"),), (("宾阳县", "Binyang"),)),
        ("柳州市", "Liuzhou", (("柳南区", "Liunan"),), (("融安县", "Rong'an"),)),
    ),
    "46": (
        ("海口市", "Haikou", (("美兰区", "Meilan"), ("龙华区", "Longhua")), ()),
        (None, None, (), (("澄迈县", "Chengmai"),)),
    ),
    "50": (
        (
            None,
            None,
            (("渝北区", "Yubei"), ("沙坪坝区", "Shapingba"), ("九龙坡区", "Jiulongpo")),
            (("城口县", "Chengkou"), ("巫山县", "Wushan")),
        ),
    ),
    "51": (
        ("成都市", "Chengdu", (("武侯区", "Wuhou"), ("郫都区", "Pidu")), (("金堂县", "Jintang"),)),
        ("绵阳市", "Mianyang", (("涪城区", "Fucheng"),), (("三台县", "Santai"),)),
    ),
    "52": (
        (
            "贵阳市",
            "Guiyang",
            (("观山湖区", "Guanshanhu"), ("南明区", "Nanming")),
            (("修文县", "Xiuwen"),),
        ),
        ("遵义市", "Zunyi", (("汇川区", "Huichuan"),), (("湄潭县", "Meitan"),)),
    ),
    "53": (
        (
            "昆明市",
            "Kunming",
            (("五华区", "Wuhua"), ("呈贡区", "Chenggong")),
            (("宜良县", "Yiliang"),),
        ),
        ("玉溪市", "Yuxi", (("红塔区", "Hongta"),), (("华宁县", "Huaning"),)),
    ),
    "54": (
        ("拉萨市", "Lhasa", (("城关区", "Chengguan"),), (("曲水县", "Qushui"),)),
        ("林芝市", "Nyingchi", (("巴宜区", "Bayi"),), (("米林县", "Mainling"),)),
    ),
    "61": (
        ("西安市", "Xi'an", (("碑林区", "Beilin"), ("雁塔区", "Yanta")), (("蓝田县", "Lantian"),)),
        ("宝鸡市", "Baoji", (("渭滨区", "Weibin"),), (("眉县", "Mei"),)),
    ),
    "62": (
        ("兰州市", "Lanzhou", (("城关区", "Chengguan"),), (("榆中县", "Yuzhong"),)),
        ("天水市", "Tianshui", (("秦州区", "Qinzhou"),), (("甘谷县", "Gangu"),)),
    ),
    "63": (
        ("西宁市", "Xining", (("城西区", "Chengxi"),), (("湟源县", "Huangyuan"),)),
        ("海东市", "Haidong", (("乐都区", "Ledu"),), ()),
    ),
    "64": (
        ("银川市", "Yinchuan", (("金凤区", "Jinfeng"),), (("永宁县", "Yongning"),)),
        ("石嘴山市", "Shizuishan", (("大武口区", "Dawukou"),), (("平罗县", "Pingluo"),)),
    ),
    "65": (
        ("乌鲁木齐市", "Urumqi", (("天山区", "Tianshan"), ("新市区", "Xinshi")), ()),
        ("克拉玛依市", "Karamay", (("克拉玛依区", "Karamay"),), ()),
        ("昌吉回族自治州", "Changji", (), (("呼图壁县", "Hutubi"),)),
    ),
}

#: The national new areas (国家级新区): (Chinese, English, province).
NEW_AREAS = (
    ("上海浦东新区", "Shanghai Pudong New Area", "31"),
    ("天津滨海新区", "Tianjin Binhai New Area", "12"),
    ("重庆两江新区", "Chongqing Liangjiang New Area", "50"),
    ("浙江舟山群岛新区", "Zhejiang Zhoushan Archipelago New Area", "33"),
    ("甘肃兰州新区", "Gansu Lanzhou New Area", "62"),
    ("广州南沙新区", "Guangzhou Nansha New Area", "44"),
    ("陕西西咸新区", "Shaanxi Xixian New Area", "61"),
    ("贵州贵安新区", "Guizhou Gui'an New Area", "52"),
    ("青岛西海岸新区", "Qingdao West Coast New Area", "37"),
    ("大连金普新区", "Dalian Jinpu New Area", "21"),
    ("四川天府新区", "Sichuan Tianfu New Area", "51"),
    ("湖南湘江新区", "Hunan Xiangjiang New Area", "43"),
    ("南京江北新区", "Nanjing Jiangbei New Area", "32"),
    ("福州新区", "Fuzhou New Area", "35"),
    ("云南滇中新区", "Yunnan Dianzhong New Area", "53"),
    ("哈尔滨新区", "Harbin New Area", "23"),
    ("长春新区", "Changchun New Area", "22"),
    ("江西赣江新区", "Jiangxi Ganjiang New Area", "36"),
    ("河北雄安新区", "Hebei Xiong'an New Area", "13"),
)

#: Universities and institutes by subcategory: (Chinese, English, province).
INSTITUTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "st_university": (
        ("北京理工大学", "Beijing Institute of Technology", "11"),
        ("北京航空航天大学", "Beihang University", "11"),
        ("北京科技大学", "University of Science and Technology Beijing", "11"),
        ("天津大学", "Tianjin University", "12"),
        ("大连理工大学", "Dalian University of Technology", "21"),
        ("哈尔滨工业大学", "Harbin Institute of Technology", "23"),
        ("同济大学", "Tongji University", "31"),
        ("南京理工大学", "Nanjing University of Science and Technology", "32"),
        ("东南大学", "Southeast University", "32"),
        ("浙江工业大学", "Zhejiang University of Technology", "33"),
        ("合肥工业大学", "Hefei University of Technology", "34"),
        ("中国科学技术大学", "University of Science and Technology of China", "34"),
        ("华中科技大学", "Huazhong University of Science and Technology", "42"),
        ("武汉理工大学", "Wuhan University of Technology", "42"),
        ("华南理工大学", "South China University of Technology", "44"),
        ("电子科技大学", "University of Electronic Science and Technology of China", "51"),
        ("西安电子科技大学", "Xidian University", "61"),
        ("西北工业大学", "Northwestern Polytechnical University", "61"),
        ("太原理工大学", "Taiyuan University of Technology", "14"),
        ("昆明理工大学", "Kunming University of Science and Technology", "53"),
        ("兰州理工大学", "Lanzhou University of Technology", "62"),
    ),
    "comprehensive_university": (
        ("清华大学", "Tsinghua University", "11"),
        ("北京大学", "Peking University", "11"),
        ("南开大学", "Nankai University", "12"),
        ("吉林大学", "Jilin University", "22"),
        ("复旦大学", "Fudan University", "31"),
        ("上海交通大学", "Shanghai Jiao Tong University", "31"),
        ("南京大学", "Nanjing University", "32"),
        ("浙江大学", "Zhejiang University", "33"),
        ("厦门大学", "Xiamen University", "35"),
        ("山东大学", "Shandong University", "37"),
        ("郑州大学", "Zhengzhou University", "41"),
        ("武汉大学", "Wuhan University", "42"),
        ("中南大学", "Central South University", "43"),
        ("中山大学", "Sun Yat-sen University", "44"),
        ("四川大学", "Sichuan University", "51"),
        ("重庆大学", "Chongqing University", "50"),
        ("西安交通大学", "Xi'an Jiaotong University", "61"),
        ("兰州大学", "Lanzhou University", "62"),
        ("新疆大学", "Xinjiang University", "65"),
        ("云南大学", "Yunnan University", "53"),
        ("内蒙古大学", "Inner Mongolia University", "15"),
    ),
    "specialized_college": (
        ("中国农业大学", "China Agricultural University", "11"),
        ("北京中医药大学", "Beijing University of Chinese Medicine", "11"),
        ("中国传媒大学", "Communication University of China", "11"),
        ("华中农业大学", "Huazhong Agricultural University", "42"),
        ("西北农林科技大学", "Northwest A&F University", "61"),
        ("中国海洋大学", "Ocean University of China", "37"),
        ("上海财经大学", "Shanghai University of Finance and Economics", "31"),
        ("西南财经大学", "Southwestern University of Finance and Economics", "51"),
        ("南京邮电大学", "Nanjing University of Posts and Telecommunications", "32"),
        ("中国美术学院", "China Academy of Art", "33"),
        ("东北林业大学", "Northeast Forestry University", "23"),
    ),
    "cas_institute": (
        (
            "中国科学院西安光学精密机械研究所",
            "CAS Xi'an Institute of Optics and Precision Mechanics",
            "61",
        ),
        ("中国科学院计算技术研究所", "CAS Institute of Computing Technology", "11"),
        ("中国科学院自动化研究所", "CAS Institute of Automation", "11"),
        (
            "中国科学院长春光学精密机械与物理研究所",
            "CAS Changchun Institute of Optics, Fine Mechanics and Physics",
            "22",
        ),
        ("中国科学院大连化学物理研究所", "CAS Dalian Institute of Chemical Physics", "21"),
        ("中国科学院沈阳自动化研究所", "CAS Shenyang Institute of Automation", "21"),
        (
            "中国科学院上海微系统与信息技术研究所",
            "CAS Shanghai Institute of Microsystem and Information Technology",
            "31",
        ),
        ("中国科学院深圳先进技术研究院", "CAS Shenzhen Institute of Advanced Technology", "44"),
        ("中国科学院合肥物质科学研究院", "CAS Hefei Institutes of Physical Science", "34"),
        (
            "中国科学院宁波材料技术与工程研究所",
            "CAS Ningbo Institute of Materials Technology and Engineering",
            "33",
        ),
        ("中国科学院成都生物研究所", "CAS Chengdu Institute of Biology", "51"),
        (
            "中国科学院苏州纳米技术与纳米仿生研究所",
            "CAS Suzhou Institute of Nano-Tech and Nano-Bionics",
            "32",
        ),
    ),
    "miit_institute": (
        ("中国电子信息产业发展研究院", "China Center for Information Industry Development", "11"),
        ("中国信息通信研究院", "China Academy of Information and Communications Technology", "11"),
        ("中国电子技术标准化研究院", "China Electronics Standardization Institute", "11"),
        ("中国软件评测中心", "China Software Testing Center", "11"),
        ("中国工业互联网研究院", "China Academy of Industrial Internet", "11"),
        ("工业和信息化部电子第五研究所", "MIIT Fifth Electronics Research Institute", "44"),
        ("工业和信息化部装备工业发展中心", "MIIT Equipment Industry Development Center", "11"),
        (
            "国家工业信息安全发展研究中心",
            "China Industrial Control Systems Cyber Emergency Response Team",
            "11",
        ),
        (
            "工业和信息化部电子科学技术情报研究所",
            "MIIT Electronic Science and Technology Information Research Institute",
            "11",
        ),
        ("工业和信息化部产业发展促进中心", "MIIT Industry Development Promotion Center", "11"),
        (
            "工业和信息化部国际经济技术合作中心",
            "MIIT International Economic and Technical Cooperation Center",
            "11",
        ),
        ("工业和信息化部人才交流中心", "MIIT Talent Exchange Center", "11"),
    ),
    # Groups of the state: the central ones are seated in Beijing, a few elsewhere, and some
    # provinces' own groups.
    "state_owned": (
        ("中国航天科工集团有限公司", "China Aerospace Science and Industry Corporation", "11"),
        ("中国航天科技集团有限公司", "China Aerospace Science and Technology Corporation", "11"),
        ("中国航空工业集团有限公司", "Aviation Industry Corporation of China", "11"),
        ("中国电子科技集团有限公司", "China Electronics Technology Group Corporation", "11"),
        ("中国电信集团有限公司", "China Telecommunications Corporation", "11"),
        ("中国移动通信集团有限公司", "China Mobile Communications Group", "11"),
        ("中国联合网络通信集团有限公司", "China United Network Communications Group", "11"),
        ("中国建材集团有限公司", "China National Building Material Group", "11"),
        ("中国中车集团有限公司", "CRRC Group", "11"),
        ("国家电网有限公司", "State Grid Corporation of China", "11"),
        ("中国石油化工集团有限公司", "China Petrochemical Corporation", "11"),
        ("中国兵器工业集团有限公司", "China North Industries Group", "11"),
        ("中国华能集团有限公司", "China Huaneng Group", "11"),
        ("中国医药集团有限公司", "China National Pharmaceutical Group", "11"),
        ("中国机械工业集团有限公司", "China National Machinery Industry Corporation", "11"),
        (
            "中国节能环保集团有限公司",
            "China Energy Conservation and Environmental Protection Group",
            "11",
        ),
        ("中国通用技术（集团）控股有限责任公司", "China General Technology (Group) Holding", "11"),
        ("中国普天信息产业集团有限公司", "China Potevio Group", "11"),
        ("中国铁建股份有限公司", "China Railway Construction Corporation", "11"),
        ("中国船舶集团有限公司", "China State Shipbuilding Corporation", "31"),
        ("中国宝武钢铁集团有限公司", "China Baowu Steel Group", "31"),
        ("中国商用飞机有限责任公司", "Commercial Aircraft Corporation of China", "31"),
        ("东风汽车集团有限公司", "Dongfeng Motor Corporation", "42"),
        ("中国第一汽车集团有限公司", "China FAW Group", "22"),
        ("鞍钢集团有限公司", "Ansteel Group", "21"),
        ("上海汽车集团股份有限公司", "SAIC Motor", "31"),
        ("广州汽车工业集团有限公司", "Guangzhou Automobile Industry Group", "44"),
        ("重庆长安汽车股份有限公司", "Chongqing Changan Automobile", "50"),
        ("四川长虹电子控股集团有限公司", "Sichuan Changhong Electronics Holding Group", "51"),
        ("陕西煤业化工集团有限责任公司", "Shaanxi Coal and Chemical Industry Group", "61"),
    ),
}

#: Cities of the demo's private technology companies, (Chinese, English, province, weight):
#: where such companies cluster.
PRIVATE_CITIES = (
    ("深圳", "Shenzhen", "44", 3.0),
    ("杭州", "Hangzhou", "33", 2.5),
    ("北京", "Beijing", "11", 2.5),
    ("上海", "Shanghai", "31", 2.0),
    ("苏州", "Suzhou", "32", 1.5),
    ("广州", "Guangzhou", "44", 1.5),
    ("南京", "Nanjing", "32", 1.0),
    ("武汉", "Wuhan", "42", 1.0),
    ("成都", "Chengdu", "51", 1.0),
    ("西安", "Xi'an", "61", 0.8),
    ("合肥", "Hefei", "34", 0.8),
    ("青岛", "Qingdao", "37", 0.7),
    ("厦门", "Xiamen", "35", 0.6),
    ("长沙", "Changsha", "43", 0.6),
    ("郑州", "Zhengzhou", "41", 0.5),
    ("宁波", "Ningbo", "33", 0.5),
    ("东莞", "Dongguan", "44", 0.5),
    ("天津", "Tianjin", "12", 0.5),
)
#: Made-up stems of company names, (Chinese, English).
PRIVATE_STEMS = (
    ("云智", "Yunzhi"), ("数联", "Shulian"), ("智造", "Zhizao"), ("星河", "Xinghe"),
    ("瀚海", "Hanhai"), ("鼎新", "Dingxin"), ("启明", "Qiming"), ("睿创", "Ruichuang"),
    ("博远", "Boyuan"), ("华芯", "Huaxin"), ("天工", "Tiangong"), ("青禾", "Qinghe"),
    ("易联", "Yilian"), ("极光", "Jiguang"), ("汇智", "Huizhi"), ("创想", "Chuangxiang"),
)  # fmt: skip
PRIVATE_KINDS = (
    ("科技有限公司", "Technology Co., Ltd."),
    ("信息技术股份有限公司", "Information Technology Co., Ltd."),
    ("智能装备有限公司", "Intelligent Equipment Co., Ltd."),
    ("网络科技有限公司", "Network Technology Co., Ltd."),
)


def region_names(province: str, subcategory: str) -> list[tuple[str, str]]:
    """The names a region base of ``subcategory`` in ``province`` may take, (Chinese, English),
    without the demo suffix; empty where the province has none of that kind."""
    names = PROVINCE_BY_CODE[province]
    out = []
    if subcategory == "new_area":
        return [(zh, en) for zh, en, p in NEW_AREAS if p == province]
    for city_zh, city_en, districts, counties in REGION_PLACES[province]:
        if subcategory == "hitech_econ_zone":
            if city_zh is None and not districts:
                continue
            stem_zh = (city_zh or names.name_zh).removesuffix("市")
            stem_en = city_en or names.name_en
            out.append(
                (f"{stem_zh}高新技术产业开发区", f"{stem_en} High-tech Industrial Development Zone")
            )
            out.append(
                (
                    f"{stem_zh}经济技术开发区",
                    f"{stem_en} Economic and Technological Development Zone",
                )
            )
            continue
        places = districts if subcategory == "urban_district" else counties
        kind = "District" if subcategory == "urban_district" else "County"
        for zh, en in places:
            prefix_zh = names.name_zh + (city_zh or "")
            place_en = f"{en} {kind}"
            parts = [place_en, city_en, names.name_en] if city_en else [place_en, names.name_en]
            out.append((prefix_zh + zh, ", ".join(parts)))
    return out
