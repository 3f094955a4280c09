"""A newer version of the built-in framework and its crosswalk, for the tests of the crosswalk
and of the trends across rounds.

``mie-core`` v2 differs from v1 (the twelve built in) in four ways, one of each kind:

- ``incubation_area`` is counted in 10,000 m² instead of m² (a unit factor of 0.0001);
- ``patents_granted`` is renamed ``patents``;
- ``enterprise_gov_projects`` and ``inter_enterprise_projects`` are merged into
  ``enterprise_projects`` (a count: the sum makes sense);
- ``univ_ie_education_investment`` is dropped: unmapped.

The other eight keep their code and unit and carry over unchanged.
"""

from mieval.core.indicators import builtin_indicators_frame
from mieval.indicators.services import framework_version_ensure

CROSSWALK_CSV = """from_framework,from_version,from_code,to_framework,to_version,to_code,factor
mie-core,1,incubation_area,mie-core,2,incubation_area,0.0001
mie-core,1,patents_granted,mie-core,2,patents,
mie-core,1,enterprise_gov_projects,mie-core,2,enterprise_projects,1
mie-core,1,inter_enterprise_projects,mie-core,2,enterprise_projects,1
"""


def framework_v2():
    """``mie-core`` v2 in the database (created once)."""
    frame = builtin_indicators_frame()
    frame = frame.loc[frame["code"] != "univ_ie_education_investment"].copy()
    frame.loc[frame["code"] == "incubation_area", ["unit", "unit_zh", "decimals"]] = [
        "10,000 m²",
        "万平方米",
        2,
    ]
    frame.loc[frame["code"] == "patents_granted", ["code", "name_en"]] = ["patents", "Patents"]
    merged = frame["code"] == "enterprise_gov_projects"
    frame.loc[merged, ["code", "name_zh", "name_en"]] = [
        "enterprise_projects",
        "企业合作项目数量",
        "Cooperative projects of enterprises",
    ]
    frame = frame.loc[frame["code"] != "inter_enterprise_projects"].reset_index(drop=True)
    framework, _ = framework_version_ensure(
        code="mie-core",
        name_zh="双创示范基地评估指标（2020版）",
        name_en="MIE core v2",
        indicators=frame,
    )
    return framework
