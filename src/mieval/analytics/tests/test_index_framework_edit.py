"""New versions of an index framework from the web: checked by the engine's parser, located
problems, nothing half-saved, the next version number, concurrent edits, the diff."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.analytics.models import IndexFramework
from mieval.analytics.services import index_framework_new_version
from mieval.analytics.tests.test_index_run import TINY, tiny  # noqa: F401 (fixture)
from mieval.core.problems import InputError
from mieval.lib.concurrency import ConcurrentEditError

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]
#                 ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "list":       [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "versions":   [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "edit":       [200, 200, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip

BAD = TINY.replace('parent = "Inn"', 'parent = "Innovation"').replace(
    '[[aggregate]]\ncode = "Ent"\nparent = "T"',
    '[[aggregate]]\ncode = "Ent"\nparent = "T"\nweight = -1',
)


def _post(client, text, *, edited=1, **extra):
    data = {"name_zh": "小指数", "name_en": "Tiny index", "text": text, "edited": edited}
    return client.post(reverse("index_framework_edit", args=["tiny"]), {**data, **extra})


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the default language is Chinese)."""
    client.cookies["django_language"] = "en"


@pytest.mark.parametrize("page", list(MATRIX))
def test_status_by_role(client, everyone, tiny, page):  # noqa: F811
    url = {
        "list": reverse("index_frameworks"),
        "versions": reverse("index_framework_versions", args=["tiny"]),
        "edit": reverse("index_framework_edit", args=["tiny"]),
    }[page]
    statuses = []
    for user in USERS:
        client.logout()
        if user:
            client.force_login(everyone[user])
        statuses.append(client.get(url).status_code)
    assert statuses == MATRIX[page]


def test_the_editor_is_prefilled_with_the_latest_version(client, alice, tiny):  # noqa: F811
    client.force_login(alice)

    page = client.get(reverse("index_framework_edit", args=["tiny"])).content.decode()

    assert "code = &quot;patents_granted&quot;" in page
    assert 'name="edited" value="1"' in page
    assert "Version 2 of the index framework tiny" in page


def test_bad_toml_lists_located_problems_and_saves_nothing(client, alice, tiny):  # noqa: F811
    client.force_login(alice)

    page = _post(client, BAD).content.decode()

    assert "3 problems found; nothing was saved." in page
    rows = re.findall(
        r'<tr><td class="num">(\d+|—)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>',
        page,
    )
    assert [(line, key) for line, key, _message in rows] == [
        ("10", "indicator[1].parent"),
        ("15", "aggregate[0].weight"),
        ("18", "aggregate[1].code"),  # Inn lost its only child
    ]
    assert "parent &#x27;Innovation&#x27; is not an aggregate of the framework" in rows[0][2]
    assert rows[1][2] == "must be &gt;= 0"
    assert IndexFramework.objects.count() == 1
    assert "parent = &quot;Innovation&quot;" in page  # the text is kept for correction


def test_unreadable_toml_and_unknown_indicator(client, alice, tiny):  # noqa: F811
    client.force_login(alice)

    page = _post(client, TINY + "\n[[step]\n").content.decode()
    assert "1 problem found; nothing was saved." in page
    assert "not valid TOML" in page

    page = _post(client, TINY.replace("patents_granted", "patents_dreamt")).content.decode()
    assert "&#x27;patents_dreamt&#x27; is not an indicator of any indicator framework" in page
    assert '<td class="num">9</td><td><code>indicator[1].code</code></td>' in page
    assert IndexFramework.objects.count() == 1


def test_cycle_is_reported(alice, tiny):  # noqa: F811
    text = TINY.replace('[[aggregate]]\ncode = "T"', '[[aggregate]]\ncode = "T"\nparent = "Ent"')

    with pytest.raises(InputError) as error:
        index_framework_new_version(
            edited=tiny, text=text, name_zh="小指数", name_en="Tiny index", user=alice
        )

    assert any("cycle" in p.message for p in error.value.problems)
    assert IndexFramework.objects.count() == 1


def test_good_toml_creates_the_next_version(client, alice, tiny):  # noqa: F811
    client.force_login(alice)
    text = TINY.replace('code = "Ent"\nparent = "T"', 'code = "Ent"\nparent = "T"\nweight = 2')

    response = _post(client, text)

    assert response.status_code == 302
    assert response.url == reverse("index_framework_versions", args=["tiny"])
    new = IndexFramework.objects.get(code="tiny", version=2)
    assert (new.text, new.created_by, new.category_id) == (text, alice, "region")
    assert IndexFramework.objects.get(code="tiny", version=1).text == TINY  # untouched
    page = client.get(response.url).content.decode()
    assert "<ins>+weight = 2</ins>" in page
    assert "Changes since v1" in page


def test_upload_replaces_the_text(client, alice, tiny):  # noqa: F811
    client.force_login(alice)
    upload = SimpleUploadedFile("f.toml", ("panel = true\n" + TINY).encode(), "text/plain")

    response = _post(client, "ignored", file=upload)

    assert response.status_code == 302
    assert IndexFramework.objects.get(version=2).text.startswith("panel = true\n")


def test_unchanged_text_is_refused(client, alice, tiny):  # noqa: F811
    client.force_login(alice)

    page = _post(client, TINY).content.decode()

    assert "nothing changed" in page
    assert IndexFramework.objects.count() == 1


def test_concurrent_edit_is_detected(client, alice, admin_user, tiny):  # noqa: F811
    index_framework_new_version(
        edited=tiny, text="panel = true\n" + TINY, name_zh="小指数", name_en="Tiny", user=admin_user
    )
    client.force_login(alice)

    page = _post(client, TINY + "\n# alice's change\n", edited=1).content.decode()

    assert 'id="conflict"' in page
    assert "Version 2 was saved by" in page
    assert IndexFramework.objects.count() == 2
    with pytest.raises(ConcurrentEditError) as caught:
        index_framework_new_version(
            edited=tiny, text=TINY + "#\n", name_zh="a", name_en="b", user=alice
        )
    assert caught.value.latest == IndexFramework.objects.get(code=tiny.code, version=2)
