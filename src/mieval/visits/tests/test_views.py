"""The pages' writes: the leader form, the plan, the record's JSON saves (the phone's draft),
uploads and the opinion's actions."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.visits.models import Opinion, PanelLeader, Visit, VisitFile
from mieval.visits.tests.conftest import base, expert, png_bytes


def test_the_office_sets_a_leader_and_the_index_shows_it(client, published, alice):
    client.force_login(alice)
    response = client.post(
        reverse("visits_leader", args=["c", 1]), {"expert": expert("X03").pk}, follow=True
    )
    assert PanelLeader.objects.get().expert.code == "X03"
    page = response.content.decode()
    assert "专家三 (X03)" in page
    assert "第 1 专家组的组长已保存。" in page


def test_the_leader_plans_a_visit_with_contacts(client, leaders, erin):
    client.force_login(erin)
    response = client.post(
        reverse("visits_plan", args=["c", "R2"]),
        {
            "visit_date": "2018-07-01",
            "itinerary": "上午座谈",
            "members": [expert("X01").pk, expert("X03").pk],
            "contact_0_name": "张三",
            "contact_0_role": "联络员",
            "contact_0_phone": "13800000000",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(base=base("R2"))
    assert (str(visit.date), visit.itinerary, visit.contacts) == (
        "2018-07-01",
        "上午座谈",
        [{"name": "张三", "role": "联络员", "phone": "13800000000", "email": ""}],
    )
    assert sorted(m.code for m in visit.members.all()) == ["X01", "X03"]


def test_a_stale_plan_shows_the_conflict_and_keeps_the_plan(client, visit_r1, erin):
    client.force_login(erin)
    url = reverse("visits_plan", args=["c", "R1"])
    first = client.post(url, {"visit_date": "2018-06-20", "version": 1})
    assert first.status_code == 302
    second = client.post(url, {"visit_date": "2018-06-21", "version": 1})
    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [
        "其他人已在此期间保存；本次未写入。请重新加载查看。"
    ]
    visit_r1.refresh_from_db()
    assert str(visit_r1.date) == "2018-06-20"


def _json_post(client, url, data):
    return client.post(url, data, headers={"Accept": "application/json"})


def test_the_record_saves_as_json_and_a_stale_draft_is_a_conflict(client, record_r1, mia):
    client.force_login(mia)
    url = reverse("visits_record", args=["c", "R1"])
    saved = _json_post(
        client, url, {"findings": "现场核实完毕。", "checked": ["funds"], "version": 1}
    )
    assert (saved.status_code, saved.json()) == (200, {"state": "saved", "version": 2})
    stale = _json_post(client, url, {"findings": "旧草稿", "version": 1})
    assert stale.status_code == 409
    assert json.loads(stale.content) == {
        "state": "conflict",
        "detail": "其他人已在此期间保存；本次未写入。请重新加载查看。",
        "version": 2,
    }
    record_r1.refresh_from_db()
    assert (record_r1.findings, record_r1.checked) == ("现场核实完毕。", ["funds"])


def test_a_bad_checklist_item_is_invalid(client, record_r1, mia):
    client.force_login(mia)
    url = reverse("visits_record", args=["c", "R1"])
    response = _json_post(client, url, {"checked": ["karaoke"], "version": 1})
    assert (response.status_code, response.json()["state"]) == (422, "invalid")


def test_the_first_record_needs_no_version(client, visit_r1, erin):
    client.force_login(erin)
    response = _json_post(
        client, reverse("visits_record", args=["c", "R1"]), {"findings": "首次记录"}
    )
    assert response.json() == {"state": "saved", "version": 1}


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    client, record_r1, erin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(erin)
    upload = SimpleUploadedFile("big.png", png_bytes((800, 800)), content_type="image/png")
    response = client.post(
        reverse("visits_file_add", args=["c", "R1"]), {"file": upload}, follow=True
    )
    assert VisitFile.objects.count() == 0
    assert [str(m) for m in response.context["messages"]] == ["文件过大。"]


def test_the_record_page_shows_photos_as_thumbnails(client, record_r1, erin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(erin)
    upload = SimpleUploadedFile("site.png", png_bytes(), content_type="image/png")
    client.post(reverse("visits_file_add", args=["c", "R1"]), {"file": upload})
    item = VisitFile.objects.get()
    page = client.get(reverse("visits_record", args=["c", "R1"])).content.decode()
    thumb = reverse("visits_thumbnail", args=["c", "R1", item.pk])
    assert f'src="{thumb}"' in page
    response = client.get(thumb)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")


def test_the_opinion_from_draft_to_the_base(client, leaders, record_r1, erin, mia, alice, bob):
    url = reverse("visits_opinion", args=["c", "R1"])
    client.force_login(erin)
    client.post(url, {"action": "save", "text": "运营规范。", "recommendations": "加强交流。"})
    client.post(url, {"action": "circulate", "version": 1})
    client.force_login(mia)
    client.post(url, {"action": "answer", "agrees": "0", "dissent": "评分偏高。"})
    client.force_login(erin)
    client.post(url, {"action": "submit", "version": 2})
    client.force_login(alice)
    response = client.post(url, {"action": "accept", "version": 3, "note": "同意。"})
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.state, opinion.office_note) == ("accepted", "同意。")
    assert [(r.expert.code, r.agrees, r.dissent) for r in opinion.responses.all()] == [
        ("X02", False, "评分偏高。")
    ]
    client.force_login(bob)
    page = client.get(reverse("visits_index", args=["c"])).content.decode()
    assert "运营规范。" in page
    assert "评分偏高。" not in page


def test_an_empty_dissent_shows_the_error(client, opinion_r1, erin, mia):
    from mieval.visits.services import opinion_circulate

    opinion_circulate(opinion=opinion_r1, user=erin)
    client.force_login(mia)
    response = client.post(
        reverse("visits_opinion", args=["c", "R1"]), {"action": "answer", "agrees": "0"}
    )
    assert response.status_code == 200
    assert Opinion.objects.get().responses.count() == 0


def test_the_base_never_reads_the_experts_comments(
    client, leaders, record_r1, rubric, opinion_r1, erin, alice, bob, campaign_c
):
    from decimal import Decimal

    from mieval.api.tests.conftest import ApiClient
    from mieval.panels.models import Criterion, Score
    from mieval.visits import services

    rubric.comments_confidential = True
    rubric.save(update_fields=["comments_confidential"])
    Score.objects.create(
        campaign=campaign_c,
        expert=expert("X01"),
        base=base("R1"),
        criterion=Criterion.objects.get(rubric=rubric, code="C1"),
        value=Decimal(80),
        comment="评语：负责人能力一般。",
        confidential_comment="保密：数据存疑。",
        state="submitted",
    )
    opinion = services.opinion_submit(
        opinion=services.opinion_circulate(opinion=opinion_r1, user=erin), user=erin
    )
    services.opinion_accept(opinion=opinion, user=alice)
    client.force_login(bob)
    page = client.get(reverse("visits_index", args=["c"])).content.decode()
    api = ApiClient(bob).get("/campaigns/c/opinions/R1").content.decode()
    assert "基地运营良好。" in page
    for text in ("负责人能力一般", "数据存疑"):
        assert text not in page
        assert text not in api
    # The office reads both on the opinion page.
    client.force_login(alice)
    office = client.get(reverse("visits_opinion", args=["c", "R1"])).content.decode()
    assert "评语：负责人能力一般。" in office
    assert "保密：数据存疑。" in office


def test_a_closed_record_is_shown_read_only(client, record_r1, opinion_r1, erin):
    from mieval.visits import services

    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    services.opinion_submit(opinion=opinion, user=erin)
    client.force_login(erin)
    url = reverse("visits_record", args=["c", "R1"])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "This visit record is closed: the panel's opinion stands on it and is with the "
        "evaluation office or accepted. It reopens if the office returns the opinion."
    ) in page
    assert 'id="record-save"' not in page
    assert 'name="findings"' in page and "disabled" in page
    closed = _json_post(client, url, {"findings": "补记", "version": 1})
    assert (closed.status_code, closed.json()) == (
        409,
        {"state": "closed", "detail": "考察记录已关闭，本次未保存。"},
    )
    record_r1.refresh_from_db()
    assert record_r1.findings == "台账与填报数据一致。"
