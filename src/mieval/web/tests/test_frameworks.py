"""Indicator frameworks: list, detail, and a new version from an edited indicator list."""

from django.urls import reverse
from django.utils import translation

from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_builtin, framework_indicators_frame


def formset_data(framework, change=None, drop=()):
    frame = framework_indicators_frame(framework)
    rows = [r for r in frame.to_dict("records") if r["code"] not in drop]
    data = {
        "name_zh": framework.name_zh,
        "name_en": framework.name_en,
        "ind-TOTAL_FORMS": str(len(rows) + 1),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        row = {**row, **((change or {}).get(row["code"], {}))}
        for key in ("code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"):
            data[f"ind-{i}-{key}"] = str(row[key])
        data[f"ind-{i}-decimals"] = str(row["decimals"])
        if row["non_negative"]:
            data[f"ind-{i}-non_negative"] = "on"
        data[f"ind-{i}-categories"] = list(row["categories"])
    # The empty row at the end, as a browser sends it: the fields' initial values.
    extra = len(rows)
    data |= {f"ind-{extra}-direction": "1", f"ind-{extra}-stat": "mean"}
    data |= {f"ind-{extra}-decimals": "0", f"ind-{extra}-non_negative": "on"}
    return data


def test_list_and_detail(client, alice, login):
    login(alice)
    framework = framework_builtin()

    listed = client.get(reverse("frameworks"))
    detail = client.get(reverse("framework_detail", args=[framework.pk]))

    row = listed.context["rows"][0]
    assert (row["framework"].code, row["framework"].n_indicators) == ("mie-core", 12)
    assert [r["indicator"]["code"] for r in detail.context["rows"]][:2] == [
        "new_market_entities",
        "national_talent",
    ]


def test_unchanged_list_makes_no_new_version(client, alice, login):
    framework = framework_builtin()

    response = login(alice).post(
        reverse("framework_version_create", args=[framework.pk]), formset_data(framework)
    )

    assert response.status_code == 302
    assert Framework.objects.filter(code="mie-core").count() == 1


def test_edited_list_makes_version_2(client, alice, login):
    framework = framework_builtin()
    data = formset_data(
        framework,
        change={"patents_granted": {"stat": "median", "decimals": 1}},
        drop=("training_reach",),
    )

    response = login(alice).post(reverse("framework_version_create", args=[framework.pk]), data)

    new = Framework.objects.get(code="mie-core", version=2)
    assert response["Location"] == reverse("framework_detail", args=[new.pk])
    patents = Indicator.objects.get(framework=new, code="patents_granted")
    assert (patents.stat, patents.decimals) == ("median", 1)
    assert new.indicators.count() == 11
    assert list(
        Indicator.objects.get(framework=new, code="new_market_entities").categories.values_list(
            "code", flat=True
        )
    ) == ["region"]
    # The old version is unchanged.
    assert framework.indicators.count() == 12


def test_duplicate_code_refused(client, alice, login):
    framework = framework_builtin()
    data = formset_data(framework, change={"national_talent": {"code": "patents_granted"}})

    url = reverse("framework_version_create", args=[framework.pk])
    response = login(alice).post(url, data)
    english = login(alice).post(url, data, headers={"accept-language": "en"})

    assert response.status_code == 200
    # Form errors are lazy: they are read in the language the assertion activates.
    with translation.override("zh-hans"):
        assert response.context["formset"].non_form_errors() == [
            "代码“patents_granted”出现了不止一次；每个指标须有自己的代码。"
        ]
    with translation.override("en"):
        assert english.context["formset"].non_form_errors() == [
            "The code 'patents_granted' is listed more than once; each indicator needs its own "
            "code."
        ]
