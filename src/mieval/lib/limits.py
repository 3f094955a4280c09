"""The largest (and smallest) values that pages, the API and the ``mieval`` command accept.

Every size-like parameter a person or a script sends is checked against these before any work
starts, so that a request can neither exhaust the server nor overflow the database's 64-bit
integers (``offset=2**70`` used to reach SQLite as an OverflowError). The README's table
"Limits" lists them with where each applies; keep the two in step.

Years are bounded twice: here to a plausible calendar range, and then, where a campaign or a
file is at hand, to its own years (see :func:`year_range_problem`).

The functional core has its own guards (``analytics.trends.MAX_YEARS``,
``panels.optimiser.PanelConfig``), so that a caller that skips these checks gets a clear
ValueError instead of an allocation it cannot afford.
"""

#: Years anywhere (files, batches, query parameters): a plausible calendar range.
YEAR_MIN, YEAR_MAX = 1900, 2100

#: Database ids (BigAutoField) in paths and forms: a signed 64-bit integer.
ID_MAX = 2**63 - 1

#: Version numbers (optimistic locking, framework versions): PositiveIntegerField's range on
#: every database.
VERSION_MAX = 2**31 - 1

#: API pages (``limit``, ``offset``): items per page and items skipped.
PAGE_LIMIT_DEFAULT = 100
PAGE_LIMIT_MAX = 1000
PAGE_OFFSET_MAX = 10**9

#: Monte Carlo runs of an index run (page, ``mieval index --runs``, ``request_index_runs``).
RUNS_MAX = 5000

#: Relative weight noise of those runs: a share of each weight.
NOISE_MAX = 1.0

#: Random seeds: numpy takes any size, the panel optimiser (CP-SAT) a signed 32-bit integer.
SEED_MAX = 2**31 - 1

#: Days until an API token expires.
TOKEN_DAYS_MAX = 3650

#: Days ahead of a scoring deadline (``send_score_reminders --within``).
REMINDER_DAYS_MAX = 366

#: Seconds between two looks at the job queue (``run_jobs --poll``).
POLL_SECONDS_MAX = 3600


def year_range_problem(name: str, year: int, first: int, last: int, of: str) -> str | None:
    """Why ``year`` (the parameter ``name``) is outside ``first``-``last``, the years ``of``
    something ("campaign 'demo'", "the values file"), or None when it is inside."""
    if first <= year <= last:
        return None
    return f"{name} {year} is outside the years of {of}, {first}-{last}"
