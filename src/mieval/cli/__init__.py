"""The ``mieval`` command: analysts' tools in file mode and database mode.

Each subcommand is a module of this package with ``add_parser(subparsers)`` and
``run(args) -> int``. Results go to standard output or ``--out``; messages and progress go to
standard error. Exit status 0 on success, 2 for unusable input.
"""

import argparse
import importlib
import sys

from mieval import __version__

SUBCOMMANDS = [
    "sample",
    "trends",
    "report",
    "check",
    "index",
    "panels",
    "import_",
    "export",
    "audit",
    "manage",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mieval",
        description=(
            "mieval: evaluation of national mass innovation and entrepreneurship demonstration "
            "bases. 双创示范基地第三方评估工具。"
        ),
    )
    parser.add_argument("--version", action="version", version=f"mieval {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"mieval.cli.{name}")
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        # Django's own parser handles everything after "manage".
        from mieval.cli.manage import run_manage

        return run_manage(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
