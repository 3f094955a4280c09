"""``mieval check``: validation rules and outlier tests on a bases and a values file."""

import argparse
import json

from mieval.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_data_file_arguments,
    message,
    read_data_files,
    read_indicators_option,
    run_guarded,
    write_output,
)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "check",
        help="validation rules and outlier tests on yearly values, without importing anything",
        description=(
            "Run the validation rules (the built-in ones, or those of --rules FILE) and the "
            "outlier tests (against each base's own history and against the bases of its "
            "subcategory in the same year) on BASES and VALUES files. Nothing is imported. "
            "A negative value of an indicator that cannot be negative, and a value of an "
            "indicator that does not apply to the base's category, are errors among the "
            "problems. What each test assumes: docs/checks.md. Exit status 0 when no problem "
            "of severity 'error' is found, 1 otherwise, 2 for unreadable input (encoding, "
            "header, text in a number, unknown codes). 数据质量检查：校验规则与异常值检验。"
        ),
    )
    add_data_file_arguments(parser)
    parser.add_argument(
        "--rules",
        metavar="FILE",
        help="rules file (TOML, see examples/rules.toml); default: the built-in rules "
        "(year-over-year change at most x5, non-negative values) and both outlier tests",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--out", metavar="FILE", help="write the result here (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    return run_guarded(lambda: _run(args))


def _run(args) -> int:
    from mieval.core.checks import render as check_render
    from mieval.core.checks import rules as validation
    from mieval.core.checks import run as check

    indicators = read_indicators_option(args)
    rule_set = (
        validation.rules_read(args.rules, indicators=indicators)
        if args.rules
        else validation.default_rule_set(indicators)
    )
    # A negative count or a value of an indicator that does not apply is a problem to list,
    # not a reason to stop: data_check reports it with everything else.
    bases, values, _ = read_data_files(args, indicators=indicators, refuse_invalid=False)
    problems = check.data_check(
        values[["base_code", "indicator_code", "year", "value"]],
        bases,
        rule_set,
        indicators=indicators,
    )
    if args.format == "json":
        output = json.dumps(
            check_render.problems_to_json_dict(problems), ensure_ascii=False, indent=2
        )
        write_output(output + "\n", args.out)
        message(check_render.problems_summary(problems))
    else:
        write_output(check_render.problems_to_text(problems), args.out)
    return EXIT_FAILED if check.has_errors(problems) else EXIT_OK
