"""Clients of the API as the named users of :mod:`mieval.conftest`, by token or by session."""

import json

import pytest
from django.test import Client

from mieval.accounts.services import api_token_create

API = "/api/v1"
#: A CSRF secret the session clients send as cookie and header, as the site's pages would.
CSRF = "k" * 32


class ApiClient:
    """Calls the API as one user (or nobody) and returns the response."""

    def __init__(self, user=None, *, via: str = "session"):
        if via not in {"session", "token"}:
            raise ValueError(f"via={via!r}; use session or token")
        self.via = via
        headers = {}
        if user is not None and via == "token":
            _, key = api_token_create(user=user, name="tests")
            headers["Authorization"] = f"Bearer {key}"
        self.client = Client(enforce_csrf_checks=True, headers=headers)
        if user is not None and via == "session":
            self.client.force_login(user)
            self.client.cookies["csrftoken"] = CSRF

    def request(self, method: str, path: str, body=None, *, csrf: bool = True):
        extra = {}
        if self.via == "session" and csrf and method.lower() != "get":
            extra["headers"] = {"X-CSRFToken": CSRF}
        call = getattr(self.client, method.lower())
        if body is None:
            return call(API + path, **extra)
        return call(API + path, json.dumps(body), content_type="application/json", **extra)

    def get(self, path: str):
        return self.request("get", path)

    def put(self, path: str, body, **kwargs):
        return self.request("put", path, body, **kwargs)

    def post(self, path: str, body, **kwargs):
        return self.request("post", path, body, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("delete", path, **kwargs)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; these tests create eight users each and log in without it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_as():
    """``api_as(user, via="token")``: an :class:`ApiClient`; ``api_as(None)`` is anonymous."""
    return ApiClient
