"""Security headers, the content security policy, CSRF and session expiry on the pages."""

from django.conf import settings
from django.test import Client


def test_pages_carry_the_security_headers_and_a_strict_policy(client, db):
    response = client.get("/accounts/login/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no CDN
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_forms_need_the_csrf_token(alice, db):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)

    response = strict.post("/accounts/tokens/", {"name": "no token"})

    assert response.status_code == 403


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_no_page_loads_a_script_from_elsewhere(client, alice, campaign_c):
    client.force_login(alice)

    for url in ("/", "/campaigns/c/", "/campaigns/c/trends/", "/campaigns/c/bases/R1/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html  # every script is a file of this site
        assert "https://" not in html.split("<body", 1)[0]
