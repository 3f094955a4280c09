import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is slow by design; these tests are about the pages, not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
