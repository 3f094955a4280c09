"""The Excel upload's value problems in Chinese: the pages pass Django's message catalogue to
the reader of :mod:`mieval.core.tables.entry_template` (``translate_zh``)."""

import pytest

from mieval.collection.tests.test_entry import entry_url, filled_template

pytestmark = pytest.mark.django_db


def test_a_value_problem_reads_in_the_catalogues_chinese_on_a_chinese_page(client, media, bob):
    client.force_login(bob)
    upload = filled_template(client, "R1", {("patents_granted", 2016): "12件"})

    response = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 400
    assert response.context["file_problems"] == [
        {"cell": "E11", "message": "“12件”不是数字；只填数字，不带单位或文字，无数据则留空。"}
    ]


def test_the_same_problem_reads_in_english_on_an_english_page(english, media, bob):
    english.force_login(bob)
    upload = filled_template(english, "R1", {("patents_granted", 2016): "12件"})

    response = english.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 400
    assert response.context["file_problems"] == [
        {"cell": "E11", "message": "'12件' is not a number"}
    ]
