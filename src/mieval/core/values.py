"""The one checker of a number typed, uploaded, imported or sent to the API: indicator values,
and with their own columns' :class:`Limits` an expert's scores and a rubric's numbers.

:func:`value_check` parses the text a person wrote (a form field, a CSV or XLSX cell, an API
body) and says whether it is a number that the store keeps *exactly*, on SQLite as on
PostgreSQL, together with the normalised text that is stored (``Value.raw``) and every problem
found (:class:`ValueProblem`, English and, through the message catalogue, Chinese).

What is accepted, and why:

- digits 0-9 (full-width digits are read as such, NFKC), one optional sign (``+`` is dropped,
  ``−`` U+2212 is a minus), an optional decimal point, thousands separators in the form
  ``12,345,678.9``, an exponent (``1.5e3``, which Excel writes for small and large numbers),
  whitespace around the number;
- never NaN, Infinity or sNaN (a missing figure is an empty cell), nor digits of other scripts,
  nor text longer than :data:`MAX_TEXT_LENGTH` characters;
- for storing (``storable=True``): at most :data:`MAX_SIGNIFICANT_DIGITS` significant digits,
  because SQLite keeps a decimal column as a REAL (an IEEE double, 15 exact decimal digits) and
  Django reads it back rounded to 15 digits; at most :data:`MAX_DECIMALS` decimal places and an
  absolute value below 10^20 (:data:`MAX_INTEGER_DIGITS` digits before the point), because the
  column is numeric(28, 8) and Django cannot read back a larger number on SQLite.

Every accepted value is stored as its positional notation (``1.5e3`` is ``1500``, ``007`` is
``7``, ``-0`` is ``0``); trailing zeros after the point stay as typed (``1.50``).

This module is free of Django: the CLI's file mode uses it too. The message templates are
marked for the catalogue with :func:`gettext_noop`; pages translate them with
:meth:`ValueProblem.localized`.
"""

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from mieval.core.limits import excerpt
from mieval.core.problems import ProblemCode

#: Significant digits a stored value keeps exactly: an IEEE double holds 15 (SQLite's REAL).
MAX_SIGNIFICANT_DIGITS = 15
#: Decimal places of the column ``Value.value`` (numeric(28, 8)).
MAX_DECIMALS = 8
#: Digits before the decimal point that the column keeps (28 - 8): the value is below 10^20.
MAX_INTEGER_DIGITS = 20
#: The longest text read as a value; longer text is refused before it is parsed.
MAX_TEXT_LENGTH = 64


@dataclass(frozen=True)
class Limits:
    """What a decimal column keeps exactly: digits before the point, decimal places and
    significant digits (never more than SQLite's REAL keeps)."""

    integer_digits: int
    decimals: int
    significant: int = MAX_SIGNIFICANT_DIGITS

    @classmethod
    def of_column(cls, max_digits: int, decimal_places: int) -> "Limits":
        """The limits of a ``DecimalField(max_digits, decimal_places)``."""
        return cls(
            max_digits - decimal_places,
            decimal_places,
            min(max_digits, MAX_SIGNIFICANT_DIGITS),
        )


#: An indicator value (``Value.value``, numeric(28, 8)).
VALUE_LIMITS = Limits(MAX_INTEGER_DIGITS, MAX_DECIMALS)

# ASCII digits only: Python's \d and Decimal() accept the digits of every script.
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED_RE = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_EXCEL_ERROR_RE = re.compile(r"#(?:N/A|[A-Z/0]+[!?])")
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NOT_FINITE = frozenset({"nan", "snan", "inf", "infinity"})


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue (``makemessages`` finds it by this name) without
    importing Django."""
    return message


# The message templates, one per reason; each names the value and what is allowed. Worded
# like every other message of the file readers (no final stop: they follow "file, line 3: ").
NOT_A_NUMBER = gettext_noop("'%(value)s' is not a number")
NOT_FINITE = gettext_noop("'%(value)s' is not a number; leave the cell empty for a missing value")
BAD_GROUPING = gettext_noop(
    "'%(value)s' is not a number; ',' may only separate groups of three digits (12,345.6) "
    "and decimals need '.'"
)
EXCEL_ERROR = gettext_noop("'%(value)s' is not a number (an Excel error value; fix the formula)")
A_DATE = gettext_noop("'%(value)s' is not a number (a date; format the cell as a number)")
A_PERCENTAGE = gettext_noop("'%(value)s' is not a number; write the number without '%%'")
NOT_FINITE_HERE = gettext_noop("'%(value)s' is too large to be a number here")
TOO_LONG = gettext_noop("'%(value)s' is too long; a value has at most %(max_length)d characters")
TOO_MANY_DIGITS = gettext_noop(
    "%(value)s cannot be stored exactly: it has %(digits)d significant digits; a value has at "
    "most %(max_digits)d significant digits and %(max_decimals)d decimal places, and lies "
    "between -10^%(max_integer)d and 10^%(max_integer)d"
)
TOO_MANY_DECIMALS = gettext_noop(
    "%(value)s cannot be stored exactly: it has %(decimals)d decimal places; a value has at "
    "most %(max_digits)d significant digits and %(max_decimals)d decimal places, and lies "
    "between -10^%(max_integer)d and 10^%(max_integer)d"
)
TOO_LARGE = gettext_noop(
    "%(value)s is too large to be stored: a value lies between -10^%(max_integer)d and "
    "10^%(max_integer)d (at most "
    "%(max_integer)d digits before the decimal point), with at most %(max_digits)d "
    "significant digits and %(max_decimals)d decimal places"
)
NEGATIVE = gettext_noop("%(value)s is negative; this indicator cannot be below 0")
NEGATIVE_INDICATOR = gettext_noop(
    "%(value)s is negative; indicator '%(indicator)s' cannot be below 0"
)


@dataclass(frozen=True)
class ValueProblem:
    """Why a value is refused: an error code and a message template with its parameters."""

    code: ProblemCode
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in English (the CLI, the API, files)."""
        return self.template % self.params

    def localized(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext`` (Django's, on pages)."""
        return gettext(self.template) % self.params


@dataclass(frozen=True)
class CheckedValue:
    """A value as read: the number (None when empty or not a number), the text to store
    ('' when empty or refused) and every problem found (none: it may be stored)."""

    number: Decimal | None
    raw: str
    problems: tuple[ValueProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def empty(self) -> bool:
        return self.number is None and not self.problems


def value_check(
    text: str | None,
    *,
    non_negative: bool = False,
    indicator: str = "",
    storable: bool = True,
    limits: Limits = VALUE_LIMITS,
) -> CheckedValue:
    """Parse and check one value.

    Parameters
    ----------
    text : str or None
        As typed; None or only whitespace is an empty value (no problem, nothing to store).
    non_negative : bool
        The indicator cannot be below 0 (a negative value is a problem).
    indicator : str
        The indicator's code, named in the message about a negative value.
    storable : bool
        Check that the store keeps the value exactly (``limits``). Without it (the CLI's file
        mode, which computes in float64) any finite number of :data:`MAX_TEXT_LENGTH`
        characters is accepted.
    limits : Limits
        Of the column the value goes into: an indicator value's by default; an expert's score
        or a rubric's weight have their own (``Limits.of_column``).

    Returns
    -------
    CheckedValue
        With ``raw`` the positional notation to store when there is no problem.
    """
    if text is None or not text.strip():
        return CheckedValue(None, "")
    if len(text) > MAX_TEXT_LENGTH:
        return _refused(
            ProblemCode.OUT_OF_RANGE,
            TOO_LONG,
            value=excerpt(text.strip()),
            length=len(text),
            max_length=MAX_TEXT_LENGTH,
        )
    typed = excerpt(text.strip())
    normal = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    if _GROUPED_RE.fullmatch(normal):
        normal = normal.replace(",", "")
    if not _DECIMAL_RE.fullmatch(normal):
        return _refused(ProblemCode.NOT_A_NUMBER, _not_a_number(normal), value=typed)
    try:
        number = Decimal(normal)
    except InvalidOperation:  # an exponent beyond what Decimal holds: '1e99999999999999999999'
        return _refused(ProblemCode.OUT_OF_RANGE, NOT_FINITE_HERE, value=typed)
    sign, digits, exponent = number.as_tuple()
    # Only the digits and the exponent are looked at before the number is known to be small:
    # '1e999999999' is short text, but its positional notation is not.
    significant = digits
    while len(significant) > 1 and significant[-1] == 0:
        significant = significant[:-1]
    zero = significant == (0,)
    integer_digits = 0 if zero else len(digits) + exponent
    decimals = max(0, -exponent)
    problems = []
    if storable:
        allowed = {
            "max_digits": limits.significant,
            "max_decimals": limits.decimals,
            "max_integer": limits.integer_digits,
        }
        shown = typed
        if integer_digits > limits.integer_digits:
            problems.append(
                ValueProblem(ProblemCode.OUT_OF_RANGE, TOO_LARGE, {"value": shown, **allowed})
            )
        elif len(significant) > limits.significant and not zero:
            problems.append(
                ValueProblem(
                    ProblemCode.OUT_OF_RANGE,
                    TOO_MANY_DIGITS,
                    {"value": shown, "digits": len(significant), **allowed},
                )
            )
        elif decimals > limits.decimals:
            problems.append(
                ValueProblem(
                    ProblemCode.OUT_OF_RANGE,
                    TOO_MANY_DECIMALS,
                    {"value": shown, "decimals": decimals, **allowed},
                )
            )
    elif not math.isfinite(float(number)):
        problems.append(ValueProblem(ProblemCode.OUT_OF_RANGE, NOT_FINITE_HERE, {"value": typed}))
    raw = "" if problems else format(number, "f")
    if non_negative and sign and not zero:
        # Said of a value refused for its size too: every problem at once.
        shown = raw or typed
        template, params = NEGATIVE, {"value": shown}
        if indicator:
            template, params = NEGATIVE_INDICATOR, {"value": shown, "indicator": indicator}
        problems.append(ValueProblem(ProblemCode.NEGATIVE, template, params))
    if zero:
        # PostgreSQL's numeric has no negative zero; neither has the stored text.
        return CheckedValue(abs(number), raw.lstrip("-"))
    if not raw:
        return CheckedValue(None, "", tuple(problems))
    return CheckedValue(Decimal(raw), raw, tuple(problems))


def _refused(code: ProblemCode, template: str, **params) -> CheckedValue:
    return CheckedValue(None, "", (ValueProblem(code, template, params),))


def _not_a_number(normal: str) -> str:
    folded = normal.casefold().lstrip("+-")
    if folded in _NOT_FINITE:
        return NOT_FINITE
    if "," in normal:
        return BAD_GROUPING
    if _EXCEL_ERROR_RE.fullmatch(normal):
        return EXCEL_ERROR
    if _ISO_DATE_RE.match(normal):
        return A_DATE
    if normal.endswith("%"):
        return A_PERCENTAGE
    return NOT_A_NUMBER


def is_same_number(stored_raw: str, new_raw: str) -> bool:
    """Whether a stored value's text and a checked new one (``value_check(...).raw``) are the
    same number, whatever their spelling ("1.5" and "1.50")."""
    if stored_raw == new_raw:
        return True
    stored = value_check(stored_raw, storable=False).number
    return stored is not None and stored == Decimal(new_raw)
