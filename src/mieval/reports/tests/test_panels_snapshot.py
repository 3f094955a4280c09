"""Expert evaluation results in a snapshot, on the panels app's scoring fixture (three experts
score R1, R2 and U1; trimmed means by hand 76, 58, 86)."""

import pytest

# The panels app's fixtures, reused rather than copied.
from mieval.panels.tests.conftest import published, roster, rubric  # noqa: F401
from mieval.panels.tests.test_selectors import scored  # noqa: F401
from mieval.reports.build import report_build
from mieval.reports.services import snapshot_publish


@pytest.mark.django_db
def test_submitted_scores_are_frozen_with_grades(scored, alice):  # noqa: F811
    snapshot = snapshot_publish(campaign=scored, user=alice)
    panels = snapshot.payload["panels"]
    # No index run: each base is graded on its expert score alone (here the rubric's 0-100).
    assert [
        (r["base"], r["score"], r["n"], r["expert_score"], r["index_score"], r["combined"])
        for r in panels["results"]
    ] == [
        ("R1", 76.0, 3, pytest.approx(76.0), None, pytest.approx(76.0)),
        ("R2", 58.0, 3, pytest.approx(58.0), None, pytest.approx(58.0)),
        ("U1", 86.0, 3, pytest.approx(86.0), None, pytest.approx(86.0)),
    ]
    assert [r["grade_en"] for r in panels["results"]] == ["qualified", "unqualified", "good"]
    # The experts' totals behind each result, sorted and nameless: with three experts the
    # trimmed mean is the middle one.
    totals = {t["base"]: t["totals"] for t in panels["totals"]}
    assert sorted(totals) == ["R1", "R2", "U1"]
    assert [(len(v), v[1]) for v in totals.values()] == [(3, 76.0), (3, 58.0), (3, 86.0)]
    assert all(v == sorted(v) for v in totals.values())
    from mieval.core.reports.lineage import lineage_base

    assert lineage_base(snapshot.payload, base="U1").expert == {
        "totals": totals["U1"],
        "trimmed_mean": 86.0,
        "n": 3,
    }
    html = report_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang="en", fmt="html"
    ).decode()
    assert (
        '<td class="num">86.0</td><td class="num">3</td><td class="num">—</td>'
        '<td class="num">86.0</td><td>good</td>'
    ) in html


@pytest.mark.django_db
def test_the_lineage_page_shows_the_experts_totals_behind_a_result(scored, alice, client, victor):  # noqa: F811
    snapshot = snapshot_publish(campaign=scored, user=alice)
    totals = {t["base"]: t["totals"] for t in snapshot.payload["panels"]["totals"]}
    client.force_login(victor)

    page = client.get(
        f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}&base=U1",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    api = client.get(f"/api/v1/campaigns/c/snapshots/{snapshot.content_hash}/lineage/bases/U1")

    assert "The trimmed mean 86 of the 3 experts' totals" in page
    assert api.json()["expert"] == {"totals": totals["U1"], "trimmed_mean": 86.0, "n": 3}
