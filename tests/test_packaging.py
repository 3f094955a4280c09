"""The installed package needs nothing from the dev extras: every third-party module that
runtime code imports belongs to a runtime dependency of ``pyproject.toml``.

A plain install (``pip install mieval``, ``bin/demo``) has no dev extras, so an import of a
dev-only package anywhere outside the tests (even inside a function) is a 500 waiting for the
first user who reaches that line; ``bin/smoke`` checks the same from the outside.
"""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mieval"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def runtime_code() -> list[Path]:
    """Every module of the package but the tests (``tests/`` folders and pytest's conftest)."""
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts and path.name != "conftest.py"
    )


def imported_modules(path: Path) -> set[str]:
    """Top-level names of the absolute imports of one file, wherever they stand."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_runtime_code_imports_only_runtime_dependencies():
    runtime = {_requirement_name(r) for r in _project()["dependencies"]}
    distributions = metadata.packages_distributions()
    wrong = []
    for path in runtime_code():
        for module in sorted(imported_modules(path)):
            if module in sys.stdlib_module_names or module == "mieval":
                continue
            owners = {_normalise(d) for d in distributions.get(module, [])}
            if not owners & runtime:
                where = path.relative_to(ROOT)
                wrong.append(f"{where}: {module} ({', '.join(sorted(owners)) or 'not installed'})")
    assert wrong == []


def test_dev_extras_are_not_runtime_dependencies():
    # The same pin in both lists would hide a missing runtime dependency from this test.
    project = _project()
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    dev = {_requirement_name(r) for r in project["optional-dependencies"]["dev"]}
    assert runtime & dev == set()


def test_the_profile_splitter_is_a_runtime_dependency():
    # reports/render.py splits the profiles' PDF into one file per base with pypdfium2.
    runtime = {_requirement_name(r) for r in _project()["dependencies"]}
    assert "pypdfium2" in runtime


def test_bin_test_runs_the_smoke_test_of_a_plain_install():
    script = (ROOT / "bin" / "test").read_text(encoding="utf-8")
    assert "bin/smoke" in script
