"""Reading the roster files and settings: every problem located by file, line and column."""

import pytest

from mieval.core.panels.roster import (
    panels_config_read,
    read_conflicts,
    read_experts,
    read_organisations,
)
from mieval.core.problems import InputError, ProblemCode

ORGANISATIONS = """code,name_zh,name_en,kind,province
O1,科协,Association,local_association,42
O2,学会,Society,national_society,11
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(call):
    with pytest.raises(InputError) as caught:
        call()
    return [(p.line, p.column, p.code) for p in caught.value.problems], caught.value


def test_good_files_are_read(tmp_path):
    organisations = read_organisations(write(tmp_path, "o.csv", ORGANISATIONS))
    experts = read_experts(
        write(
            tmp_path,
            "e.csv",
            "code,name,organisation,province,fields,roles,max_panels\n"
            "E1,甲,O1,42,ai; incubation,professional;operational,2\n"
            "E2,乙,O2,11,,operational,1\n",
        ),
        organisations=organisations,
    )
    assert list(experts["fields"]) == [("ai", "incubation"), ()]
    assert list(experts["roles"]) == [("professional", "operational"), ("operational",)]
    assert list(experts["max_panels"]) == [2, 1]
    assert list(experts["line"]) == [2, 3]


def test_bad_organisations_name_every_problem(tmp_path):
    path = write(
        tmp_path,
        "o.csv",
        ORGANISATIONS + "O1,重复,Again,society,99\n",
    )
    found, error = problems(lambda: read_organisations(path))
    assert found == [
        (4, "code", ProblemCode.DUPLICATE),
        (4, "kind", ProblemCode.UNKNOWN_CODE),
        (4, "province", ProblemCode.UNKNOWN_CODE),
    ]
    assert "unknown kind 'society' (allowed: local_association, national_society, third_party)" in (
        str(error)
    )


def test_bad_experts_name_every_problem(tmp_path):
    organisations = read_organisations(write(tmp_path, "o.csv", ORGANISATIONS))
    path = write(
        tmp_path,
        "e.csv",
        "code,name,organisation,province,fields,roles,max_panels\n"
        "E1,甲,O9,42,ai,professional,1\n"
        "E2,乙,O1,42,ai,manager,1\n"
        "E3,丙,O1,42,ai,operational,0\n"
        "E4,丁,O1,42,ai,,x\n",
    )
    found, error = problems(lambda: read_experts(path, organisations=organisations))
    assert found == [
        (2, "organisation", ProblemCode.UNKNOWN_CODE),
        (3, "roles", ProblemCode.NOT_ALLOWED),
        (4, "max_panels", ProblemCode.OUT_OF_RANGE),
        (5, "roles", ProblemCode.REQUIRED),
        (5, "max_panels", ProblemCode.NOT_AN_INTEGER),
    ]
    assert "e.csv, line 3, column 'roles': role 'manager' is not allowed" in str(error)


# issue 13: 10**20 overflowed the int64 column (a traceback), and the roster's small integer.
def test_max_panels_is_bounded_above(tmp_path):
    organisations = read_organisations(write(tmp_path, "o.csv", ORGANISATIONS))
    path = write(
        tmp_path,
        "e.csv",
        "code,name,organisation,province,fields,roles,max_panels\n"
        "E1,甲,O1,42,ai,professional,1000\n"
        "E2,乙,O1,42,ai,professional,1001\n"
        "E3,丙,O1,42,ai,professional,100000000000000000000000000000\n",
    )
    found, error = problems(lambda: read_experts(path, organisations=organisations))
    assert found == [
        (3, "max_panels", ProblemCode.OUT_OF_RANGE),
        (4, "max_panels", ProblemCode.OUT_OF_RANGE),
    ]
    assert (
        "e.csv, line 4, column 'max_panels': max_panels 10000000000000000000... is out of range;"
        " use 1 to 1000"
    ) in str(error)


def test_conflicts_naming_unknown_codes_are_located(tmp_path):
    organisations = read_organisations(write(tmp_path, "o.csv", ORGANISATIONS))
    experts = read_experts(
        write(
            tmp_path,
            "e.csv",
            "code,name,organisation,province,fields,roles,max_panels\nE1,甲,O1,42,ai,professional,1\n",
        ),
        organisations=organisations,
    )
    import pandas as pd

    bases = pd.DataFrame({"code": ["B1"]})
    path = write(
        tmp_path,
        "c.csv",
        "expert_code,base_code,reason\nE1,B1,former employee\nE9,B1,x\nE1,B7,y\nE1,B1,again\n",
    )
    found, _ = problems(lambda: read_conflicts(path, experts=experts, bases=bases))
    assert found == [
        (3, "expert_code", ProblemCode.UNKNOWN_CODE),
        (4, "base_code", ProblemCode.UNKNOWN_CODE),
        (5, None, ProblemCode.DUPLICATE),
    ]


def test_settings_are_read_and_checked(tmp_path):
    good = write(tmp_path, "good.toml", "groups = 4\nmin_size = 3\ntime_limit = 5\n")
    config = panels_config_read(good)
    assert (config.groups, config.min_size, config.time_limit, config.max_size) == (4, 3, 5, 7)

    bad = write(tmp_path, "bad.toml", 'min_sise = 3\nmax_size = "7"\nmin_professional = 9\n')
    with pytest.raises(InputError) as caught:
        panels_config_read(bad)
    assert [(p.key, p.code) for p in caught.value.problems] == [
        ("min_sise", ProblemCode.UNKNOWN_KEY),
        ("max_size", ProblemCode.WRONG_TYPE),
    ]
    assert "did you mean 'min_size' or 'max_size'?" in caught.value.problems[0].message

    contradictory = write(tmp_path, "c.toml", "min_size = 8\n")
    with pytest.raises(InputError, match="min_size: 8 is above max_size = 7"):
        panels_config_read(contradictory)


def test_settings_problems_have_the_lines_of_their_keys(tmp_path):
    bad = write(tmp_path, "bad.toml", 'groups = 4\n\nmin_sise = 3\nmax_size = "7"\n')
    with pytest.raises(InputError) as caught:
        panels_config_read(bad)
    assert [(p.line, p.key) for p in caught.value.problems] == [(3, "min_sise"), (4, "max_size")]

    broken = write(tmp_path, "broken.toml", "groups = 4\nmin_size = = 3\n")
    with pytest.raises(InputError) as caught:
        panels_config_read(broken)
    assert [str(p) for p in caught.value.problems] == [
        f"{broken}, line 2: not valid TOML: Invalid value (column 12)"
    ]
