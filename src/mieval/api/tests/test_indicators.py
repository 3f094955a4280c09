"""``/frameworks``: framework versions and their indicators."""


def test_frameworks_list_every_version_with_its_size(api_as, erin):
    response = api_as(erin, via="token").get("/frameworks")

    assert response.json() == {
        "items": [
            {
                "code": "mie-core",
                "version": 1,
                "name_zh": "双创示范基地评估核心指标",
                "name_en": "MIE demonstration base core indicators",
                "description": "The twelve indicators of the evaluation poster's "
                "development-trend table.",
                "indicator_count": 12,
            }
        ],
        "count": 1,
    }


def test_indicators_come_in_reading_order_with_their_definitions(api_as, oscar):
    response = api_as(oscar, via="session").get("/frameworks/mie-core/1/indicators")

    body = response.json()
    assert body["count"] == 12
    assert [i["code"] for i in body["items"]][:3] == [
        "new_market_entities",
        "national_talent",
        "incubation_area",
    ]
    investment = next(i for i in body["items"] if i["code"] == "univ_ie_education_investment")
    assert investment == {
        "code": "univ_ie_education_investment",
        "name_zh": "高校双创教育与活动投入",
        "name_en": "Investment in I&E education and activities per university",
        "unit": "10,000 yuan",
        "unit_zh": "万元",
        "direction": 1,
        "stat": "mean",
        "categories": ["university_institute"],
        "non_negative": True,
        "decimals": 0,
    }


def test_an_unknown_framework_version_is_not_found(api_as, erin):
    response = api_as(erin, via="token").get("/frameworks/mie-core/9/indicators")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "There is no framework 'mie-core' version 9."},
    )
