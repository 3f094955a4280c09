"""The health endpoint, ``GET /health/``, for a load balancer and an operator's monitoring.

Three checks, each ``{"ok": bool, ...}``: the database answers a query (and how long it took),
at least one background worker gave a sign of life lately (``jobs.services.workers_alive``;
not needed where jobs run in the request, ``MIEVAL_JOBS_EAGER``), and the data folder (uploads,
reports) has at least ``MIEVAL_HEALTH_DISK_MIN_MB`` free. 200 when all pass, 503 otherwise.
It needs no login and says nothing beyond these figures (no paths, no versions).
"""

import shutil
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mieval.jobs.services import workers_alive


def _database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _workers(database_ok: bool) -> dict:
    if settings.JOBS_EAGER:
        return {"ok": True, "alive": 0, "eager": True}
    if not database_ok:
        return {"ok": False, "alive": None}
    alive = workers_alive()
    return {"ok": alive > 0, "alive": alive}


def _disk() -> dict:
    folder = settings.DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    return {
        "ok": free >= settings.HEALTH_DISK_MIN_BYTES,
        "free_mb": free // (1024 * 1024),
        "min_mb": settings.HEALTH_DISK_MIN_BYTES // (1024 * 1024),
    }


@never_cache
@require_GET
def health(request):
    database = _database()
    checks = {"database": database, "workers": _workers(database["ok"]), "disk": _disk()}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
