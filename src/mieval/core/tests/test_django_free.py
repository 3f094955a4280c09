"""The functional core imports in an interpreter where Django and the rest of mieval cannot be
imported (DESIGN.md, Architecture); import-linter checks the same statically (``lint-imports``),
this checks it at run time, function-level imports included once the modules run."""

import os
import subprocess
import sys
from pathlib import Path

import mieval.core

CORE = Path(mieval.core.__file__).parent

#: Run in a fresh interpreter: a finder first on ``sys.meta_path`` refuses Django, its add-ons
#: and every ``mieval`` package but the core, then every core module named on stdin is imported.
CHILD = r"""
import importlib
import sys

REFUSED = {"django", "ninja", "axes", "csp", "django_htmx"}


class Refuse:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        outside = top == "mieval" and name not in ("mieval", "mieval.core") and not (
            name.startswith("mieval.core.")
        )
        if top in REFUSED or outside:
            raise ImportError(f"{name} may not be imported by the core")
        return None


sys.meta_path.insert(0, Refuse())
names = sys.stdin.read().split()
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.partition(".")[0] in REFUSED)
print(len(names), loaded)
"""


def core_modules() -> list[str]:
    """Every module of mieval.core but the tests, from the files (nothing imported here)."""
    names = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
        if "tests" in parts:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def run_child(names: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD],
        input="\n".join(names),
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "PYTHONPATH": str(CORE.parent.parent),
        },
        timeout=300,
    )


def test_every_core_module_imports_without_django_or_the_rest_of_mieval():
    names = core_modules()
    result = run_child(names)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len(names)), "[]"]
    assert len(names) > 40


def test_the_child_refuses_django_and_other_mieval_packages():
    # The check itself: Django, or a module outside the core, fails to import.
    for name, refused in [
        ("django.conf", "django"),
        ("mieval.lib.models", "mieval.lib"),
        ("mieval.demo", "mieval.demo"),
    ]:
        result = run_child([name])

        assert result.returncode == 1
        assert f"ImportError: {refused} may not be imported by the core" in result.stderr
