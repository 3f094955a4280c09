"""Helpers shared by the subcommands: exit statuses, output, messages, reading the input files
of file mode, database set-up.

Every command returns one of the ``EXIT_*`` statuses (``panels`` adds ``EXIT_INFEASIBLE``)."""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from mieval.core.problems import InputError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def message(text: str) -> None:
    """A message for the person at the terminal: standard error, never mixed with results."""
    print(text, file=sys.stderr)


def notice(text: str) -> None:
    """A notice from a file reader (e.g. the encoding it detected): said, never an error."""
    message(f"mieval: {text}")


def report_input_error(error: InputError) -> int:
    count = error.count
    message(f"mieval: {count:,} problem{'s' if count != 1 else ''} found; nothing was written:")
    for problem in error.problems:
        message(f"  {problem}")
    if error.more:
        message(f"  ... and {error.more:,} more (not listed; correct those above first)")
    return EXIT_BAD_INPUT


def run_guarded(body: Callable[[], int]) -> int:
    """Run a subcommand, turning unusable input into located messages and exit status 2."""
    try:
        return body()
    except InputError as error:
        return report_input_error(error)
    except FileNotFoundError as error:
        message(f"mieval: {error.filename}: no such file")
        return EXIT_BAD_INPUT


def add_data_file_arguments(
    parser: argparse.ArgumentParser, *, campaign: str | None = None, campaigns: bool = False
):
    """The arguments :func:`read_data_files` reads: BASES and VALUES files and
    ``--indicators FILE``; with ``campaign`` (its help), ``--campaign CODE`` instead of the
    two files (which are then optional); with ``campaigns``, ``--campaign`` may be given
    several times (a list)."""
    optional = {"nargs": "?"} if campaign else {}
    parser.add_argument("bases", metavar="BASES", help="bases file (.csv or .xlsx)", **optional)
    parser.add_argument("values", metavar="VALUES", help="values file (.csv or .xlsx)", **optional)
    if campaign:
        repeat = {"action": "append", "metavar": "CODE"} if campaigns else {}
        parser.add_argument("--campaign", help=campaign, **repeat)
    parser.add_argument(
        "--indicators", metavar="FILE", help="indicators file (default: the twelve built in)"
    )


def read_indicators_option(args: argparse.Namespace):
    """File mode: the indicators of ``--indicators FILE``, else the built-in ones."""
    from mieval.core.indicators import builtin_indicators_frame
    from mieval.core.tables import files as tables

    if args.indicators:
        return tables.read_indicators(args.indicators, on_notice=notice)
    return builtin_indicators_frame()


def read_data_files(args: argparse.Namespace, *, indicators=None, refuse_invalid: bool = True):
    """File mode: ``(bases, values, indicators)`` from the files ``args.bases``,
    ``args.values`` and ``--indicators`` (unless ``indicators`` are given), the readers'
    notices said on the terminal. An unusable file raises
    :class:`~mieval.core.problems.InputError`: run the command in :func:`run_guarded`, which
    lists its problems and returns ``EXIT_BAD_INPUT``. ``refuse_invalid=False`` keeps values
    that break a rule (a negative count, an indicator that does not apply) for a check to
    report."""
    from mieval.core.tables import files as tables

    if indicators is None:
        indicators = read_indicators_option(args)
    bases = tables.read_bases(args.bases, on_notice=notice)
    values = tables.read_values(
        args.values,
        indicators=indicators,
        bases=bases,
        refuse_invalid=refuse_invalid,
        on_notice=notice,
    )
    return bases, values, indicators


def write_output(data: str | bytes, out: str | None) -> None:
    """Write a result to ``--out`` or to standard output."""
    if out:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def _shown(text: str) -> str:
    """A bad argument quoted in a message: its start only, when it is long."""
    return text if len(text) <= 24 else text[:20] + "..."


def bounded_int(least: int, most: int):
    """An argparse type: a whole number of ``least``..``most``; anything else is argparse's
    usage error (exit status 2) naming the option and the range."""

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        try:
            value = int(text)
        except ValueError:
            if not (digits.isascii() and digits.isdigit()):
                raise argparse.ArgumentTypeError(
                    f"'{_shown(text)}' is not a whole number"
                ) from None
            value = None  # more digits than Python converts: out of any range
        if value is None or not least <= value <= most:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is outside the allowed range {least} to {most}"
            )
        return value

    return parse


def bounded_float(least: float, most: float):
    """An argparse type: a number of ``least``..``most`` (not NaN)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a number") from None
        if not least <= value <= most:  # NaN fails both comparisons
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is outside the allowed range {least:g} to {most:g}"
            )
        return value

    return parse


def years_check(command: str, years: dict[str, int | None], first: int, last: int, of: str):
    """Exit status 2 after naming every year option outside ``first``-``last`` (the years of a
    campaign or a file), else None."""
    from mieval.core.limits import year_range_problem

    reasons = [
        year_range_problem(name, year, first, last, of)
        for name, year in years.items()
        if year is not None
    ]
    reasons = [r for r in reasons if r]
    for reason in reasons:
        message(f"mieval {command}: {reason}")
    return EXIT_BAD_INPUT if reasons else None


def setup_django() -> None:
    """Database mode: configure Django before touching any model."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieval.settings")
    import django

    django.setup()


def run_on_campaign(command: str, code: str, body: Callable[..., int]) -> int:
    """Database mode: set Django up, find the campaign ``code`` and return ``body(campaign)``,
    guarded as :func:`run_guarded`; ``EXIT_BAD_INPUT`` after saying there is no such campaign."""
    setup_django()

    def guarded() -> int:
        campaign = campaign_lookup(command, code)
        return EXIT_BAD_INPUT if campaign is None else body(campaign)

    return run_guarded(guarded)


def campaign_lookup(command: str, code: str):
    """Database mode: the campaign with this code, or None after saying there is none."""
    from mieval.collection.models import Campaign

    campaign = Campaign.objects.select_related("framework").filter(code=code).first()
    if campaign is None:
        message(f"mieval {command}: there is no campaign '{code}'")
    return campaign
