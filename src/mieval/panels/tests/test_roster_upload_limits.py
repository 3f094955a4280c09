"""The roster import page lists at most 100 problems of a bad file, then how many more (issue
13, point 3); nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.panels.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_roster_file_bad_on_every_line_gives_a_bounded_page(client, alice, campaign_c):
    client.cookies["django_language"] = "en"
    client.force_login(alice)
    organisations = "code,name_zh,name_en,kind,province\n" + "".join(
        f"O{i},协会{i},Association {i},{'k' * 500},11\n" for i in range(300)
    )
    experts = "code,name,organisation,province,fields,roles,max_panels\n"

    response = client.post(
        reverse("panels_roster"),
        {
            "organisations": SimpleUploadedFile("o.csv", organisations.encode()),
            "experts": SimpleUploadedFile("e.csv", experts.encode()),
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 101
    assert errors[0] == (
        f"o.csv, line 2, column 'kind': unknown kind '{'k' * 40}… (500 characters)' (allowed:"
        " local_association, national_society, third_party)"
    )
    assert errors[-1] == "And 200 more problems, not listed: correct those above first."
    assert len(response.content) < 100_000
    assert Organisation.objects.count() == 0
