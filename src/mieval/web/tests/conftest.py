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


# --- browser tests: Python's Playwright driving Debian's Chromium against a live server ------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Playwright's own browser download never runs here: the tests launch Debian's Chromium,
    which ``bin/test`` installs."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed; bin/test installs it with apt-get.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread from here on; Django's
    # ORM, called by fixtures and tests between browser steps, is plain synchronous code all
    # the same. (tests/test_settings.py keeps this out of its production subprocess.)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser (no cookies) on the live server; console errors (a CSP violation, a
    script error) are collected in ``page.console_errors``."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    documents: set[str] = set()

    def on_response(response):
        if response.request.resource_type == "document":
            documents.add(response.url)

    def on_console(message):
        # A page the test opens on purpose with 403 or 404 logs its own status as an error;
        # the test checks that status itself. Anything else (a CSP violation, a missing
        # script, a script error) is collected.
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in documents
        ):
            return
        errors.append(message.text)

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()
