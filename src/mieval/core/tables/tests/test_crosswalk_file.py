"""Reading a crosswalk file: the frame, and every problem at once with its exact message."""

import pandas as pd
import pytest

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.problems import InputError
from mieval.core.tables.crosswalk import read_crosswalk

HEADER = "from_framework,from_version,from_code,to_framework,to_version,to_code,factor\n"


def write(tmp_path, text: str, name: str = "crosswalk.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(path, **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_crosswalk(path, **kwargs)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def frameworks():
    core = builtin_indicators_frame()
    new = pd.DataFrame(
        {
            "code": ["incubation_area", "patents_granted", "coop_projects", "education_investment"],
            "unit": ["10,000 m²", "count", "count", "10,000 yuan"],
            "stat": ["mean", "mean", "mean", "mean"],
        }
    )
    return {("mie-core", 1): core, ("mie-2020", 1): new}


def test_a_good_file_is_read_with_an_empty_factor_as_1(tmp_path, frameworks):
    path = write(
        tmp_path,
        HEADER
        + "mie-core,1,incubation_area,mie-2020,1,incubation_area,0.0001\n"
        + "mie-core,1,patents_granted,mie-2020,1,patents_granted,\n"
        + "mie-core,1,univ_enterprise_coop,mie-2020,1,coop_projects,1\n"
        + "mie-core,1,inter_enterprise_projects,mie-2020,1,coop_projects,1\n",
    )

    frame = read_crosswalk(path, frameworks=frameworks)

    assert frame.to_dict("records")[:2] == [
        {
            "from_framework": "mie-core",
            "from_version": 1,
            "from_code": "incubation_area",
            "to_framework": "mie-2020",
            "to_version": 1,
            "to_code": "incubation_area",
            "factor": 0.0001,
            "line": 2,
        },
        {
            "from_framework": "mie-core",
            "from_version": 1,
            "from_code": "patents_granted",
            "to_framework": "mie-2020",
            "to_version": 1,
            "to_code": "patents_granted",
            "factor": 1.0,
            "line": 3,
        },
    ]
    assert list(frame["line"]) == [2, 3, 4, 5]


def test_cell_problems_are_all_named_by_line_and_column(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "mie-core,one,a,mie-2020,1,b,2\n"
        + "mie-core,1,,mie-2020,0,b,0\n"
        + "mie core,1,a,mie-2020,2,b,NaN\n"
        + "mie-core,1,a,mie-2020,2,b,-0.5\n",
    )

    assert messages(path) == [
        f"{path}, line 2, column 'from_version': 'one' is not a version number; use a whole"
        " number from 1",
        f"{path}, line 3, column 'from_code': 'from_code' is empty; a value is required",
        f"{path}, line 3, column 'to_version': '0' is not a version number; use a whole number"
        " from 1",
        f"{path}, line 3, column 'factor': 0 is not positive; a factor is a positive number"
        " (empty means 1)",
        f"{path}, line 4, column 'from_framework': code 'mie core' contains a space; remove it",
        f"{path}, line 4, column 'factor': 'NaN' is not a number; a factor is a positive number"
        " (empty means 1)",
        f"{path}, line 5, column 'factor': -0.5 is not positive; a factor is a positive number"
        " (empty means 1)",
    ]


def test_a_missing_column_stops_the_rows(tmp_path):
    header = "from_framework,from_version,from_code,to_framework,to_code\n"
    path = write(tmp_path, header + "x,1,a,y,b\n")

    assert messages(path) == [
        f"{path}, column 'to_version': missing from the header (required: from_framework,"
        " from_version, from_code, to_framework, to_version, to_code, factor)",
        f"{path}, column 'factor': missing from the header (required: from_framework,"
        " from_version, from_code, to_framework, to_version, to_code, factor)",
    ]


def test_rows_are_checked_against_the_framework_versions(tmp_path, frameworks):
    path = write(
        tmp_path,
        HEADER
        + "mie-core,1,patents,mie-2020,1,patents_granted,\n"
        + "mie-core,3,patents_granted,mie-2020,1,patents_granted,\n"
        + "mie-core,1,patents_granted,mie-2021,1,patents_granted,\n"
        + "mie-core,1,univ_ie_education_investment,mie-2020,1,education_investment,\n"
        + "mie-core,1,training_reach,mie-2020,1,education_investment,\n"
        + "mie-core,1,national_talent,mie-2020,1,coop_projects,\n"
        + "mie-core,1,national_talent,mie-2020,1,coop_projects,2\n"
        + "mie-core,1,one,mie-2020,x,coop_projects,\n",
    )

    merge = (
        "'training_reach', 'univ_ie_education_investment' are merged into"
        " 'education_investment' (summed), but 'education_investment' is a mean in"
        " '10,000 yuan', which does not add up: a merge is allowed only into an indicator whose"
        " statistic is sum or whose unit is a count (10,000 persons, count, person-times,"
        " persons)"
    )
    assert messages(path, frameworks=frameworks) == [
        f"{path}, line 2, column 'from_code': 'patents' is not an indicator of mie-core v1",
        f"{path}, line 3, column 'from_version': framework 'mie-core' has no version 3 (it has 1)",
        f"{path}, line 4, column 'to_framework': 'mie-2021' is not an indicator framework",
        f"{path}, line 5, column 'to_code': {merge}",
        f"{path}, line 6, column 'to_code': {merge}",
        f"{path}, line 8, column 'to_code': 'national_talent' to 'coop_projects' is also on line 7;"
        " each mapping once",
        f"{path}, line 9, column 'to_version': 'x' is not a version number; use a whole number"
        " from 1",
    ]
