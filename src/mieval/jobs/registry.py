"""Job functions by kind. An app's ``tasks`` module registers its functions::

    @job("index_run")
    def index_run(params: dict, progress) -> dict:
        progress(0.5, "half way")
        return {"url": ...}

The function receives the job's ``params`` and ``progress(fraction, message)``; what it returns
(JSON) is the job's result, with ``url`` the page of the result when there is one. An exception
fails the job with its message. ``progress.job`` is the :class:`~mieval.jobs.models.Job` row.
"""

from collections.abc import Callable

JobFunction = Callable[[dict, Callable[[float, str], None]], dict | None]

JOBS: dict[str, JobFunction] = {}


def job(kind: str):
    def register(function: JobFunction) -> JobFunction:
        if kind in JOBS and JOBS[kind] is not function:
            raise ValueError(f"the job kind '{kind}' is registered twice")
        JOBS[kind] = function
        return function

    return register


def job_function(kind: str) -> JobFunction:
    try:
        return JOBS[kind]
    except KeyError:
        raise ValueError(
            f"unknown job kind '{kind}'; known kinds: {', '.join(sorted(JOBS)) or 'none'}"
        ) from None
