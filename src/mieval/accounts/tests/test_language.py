"""Pages are in Chinese by default and in English after switching."""

from django.urls import reverse


def test_chinese_by_default_then_english(client):
    page = client.get(reverse("login")).content.decode()

    assert '<html lang="zh-hans">' in page
    # Django's own catalogue translates the login form's label.
    assert "密码" in page and "Password:" not in page

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Password:" in page and "密码" not in page


def test_names_kept_as_data_follow_the_language(client, victor, campaign_c):
    client.force_login(victor)

    page = client.get(reverse("campaign_list")).content.decode()
    assert "测试评估" in page and "Test campaign" not in page

    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("campaign_list")).content.decode()
    assert "Test campaign" in page and "测试评估" not in page
