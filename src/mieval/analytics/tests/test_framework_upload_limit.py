"""A framework file uploaded on the site is refused above 1 MB before it is read (issue 13,
point 3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.analytics.models import IndexFramework
from mieval.analytics.tests.test_index_run import TINY, tiny  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_framework_file_over_1_mb_is_refused(client, alice, tiny):  # noqa: F811
    client.cookies["django_language"] = "en"
    client.force_login(alice)
    content = (TINY + "#" * (1024 * 1024)).encode()
    upload = SimpleUploadedFile("f.toml", content, "text/plain")
    data = {"name_zh": "小指数", "name_en": "Tiny index", "text": "", "edited": 1, "file": upload}

    response = client.post(reverse("index_framework_edit", args=["tiny"]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"The file is {len(content):,} bytes; a framework file may be at most 1,048,576 bytes."
    ]
    assert IndexFramework.objects.count() == 1


def test_a_framework_with_hundreds_of_problems_lists_the_first_100_and_counts_the_rest(
    client,
    alice,
    tiny,  # noqa: F811
):
    client.cookies["django_language"] = "en"
    client.force_login(alice)
    bad = TINY + "".join(
        f'\n[[aggregate]]\ncode = "A{i}"\nparent = "T"\nweight = -1\n' for i in range(250)
    )
    data = {"name_zh": "小指数", "name_en": "Tiny index", "text": bad, "edited": 1}

    response = client.post(reverse("index_framework_edit", args=["tiny"]), data)

    assert response.status_code == 200
    assert len(response.context["problems"]) == 100
    more = response.context["problems_more"]
    assert more > 0
    html = response.content.decode()
    assert f"{100 + more} problems found; nothing was saved." in html
    assert f"And {more} more problems, not listed: correct those above first." in html
    assert IndexFramework.objects.count() == 1
