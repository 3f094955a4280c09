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
    from mieval.collection.services import (
        campaign_create,
        campaign_import_apply,
        campaign_import_plan,
    )

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
