"""Who may open which page and call which endpoint of the register: every role against every
object, with the exact status.

403: the role never may; 404: a problem or base outside what the user may see; anonymous: 302
to the login page (pages) or 401 (API). Bob is R1's officer, Carol U1's; Erin's panel holds R1,
R2 and U1 (not E1). Base officers see confirmed problems only. Carol answered U1's problem with
a plan and reported progress with a file; E1's rectification is reported done, with a file.
"""

from datetime import date

import pytest
from django.urls import reverse

from mieval.api.tests.conftest import ApiClient
from mieval.collection.tests.review_helpers import PDF
from mieval.rectification.models import Progress, Rectification
from mieval.rectification.services import rectification_plan, rectification_progress

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

PAGES = {
    "register": lambda p: reverse("rectification_register", args=["c"]),
    "counts": lambda p: reverse("rectification_counts", args=["c"]),
    "propose": lambda p: reverse("rectification_propose", args=["c"]) + "?base=R1",
    "overdue": lambda p: reverse("rectification_overdue", args=["c"]),
    "base_R1": lambda p: reverse("rectification_base", args=["c", "R1"]),
    "base_U1": lambda p: reverse("rectification_base", args=["c", "U1"]),
    "base_E1": lambda p: reverse("rectification_base", args=["c", "E1"]),
    "problem_r1": lambda p: reverse("rectification_problem", args=[p["r1"].pk]),
    "problem_r1_proposed": lambda p: reverse("rectification_problem", args=[p["r1_proposed"].pk]),
    "problem_r1_dismissed": lambda p: reverse("rectification_problem", args=[p["r1_dismissed"].pk]),
    "problem_u1": lambda p: reverse("rectification_problem", args=[p["u1"].pk]),
    "problem_e1": lambda p: reverse("rectification_problem", args=[p["e1"].pk]),
    "progress_file_u1": lambda p: reverse("rectification_progress_file", args=[p["file_u1"]]),
    "progress_file_e1": lambda p: reverse("rectification_progress_file", args=[p["file_e1"]]),
}

#                         ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "register":             [200, 200, 403, 403, 200, 403, 403, 403, 302],
    "counts":               [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "propose":              [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "overdue":              [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "base_R1":              [200, 200, 200, 404, 200, 403, 403, 403, 302],
    "base_U1":              [200, 200, 404, 200, 200, 403, 403, 403, 302],
    "base_E1":              [200, 200, 404, 404, 404, 403, 403, 403, 302],
    "problem_r1":           [200, 200, 200, 404, 200, 403, 403, 403, 302],
    "problem_r1_proposed":  [200, 200, 404, 404, 200, 403, 403, 403, 302],
    "problem_r1_dismissed": [200, 200, 404, 404, 404, 403, 403, 403, 302],
    "problem_u1":           [200, 200, 404, 200, 200, 403, 403, 403, 302],
    "problem_e1":           [200, 200, 404, 404, 404, 403, 403, 403, 302],
    "progress_file_u1":     [200, 200, 404, 200, 200, 403, 403, 403, 302],
    "progress_file_e1":     [200, 200, 404, 404, 404, 403, 403, 403, 302],
}  # fmt: skip

PAGE_CASES = [
    pytest.param(user, page, MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in MATRIX
    for column, user in enumerate(USERS)
]


@pytest.fixture
def progressed(filed, carol, alice, media):
    """U1: carol's plan and a progress report with a file (in progress, version 2); E1: a plan
    and a progress report with a file that reports it done (version 2). ``filed`` with the
    progress reports' primary keys as ``file_u1`` and ``file_e1``."""
    files = {}
    for name, user, completes in (("u1", carol, False), ("e1", alice, True)):
        plan = rectification_plan(
            problem=filed[name], measures="m", owner="o", deadline=date(2026, 6, 30), user=user
        )
        progress = rectification_progress(
            rectification=plan,
            text="已整改一半",
            completes=completes,
            file_name="证明.pdf",
            file_data=PDF,
            expected_version=1,
            user=user,
        )
        files[f"file_{name}"] = progress.pk
    return {**filed, **files}


@pytest.fixture
def world(progressed, everyone, published):
    return everyone


@pytest.mark.parametrize(("user", "page", "expected"), PAGE_CASES)
def test_page_status_by_role(client, world, progressed, login, user, page, expected):
    login(world[user] if user else None)

    response = client.get(PAGES[page](progressed))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


# Writes on the problem page: (action, problem, form data).
WRITES = {
    "plan_r1": ("plan", "r1", {"measures": "m", "owner": "o", "deadline": "2026-06-30"}),
    "confirm_r1_proposed": (
        "confirm", "r1_proposed",
        {"version": "1", "type": "", "severity": "moderate"},
    ),
    "dismiss_r1_proposed": ("dismiss", "r1_proposed", {"version": "1", "reason": "重复"}),
    "progress_u1": ("progress", "u1", {"version": "2", "text": "已全部整改", "completes": "on"}),
    "verify_e1": ("verify", "e1", {"version": "2", "decision": "accepted", "note": ""}),
}  # fmt: skip
#: Where each write is posted: the page of its problem.
WRITE_URLS = {
    write: lambda p, name=name: reverse("rectification_problem", args=[p[name].pk])
    for write, (_action, name, _data) in WRITES.items()
}

#                        ada  alice bob  carol erin oscar victor stranger anonymous
WRITE_MATRIX = {
    "plan_r1":             [403, 403, 302, 404, 403, 403, 403, 403, 302],
    "confirm_r1_proposed": [302, 302, 404, 404, 403, 403, 403, 403, 302],
    "dismiss_r1_proposed": [302, 302, 404, 404, 403, 403, 403, 403, 302],
    # The office neither plans nor reports a base's progress; erin reads U1's problem only.
    "progress_u1":         [403, 403, 404, 302, 403, 403, 403, 403, 302],
    "verify_e1":           [302, 302, 404, 404, 404, 403, 403, 403, 302],
}  # fmt: skip

WRITE_CASES = [
    pytest.param(user, write, WRITE_MATRIX[write][column], id=f"{user or 'anonymous'}-{write}")
    for write in WRITE_MATRIX
    for column, user in enumerate(USERS)
]


def _written(problem) -> tuple:
    """What a write on the problem changes: its version, its rectification's, the progress."""
    problem = type(problem).objects.get(pk=problem.pk)
    rectification = Rectification.objects.filter(problem=problem).first()
    return (
        problem.version,
        rectification.version if rectification else None,
        Progress.objects.filter(rectification__problem=problem).count(),
    )


@pytest.mark.parametrize(("user", "write", "expected"), WRITE_CASES)
def test_write_status_by_role(client, world, progressed, login, user, write, expected):
    from mieval.rectification.models import ProblemType

    action, name, data = WRITES[write]
    if action == "confirm":
        data = {
            **data,
            "type": ProblemType.objects.get(taxonomy__number=1, code="service_incentives").pk,
        }
    before = _written(progressed[name])
    login(world[user] if user else None)

    response = client.post(WRITE_URLS[write](progressed), {"action": action, **data})

    assert response.status_code == expected
    assert (_written(progressed[name]) != before) is (expected == 302 and user is not None)


# --- the API -------------------------------------------------------------------------------

PLAN = {"measures": "m", "owner": "o", "deadline": "2026-06-30"}


def _api_problem(name, tail=""):
    return lambda p: f"/problems/{p[name].pk}{tail}"


ENDPOINTS = {
    "list": ("get", "/campaigns/c/problems", None),
    "r1": ("get", _api_problem("r1"), None),
    "r1_proposed": ("get", _api_problem("r1_proposed"), None),
    "e1": ("get", _api_problem("e1"), None),
    "plan_r1": ("put", _api_problem("r1", "/rectification"), PLAN),
    "plan_r1_proposed": ("put", _api_problem("r1_proposed", "/rectification"), PLAN),
    "progress_u1": (
        "post",
        _api_problem("u1", "/rectification/progress"),
        {"text": "已全部整改", "completes": True, "version": 2},
    ),
    "progress_e1": (
        "post",
        _api_problem("e1", "/rectification/progress"),
        {"text": "再次报告", "version": 2},
    ),
}

#                     ada  alice bob  carol erin oscar victor stranger anonymous
API_MATRIX = {
    "list":             [200, 200, 200, 200, 200, 403, 403, 403, 401],
    "r1":               [200, 200, 200, 404, 200, 403, 403, 403, 401],
    "r1_proposed":      [200, 200, 404, 404, 200, 403, 403, 403, 401],
    "e1":               [200, 200, 404, 404, 404, 403, 403, 403, 401],
    "plan_r1":          [403, 403, 200, 404, 403, 403, 403, 403, 401],
    "plan_r1_proposed": [403, 403, 404, 404, 403, 403, 403, 403, 401],
    "progress_u1":      [403, 403, 404, 200, 403, 403, 403, 403, 401],
    "progress_e1":      [403, 403, 404, 404, 404, 403, 403, 403, 401],
}  # fmt: skip
#: The number of problems each user lists.
LISTED = {"ada": 5, "alice": 5, "bob": 1, "carol": 1, "erin": 3}

API_CASES = [
    pytest.param(user, call, API_MATRIX[call][column], id=f"{user or 'anonymous'}-{call}")
    for call in API_MATRIX
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("user", "call", "expected"), API_CASES)
def test_api_status_by_role(world, progressed, user, call, expected):
    api = ApiClient(world[user] if user else None, via="token" if user else "session")
    method, path, body = ENDPOINTS[call]

    response = api.request(method, path(progressed) if callable(path) else path, body)

    assert response.status_code == expected
    if call == "list" and expected == 200:
        assert response.json()["count"] == LISTED[user]


def test_every_row_of_the_matrices_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert set(WRITE_MATRIX) == set(WRITES) == set(WRITE_URLS)
    assert set(API_MATRIX) == set(ENDPOINTS)
    assert set(LETTER_MATRIX) == set(LETTER_PAGES)
    assert set(LETTER_API_MATRIX) == set(LETTER_ENDPOINTS)


# --- feedback letters -------------------------------------------------------------------------


@pytest.fixture
def letters(world, campaign_c, media, clock):
    """R1's letter sent, U1's generated but not sent (files stand in: who reads is the point)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from mieval.rectification.letters import LetterContent
    from mieval.rectification.models import FeedbackLetter
    from mieval.registry.models import Base

    made = {}
    for code, state in (("R1", "sent"), ("U1", "generated")):
        letter = FeedbackLetter(
            campaign=campaign_c,
            base=Base.objects.get(code=code),
            state=state,
            content=LetterContent(
                lang="zh",
                title=f"{code}的意见书",
                addressee=code,
                opening=(),
                sections=(),
                closing=(),
                signature="评估办公室",
                date="2026年3月1日",
            ).as_dict(),
            pdf_sha256="0" * 64,
            docx_sha256="1" * 64,
            generated_at=timezone.now(),
            sent_at=timezone.now() if state == "sent" else None,
        )
        letter.pdf.save("letter.pdf", ContentFile(b"%PDF-1.4 " + code.encode()), save=False)
        letter.docx.save("letter.docx", ContentFile(b"PK " + code.encode()), save=False)
        letter.save()
        made[code] = letter
    return made


def _letter(base, kind=None):
    if kind is None:
        return lambda ids: reverse("rectification_letter", args=["c", base])
    return lambda ids: reverse("rectification_letter_file", args=["c", base, kind])


LETTER_PAGES = {
    "letters": lambda ids: reverse("rectification_letters", args=["c"]),
    "R1": _letter("R1"),
    "R1_pdf": _letter("R1", "pdf"),
    "R1_docx": _letter("R1", "docx"),
    "U1": _letter("U1"),
    "U1_pdf": _letter("U1", "pdf"),
    "E1": _letter("E1"),
}


#                    ada  alice bob  carol erin oscar victor stranger anonymous
LETTER_MATRIX = {
    "letters":         [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "R1":              [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "R1_pdf":          [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "R1_docx":         [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "U1":              [200, 200, 404, 404, 403, 403, 403, 403, 302],
    "U1_pdf":          [200, 200, 404, 404, 403, 403, 403, 403, 302],
    "E1":              [404, 404, 404, 404, 403, 403, 403, 403, 302],
}  # fmt: skip

LETTER_CASES = [
    pytest.param(user, page, LETTER_MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in LETTER_MATRIX
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("user", "page", "expected"), LETTER_CASES)
def test_letter_page_status_by_role(client, world, letters, login, user, page, expected):
    login(world[user] if user else None)

    response = client.get(LETTER_PAGES[page](letters))

    assert response.status_code == expected
    if expected == 200 and page.endswith("_pdf"):
        assert b"".join(response.streaming_content) == b"%PDF-1.4 " + page[:2].encode()


#                    ada  alice bob  carol erin oscar victor stranger anonymous
SEND_MATRIX = [302, 302, 403, 403, 403, 403, 403, 403, 302]


@pytest.mark.parametrize(
    ("user", "expected"),
    [pytest.param(u, SEND_MATRIX[i], id=u or "anonymous") for i, u in enumerate(USERS)],
)
def test_sending_a_letter_by_role(client, world, letters, login, user, expected):
    login(world[user] if user else None)

    response = client.post(
        reverse("rectification_letters", args=["c"]),
        {"action": "send", "base": "U1", "version": "1"},
    )

    assert response.status_code == expected
    letters["U1"].refresh_from_db()
    assert letters["U1"].state == ("sent" if expected == 302 and user else "generated")


LETTER_ENDPOINTS = {
    base: ("get", f"/campaigns/c/letters/{base}", None) for base in ("R1", "U1", "E1")
}

#                    ada  alice bob  carol erin oscar victor stranger anonymous
LETTER_API_MATRIX = {
    "R1":              [200, 200, 200, 404, 403, 403, 403, 403, 401],
    "U1":              [200, 200, 404, 404, 403, 403, 403, 403, 401],
    "E1":              [404, 404, 404, 404, 403, 403, 403, 403, 401],
}  # fmt: skip


@pytest.mark.parametrize(
    ("user", "base", "expected"),
    [
        pytest.param(u, b, LETTER_API_MATRIX[b][i], id=f"{u or 'anonymous'}-{b}")
        for b in LETTER_API_MATRIX
        for i, u in enumerate(USERS)
    ],
)
def test_letter_api_status_by_role(world, letters, user, base, expected):
    api = ApiClient(world[user] if user else None, via="token" if user else "session")

    response = api.request(*LETTER_ENDPOINTS[base])

    assert response.status_code == expected
    if expected == 200:
        assert (response.json()["base"], response.json()["state"]) == (
            base, letters[base].state
        )  # fmt: skip
