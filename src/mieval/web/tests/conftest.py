import pytest


@pytest.fixture
def login(client):
    """Log the client in as ``user`` (None: stay anonymous); returns the client.

    ``force_login``: django-axes refuses ``client.login``, which authenticates without a
    request; the login form itself is tested in ``accounts/tests``.
    """

    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 costs ~0.15 s a user and every test makes eight; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The browser fixtures (``browser``, ``page``) are in ``mieval/conftest.py``: one session-wide
# browser for every app's browser tests.
