"""Fixtures shared by every app's tests: a small campaign and fixed, named users.

The users, one per role (healthchecks' Alice-Bob-Charlie style):

- ``admin_user`` "ada": administrator
- ``alice``: analyst of the evaluation office
- ``bob``: base officer of base ``R1``
- ``carol``: base officer of base ``U1`` (another base)
- ``erin``: expert
- ``oscar``: organiser of organisation ``ORG1``
- ``victor``: viewer
- ``stranger``: logged-in account with no role at all

The campaign ``c`` (2016-2018) holds bases R1, R2 (regions), U1, U2 (universities) and E1
(an enterprise) with a few values of ``new_market_entities``, ``patents_granted`` and
``univ_ie_education_investment``.
"""

import pytest

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    """Argon2 is deliberately slow; the app tests make many users. tests/test_settings.py
    checks the real hashers. Without pytest-django (``-p no:django``, for the pure tests of the
    functional core) there are no settings to change."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


BASES_CSV = """code,name_zh,name_en,category,subcategory,province,batch
R1,区域一,Region one,region,urban_district,11,2016
R2,区域二,Region two,region,urban_district,51,2017
U1,高校一,University one,university_institute,st_university,42,2016
U2,高校二,University two,university_institute,st_university,32,2017
E1,企业一,Enterprise one,enterprise,private,44,2017
"""

VALUES_CSV = """base_code,indicator_code,year,value
R1,new_market_entities,2016,100
R1,new_market_entities,2017,121
R1,new_market_entities,2018,144
R2,new_market_entities,2016,300
R2,new_market_entities,2017,330
R2,new_market_entities,2018,
R1,patents_granted,2016,10
R1,patents_granted,2018,12
U1,patents_granted,2016,40
U1,patents_granted,2017,0
U2,patents_granted,2017,25
E1,patents_granted,2018,7
U1,univ_ie_education_investment,2016,1417
U1,univ_ie_education_investment,2018,2046
"""


@pytest.fixture
def campaign_c(db, tmp_path):
    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import campaign_create, campaign_import_apply

    (tmp_path / "bases.csv").write_text(BASES_CSV, encoding="utf-8")
    (tmp_path / "values.csv").write_text(VALUES_CSV, encoding="utf-8")
    campaign = campaign_create(
        code="c", first_year=2016, last_year=2018, name_zh="测试评估", name_en="Test campaign"
    )
    plan = campaign_import_plan(
        campaign=campaign,
        bases_path=tmp_path / "bases.csv",
        values_path=tmp_path / "values.csv",
    )
    campaign_import_apply(plan=plan, actor="fixture")
    return campaign


@pytest.fixture
def organisation(db):
    from mieval.panels.models import Organisation
    from mieval.registry.models import Province

    return Organisation.objects.create(
        code="ORG1",
        name_zh="测试协会",
        name_en="Test association",
        kind=Organisation.Kind.LOCAL_ASSOCIATION,
        province=Province.objects.get(code="11"),
    )


def _user(username, role, **binding):
    from mieval.accounts.services import user_create

    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        email=f"{username}@example.org",
        **binding,
    )


@pytest.fixture
def admin_user(db):
    return _user("ada", "admin")


@pytest.fixture
def alice(db):
    return _user("alice", "analyst")


@pytest.fixture
def bob(campaign_c):
    from mieval.registry.models import Base

    return _user("bob", "base_officer", base=Base.objects.get(code="R1"))


@pytest.fixture
def carol(campaign_c):
    from mieval.registry.models import Base

    return _user("carol", "base_officer", base=Base.objects.get(code="U1"))


@pytest.fixture
def erin(db):
    return _user("erin", "expert")


@pytest.fixture
def oscar(organisation):
    return _user("oscar", "organiser", organisation=organisation)


@pytest.fixture
def victor(db):
    return _user("victor", "viewer")


@pytest.fixture
def stranger(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("stranger", "s@example.org", PASSWORD)


@pytest.fixture
def everyone(admin_user, alice, bob, carol, erin, oscar, victor, stranger):
    """Every named user, by name."""
    return {
        "ada": admin_user,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "erin": erin,
        "oscar": oscar,
        "victor": victor,
        "stranger": stranger,
    }


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
