"""GET /health/: the database, the background workers' signs of life, the free disk."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mieval.jobs.services import worker_beat, worker_leave, workers_alive

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get("/health/")
    body = response.json()
    body["checks"]["database"].pop("ms", None)
    body["checks"]["disk"].pop("free_mb")
    return response.status_code, body


def test_healthy_with_a_worker_seen_lately(client, settings):
    settings.HEALTH_DISK_MIN_BYTES = 1024 * 1024
    worker_beat(name="web1:4242", started_at=timezone.now())

    assert _health(client) == (
        200,
        {
            "status": "ok",
            "checks": {
                "database": {"ok": True},
                "workers": {"ok": True, "alive": 1},
                "disk": {"ok": True, "min_mb": 1},
            },
        },
    )


def test_no_worker_or_too_little_disk_is_503(client, settings):
    settings.HEALTH_DISK_MIN_BYTES = 2**60  # more than any disk has
    status, body = _health(client)

    assert (status, body["status"]) == (503, "fail")
    assert body["checks"]["workers"] == {"ok": False, "alive": 0}
    assert body["checks"]["disk"] == {"ok": False, "min_mb": 2**40}


def test_eager_jobs_need_no_worker(client, settings):
    settings.JOBS_EAGER = True
    settings.HEALTH_DISK_MIN_BYTES = 0

    assert _health(client)[1]["checks"]["workers"] == {"ok": True, "alive": 0, "eager": True}


def test_a_worker_counts_while_it_beats_and_not_after_it_left():
    now = timezone.now()
    worker_beat(name="jobs1:1", started_at=now)
    worker_beat(name="jobs2:2", started_at=now)

    assert workers_alive(now) == 2
    assert workers_alive(now + timedelta(seconds=121)) == 0  # silent for over 120 s
    worker_leave(name="jobs1:1")
    assert workers_alive(now) == 1


def test_each_request_is_one_log_line_with_its_duration(client, settings, caplog, alice):
    settings.REQUEST_LOG = True
    client.force_login(alice)

    with caplog.at_level("INFO", logger="mieval.requests"):
        client.get("/campaigns/?page=1")

    [record] = [r for r in caplog.records if r.name == "mieval.requests"]
    method, path, status, ms, unit, user = record.getMessage().split(" ")
    assert (method, path, status, unit, user) == (
        "GET",
        "/campaigns/?page=1",
        "200",
        "ms",
        "user=alice",
    )
    assert float(ms) > 0
