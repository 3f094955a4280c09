"""The roster import service: by code, all or nothing."""

import pytest

from mieval.core.problems import InputError
from mieval.panels.models import ConflictDeclaration, Expert, Organisation
from mieval.panels.services import roster_import

ORGS = """code,name_zh,name_en,kind,province
ORG1,测试协会,Test association,local_association,11
ORG9,第三方九,Third party nine,third_party,31
"""
EXPERTS = """code,name,organisation,province,fields,roles,max_panels
Y01,专家甲,ORG9,31,ai;incubation,professional;operational,2
Y02,专家乙,ORG1,11,,professional,1
"""


@pytest.mark.django_db
def test_import_creates_and_updates_by_code(campaign_c, organisation, tmp_path):
    (tmp_path / "o.csv").write_text(ORGS, encoding="utf-8")
    (tmp_path / "e.csv").write_text(EXPERTS, encoding="utf-8")
    (tmp_path / "c.csv").write_text("expert_code,base_code,reason\nY01,R1,顾问\n", "utf-8")

    done = roster_import(
        organisations_path=tmp_path / "o.csv",
        experts_path=tmp_path / "e.csv",
        conflicts_path=tmp_path / "c.csv",
    )

    assert (done.organisations, done.experts, done.conflicts) == (2, 2, 1)
    assert list(Organisation.objects.values_list("code", flat=True)) == ["ORG1", "ORG9"]
    y01 = Expert.objects.get(code="Y01")
    assert (y01.organisation.code, y01.fields, y01.roles, y01.max_panels) == (
        "ORG9",
        ["ai", "incubation"],
        ["professional", "operational"],
        2,
    )
    assert list(ConflictDeclaration.objects.values_list("expert__code", "base__code")) == [
        ("Y01", "R1")
    ]


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(campaign_c, tmp_path):
    (tmp_path / "o.csv").write_text(ORGS, encoding="utf-8")
    (tmp_path / "e.csv").write_text(EXPERTS.replace("ORG9,31", "ORGX,31"), encoding="utf-8")

    with pytest.raises(InputError) as caught:
        roster_import(organisations_path=tmp_path / "o.csv", experts_path=tmp_path / "e.csv")

    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "organisation")]
    assert (Organisation.objects.count(), Expert.objects.count()) == (0, 0)
