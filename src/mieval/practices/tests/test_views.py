"""Who may open which page (every role against every page, exact status codes), privacy of
nominations and contact details, and the writes through the pages."""

import pytest
from django.urls import reverse

from mieval.practices.models import Nomination, Reform, ReformLink

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

PAGES = {
    "browse": lambda items: reverse("practices_browse"),
    "base_items": lambda items: reverse("practices_base_items", args=["c"]),
    "reform_new": lambda items: reverse("practices_reform_new", args=["c"]),
    "nominate_case": lambda items: reverse("practices_nomination_new", args=["c", "case"]),
    "nominate_person": lambda items: reverse("practices_nomination_new", args=["c", "person"]),
    "review": lambda items: reverse("practices_review", args=["c"]),
    "report": lambda items: reverse("practices_report", args=["c"]),
    "reform_R1_classified": lambda items: reverse("practices_reform", args=[items["talent_r1"].pk]),
    "reform_U1_reported": lambda items: reverse("practices_reform", args=[items["patent_u1"].pk]),
    "case_R1_published": lambda items: reverse("practices_nomination", args=[items["case_r1"].pk]),
    "person_U1_nominated": lambda items: reverse(
        "practices_nomination", args=[items["person_u1"].pk]
    ),
    "case_U1_no_consent": lambda items: reverse(
        "practices_nomination", args=[items["case_u1_noconsent"].pk]
    ),
    "edit_reform_U1_reported": lambda items: reverse(
        "practices_reform_edit", args=[items["patent_u1"].pk]
    ),
    "edit_reform_R1_classified": lambda items: reverse(
        "practices_reform_edit", args=[items["talent_r1"].pk]
    ),
    "edit_person_U1_nominated": lambda items: reverse(
        "practices_nomination_edit", args=[items["person_u1"].pk]
    ),
}

#                          ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "browse":               [200, 200, 200, 200, 403, 403, 200, 403, 302],
    "base_items":           [403, 403, 200, 200, 403, 403, 403, 403, 302],
    "reform_new":           [403, 403, 200, 200, 403, 403, 403, 403, 302],
    "nominate_case":        [403, 403, 200, 200, 403, 403, 403, 403, 302],
    "nominate_person":      [403, 403, 200, 200, 403, 403, 403, 403, 302],
    "review":               [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "report":               [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "reform_R1_classified": [200, 200, 200, 404, 403, 403, 200, 403, 302],
    "reform_U1_reported":   [200, 200, 404, 200, 403, 403, 404, 403, 302],
    "case_R1_published":    [200, 200, 200, 404, 403, 403, 200, 403, 302],
    "person_U1_nominated":  [200, 200, 404, 200, 403, 403, 404, 403, 302],
    "case_U1_no_consent":   [200, 200, 404, 200, 403, 403, 404, 403, 302],
    "edit_reform_U1_reported":   [403, 403, 404, 200, 403, 403, 403, 403, 302],
    "edit_reform_R1_classified": [403, 403, 403, 404, 403, 403, 403, 403, 302],
    "edit_person_U1_nominated":  [403, 403, 404, 200, 403, 403, 403, 403, 302],
}  # fmt: skip

CASES = [
    pytest.param(user, page, MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in MATRIX
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("user", "page", "expected"), CASES)
def test_page_status_by_role(client, everyone, items, login, user, page, expected):
    login(everyone[user] if user else None)

    response = client.get(PAGES[page](items))

    assert response.status_code == expected


def test_every_page_of_the_matrix_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert all(len(row) == len(USERS) for row in MATRIX.values())


PERSONAL = ("13911112222", "zhang@example.org", "新材料公司 董事长")


@pytest.mark.parametrize(
    ("user", "sees"), [("ada", True), ("alice", True), ("bob", True), ("victor", False)]
)
def test_contact_details_only_for_the_own_base_and_the_office(
    client, everyone, items, login, user, sees
):
    response = login(everyone[user]).get(
        reverse("practices_nomination", args=[items["person_r1"].pk])
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "张晓明" in body
    assert [value in body for value in PERSONAL] == [sees] * 3


def test_a_viewer_never_sees_unpublished_nominations(client, victor, items, login):
    login(victor)

    bodies = [
        client.get(reverse("practices_browse")).content.decode(),
        client.get(reverse("practices_report", args=["c"])).content.decode(),
    ]

    for body in bodies:
        assert "众创空间联盟" in body  # published
        assert "Chen Fang" not in body  # nominated only
        assert "共享中试平台" not in body  # selected without consent
        assert "13911112222" not in body and "13800001111" not in body


def test_an_officer_reports_a_reform_for_the_own_base(client, bob, items, login):
    from mieval.practices.models import PolicyArea

    response = login(bob).post(
        reverse("practices_reform_new", args=["c"]),
        {
            "title": "简易注销改革",
            "description": "对未开业企业实行简易注销。",
            "language": "zh",
            "introduced_on": "2018-04-01",
            "area_reported": PolicyArea.objects.get(code="business_registration").pk,
            "scope": "city",
        },
    )

    reform = Reform.objects.get(title="简易注销改革")
    assert response.status_code == 302
    assert (reform.base.code, reform.status, reform.created_by) == ("R1", "reported", bob)
    assert list(reform.events.values_list("action", flat=True)) == ["reform_reported"]


def test_an_evidence_file_is_checked_by_its_content(client, bob, items, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(bob).post(
        reverse("practices_nomination_new", args=["c", "case"]),
        {
            "subkind": "enterprise",
            "name": "伪造文件",
            "story": "故事",
            "language": "zh",
            "year": 2018,
            "evidence_file": SimpleUploadedFile("proof.pdf", b"not a pdf"),
        },
    )

    assert response.status_code == 200
    assert not Nomination.objects.filter(name="伪造文件").exists()


def test_an_evidence_file_is_stored_and_downloaded_by_those_who_may(
    client, bob, carol, items, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(bob).post(
        reverse("practices_nomination_new", args=["c", "case"]),
        {
            "subkind": "enterprise",
            "name": "智能传感器企业",
            "story": "故事",
            "language": "zh",
            "year": 2018,
            "evidence_file": SimpleUploadedFile("proof.pdf", b"%PDF-1.4 test"),
        },
    )
    item = Nomination.objects.get(name="智能传感器企业")
    url = reverse("practices_evidence", args=["nomination", item.pk])

    assert item.evidence_content_type == "application/pdf"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 test"
    assert login(carol).get(url).status_code == 404


def test_the_office_classifies_with_the_version_it_read(client, alice, items, login):
    from mieval.practices.models import PolicyArea

    reform = items["patent_u1"]
    ip = PolicyArea.objects.get(code="intellectual_property").pk
    url = reverse("practices_reform", args=[reform.pk])
    login(alice)

    client.post(url, {"version": 1, "area": ip, "note": "ok"})
    client.post(url, {"version": 1, "area": ip, "note": "stale"})

    reform.refresh_from_db()
    assert (reform.status, reform.area.code, reform.review_note, reform.version) == (
        "classified",
        "intellectual_property",
        "ok",
        2,
    )


def test_the_office_selects_with_a_reason_and_officers_may_not(client, alice, carol, items, login):
    item = items["person_u1"]
    url = reverse("practices_nomination", args=[item.pk])
    decision = {"action": "decide", "version": item.version, "status": "selected", "reason": "x"}

    assert login(carol).post(url, decision).status_code == 403
    login(alice).post(url, decision)

    item.refresh_from_db()
    assert (item.status, item.decision_reason, item.decided_by) == ("selected", "x", alice)
    assert not item.is_published()  # no consent yet


def test_the_own_officer_records_consent(client, carol, items, login):
    item = items["person_u1"]

    login(carol).post(
        reverse("practices_nomination", args=[item.pk]),
        {"action": "consent", "statement": "本人书面同意", "document": "consent-2018-07.pdf"},
    )

    item.refresh_from_db()
    assert (item.consent_statement, item.consent_document, item.consent_by) == (
        "本人书面同意",
        "consent-2018-07.pdf",
        carol,
    )


def test_links_are_suggested_and_confirmed_on_the_review_page(client, alice, items, login):
    from datetime import date

    from mieval.practices.models import PolicyArea
    from mieval.practices.services import reform_report
    from mieval.registry.models import Base

    copy = reform_report(
        campaign=items["talent_r1"].campaign, base=Base.objects.get(code="U2"),
        title="人才公寓建设工程", description="为引进的高层次人才提供人才公寓及购房补贴。",
        language="zh", introduced_on=date(2018, 1, 1),
        area_reported=PolicyArea.objects.get(code="talent"), scope="city",
    )  # fmt: skip
    url = reverse("practices_review", args=["c"])
    login(alice).post(url, {"action": "suggest"})
    link = ReformLink.objects.get()
    assert (link.reform_a_id, link.reform_b_id) == (items["talent_r1"].pk, copy.pk)

    client.post(url, {"action": "confirm", "link": link.pk})

    link.refresh_from_db()
    assert (link.status, link.decided_by) == ("confirmed", alice)


def test_the_own_officer_changes_a_nomination_before_the_decision(client, carol, items, login):
    item = items["person_u1"]
    url = reverse("practices_nomination_edit", args=[item.pk])
    form = {
        "version": 1, "subkind": "mentor", "name": "Chen Fang", "language": "en", "year": 2017,
        "story": "A seasoned investor who mentored seventy start-ups.",
        "contact_phone": "13800009999", "contact_email": "chen@example.org",
    }  # fmt: skip
    login(carol)

    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "story": "stale"})

    item.refresh_from_db()
    assert (item.story, item.contact_phone, item.version) == (
        "A seasoned investor who mentored seventy start-ups.",
        "13800009999",
        2,
    )
    assert stale.status_code == 200  # the form again, with the reason
    event = item.events.get(action="nomination_updated")
    assert event.changes == {
        "story": [
            "A seasoned investor who mentored sixty start-ups.",
            "A seasoned investor who mentored seventy start-ups.",
        ],
        "contact_phone": ["…", "…"],
    }


@pytest.mark.parametrize(
    ("params", "found", "not_found"),
    [
        ({"q": "人才公寓"}, ["人才公寓建设"], ["Fast patent pre-examination", "Chen Fang"]),
        ({"q": "patent"}, ["Fast patent pre-examination"], ["人才公寓建设", "众创空间联盟"]),
        ({"kind": "person", "region_group": "central_west"}, ["Chen Fang"], ["张晓明"]),
        ({"area": "finance_tax"}, ["天使投资风险补偿"], ["人才公寓建设", "众创空间联盟"]),
    ],
)
def test_the_browse_page_searches_and_filters(
    client, alice, items, login, params, found, not_found
):
    body = login(alice).get(reverse("practices_browse"), params).content.decode()

    assert all(text in body for text in found)
    assert not any(text in body for text in not_found)
