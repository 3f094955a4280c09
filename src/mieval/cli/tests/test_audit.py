import pytest

from mieval.cli import main
from mieval.collection.selectors import campaign_audit_csv


@pytest.mark.django_db
def test_audit_writes_the_campaigns_trail(campaign_c, tmp_path, capsys):
    out = tmp_path / "audit.csv"

    assert main(["audit", "--campaign", "c", "--out", str(out)]) == 0

    data = out.read_bytes()
    assert data == campaign_audit_csv(campaign_c)
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == (
        "\ufeffat,actor,kind,base_code,indicator_code,year,action,old,new,reason,source"
    )
    # The fixture's import: 13 values created (R2's empty 2018 is no value).
    assert len(lines) == 1 + 13
    assert {line.split(",")[1:3][0] for line in lines[1:]} == {"fixture"}
    assert f"Wrote {out}" in capsys.readouterr().err


@pytest.mark.django_db
def test_audit_to_standard_output(campaign_c, capsysbinary):
    assert main(["audit", "--campaign", "c"]) == 0

    assert capsysbinary.readouterr().out == campaign_audit_csv(campaign_c)


@pytest.mark.django_db
def test_unknown_campaign_exits_2(capsys):
    assert main(["audit", "--campaign", "nope"]) == 2
    assert "mieval audit: there is no campaign 'nope'" in capsys.readouterr().err
