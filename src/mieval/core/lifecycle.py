"""A base's lifecycle without the database: its statuses and when it counts as active.

A base is designated (认定) in its batch, by a document of the year the batch is named after;
it may be renamed; a withdrawal (摘牌) or a merger into another base ends it, on a date.
Its status follows from those events: ``active`` until one of them ends it, then ``withdrawn``
or ``merged``.

A base is *active in* the years ``first_year``-``last_year`` when it was designated by the end
of the last year (its batch is at most ``last_year``) and had not ended before 1 January of the
first year. A base that ended during the first year still counts: it was a base for part of
that year, and that year's data is evaluated. This is the rule of a campaign's scope; the
registry's ``Base.objects.active_in`` is the same rule in SQL.
"""

import datetime as dt

ACTIVE = "active"
WITHDRAWN = "withdrawn"
MERGED = "merged"

#: The statuses of a base, as the ``status`` column of a bases file writes them.
STATUSES = (ACTIVE, WITHDRAWN, MERGED)
#: The statuses that end a base's lifecycle (and the kinds of event that set them).
ENDED = (WITHDRAWN, MERGED)

#: Names a person may write for a status, for the reader's "did you mean" hint.
STATUS_NAMES = {
    ACTIVE: ("在册", "正常", "Active"),
    WITHDRAWN: ("摘牌", "已摘牌", "Withdrawn"),
    MERGED: ("合并", "已合并", "Merged"),
}


def is_active_in(*, batch: int, ended_on: dt.date | None, first_year: int, last_year: int) -> bool:
    """Whether a base of ``batch`` that ended on ``ended_on`` (None: it has not) is active in
    the years ``first_year``-``last_year`` (see the module's rule)."""
    if first_year > last_year:
        raise ValueError(f"first year {first_year} is after last year {last_year}")
    if batch > last_year:
        return False
    return ended_on is None or ended_on >= dt.date(first_year, 1, 1)
