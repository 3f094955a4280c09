"""Who may open the panel pages: roles x pages x own/other."""

import pytest

from mieval.panels.models import ConflictDeclaration, Score

OTHER_ORG = "ORG2"

# page -> expected status per user (ada is the administrator).
MATRIX = {
    "/panels/roster/": {
        "ada": 200,
        "alice": 200,
        "bob": 403,
        "erin": 403,
        "oscar": 403,
        "victor": 403,
        "stranger": 403,
    },
    "/panels/organisations/ORG1/experts/": {
        "alice": 200,
        "bob": 403,
        "erin": 403,
        "oscar": 200,
        "victor": 403,
    },
    f"/panels/organisations/{OTHER_ORG}/experts/": {"alice": 200, "oscar": 404, "erin": 403},
    "/panels/organisations/ORG1/experts/new/": {"alice": 200, "oscar": 200, "victor": 403},
    "/panels/organisations/ORG1/experts/X01/edit/": {"alice": 200, "oscar": 200, "bob": 403},
    f"/panels/organisations/{OTHER_ORG}/experts/X02/edit/": {"oscar": 404, "alice": 200},
    "/campaigns/c/panels/": {"alice": 200, "bob": 403, "erin": 403, "oscar": 403, "victor": 403},
    "/campaigns/c/panels/results/": {"alice": 200, "erin": 403, "victor": 403, "bob": 403},
    "/panels/mine/": {"erin": 200, "alice": 403, "bob": 403, "oscar": 403},
    "/campaigns/c/scoring/R1/": {"erin": 200, "alice": 403, "bob": 403, "oscar": 403},
    "/campaigns/c/scoring/U2/": {"erin": 404},
    "/campaigns/c/bases/R1/": {"erin": 200},
    "/campaigns/c/bases/U2/": {"erin": 404},
}
CASES = [(page, user, status) for page, row in MATRIX.items() for user, status in row.items()]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "username", "status"), CASES)
def test_permission_matrix(client, everyone, published, rubric, page, username, status):
    client.force_login(everyone[username])

    assert client.get(page).status_code == status


@pytest.mark.django_db
def test_logged_out_is_sent_to_login(client, published):
    response = client.get("/panels/mine/")

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/panels/mine/")


@pytest.mark.django_db
def test_the_expert_lands_on_her_bases(client, erin, published):
    client.force_login(erin)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/panels/mine/", 302)]
    assert [b["base"].code for b in response.context["campaigns"][0]["bases"]] == ["R1", "R2", "U1"]


@pytest.mark.django_db
def test_the_expert_declares_a_conflict_and_the_base_leaves_her_list(client, erin, published):
    client.force_login(erin)

    response = client.post("/campaigns/c/scoring/R2/conflict/", {"reason": "co-author"})

    assert response.status_code == 302
    assert list(ConflictDeclaration.objects.values_list("base__code", "reason")) == [
        ("R2", "co-author")
    ]
    assert client.get("/campaigns/c/scoring/R2/").status_code == 404


@pytest.mark.django_db
def test_the_expert_cannot_post_scores_for_another_panels_base(client, erin, published, rubric):
    client.force_login(erin)

    response = client.post("/campaigns/c/scoring/U2/", {"C1-value": "50", "C2-value": "50"})

    assert response.status_code == 404
    assert Score.objects.count() == 0


@pytest.mark.django_db
def test_the_organiser_adds_an_expert_to_the_own_organisation(client, oscar, published):
    client.force_login(oscar)

    response = client.post(
        "/panels/organisations/ORG1/experts/new/",
        {
            "code": "X07",
            "name": "专家七",
            "province": "11",
            "max_panels": "2",
            "active": "on",
            "fields_text": "ai; biomedicine",
            "roles": ["professional"],
        },
    )

    assert response.status_code == 302
    from mieval.panels.models import Expert

    expert = Expert.objects.get(code="X07")
    assert (expert.organisation.code, expert.fields, expert.roles, expert.max_panels) == (
        "ORG1",
        ["ai", "biomedicine"],
        ["professional"],
        2,
    )


FORM = {
    "groups": "2",
    "min_size": "3",
    "max_size": "3",
    "min_professional": "1",
    "min_operational": "1",
    "min_org_kinds": "2",
    "max_per_organisation": "1",
    "time_limit": "10",
    "seed": "0",
}


@pytest.mark.django_db
def test_the_analyst_runs_pins_and_publishes(
    client, alice, campaign_c, roster, django_capture_on_commit_callbacks, settings
):
    settings.JOBS_EAGER = True
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/campaigns/c/panels/", FORM)
    assert response.status_code == 302
    job = client.get(response.url).context["job"]
    assert (job.kind, job.state) == ("panels_form", "done")
    page = client.get(job.result["url"])
    selected = page.context["selected"]
    assert (selected.status, len(page.context["groups"])) == ("optimal", 2)

    response = client.post(f"/campaigns/c/panels/{selected.pk}/publish/")
    selected.refresh_from_db()
    assert selected.state == "published"

    client.post("/campaigns/c/panels/unpublish/")
    selected.refresh_from_db()
    assert selected.state == "archived"


@pytest.mark.django_db
def test_an_htmx_run_sends_the_browser_to_the_jobs_page(client, alice, campaign_c, roster):
    from mieval.jobs.models import Job

    client.force_login(alice)

    response = client.post("/campaigns/c/panels/", FORM, HTTP_HX_REQUEST="true")

    job = Job.objects.get()
    assert (response.status_code, response["HX-Redirect"]) == (204, f"/jobs/{job.pk}/")
    assert (job.kind, job.state, job.params["campaign"]) == ("panels_form", "queued", "c")


@pytest.mark.django_db
def test_the_formation_page_names_the_selected_sets_panels(client, alice, campaign_c, roster):
    from mieval.jobs.worker import run_next

    client.force_login(alice)
    client.post("/campaigns/c/panels/", FORM)
    job = run_next()

    response = client.get(job.result["url"], HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="panel-group"') == 2
