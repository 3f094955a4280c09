"""The production command, ``bin/serve``, once, as an operator runs it: gunicorn with two web
workers and one job worker on a fresh SQLite database; the site answers through it in Chromium
(login, a page), static files come from whitenoise under hashed names, compressed and cached
for good; /health/ sees the worker; each request is one line of the log with its duration.

No TLS here: the browser sends ``X-Forwarded-Proto: https`` as the reverse proxy in front of
gunicorn would (``SECURE_PROXY_SSL_HEADER``), so the production settings stay as they are."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PASSWORD = "serve-test-Passw0rd!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    env.update(
        MIEVAL_ENV="production",
        SECRET_KEY="s" * 40 + "-a-random-key-for-the-production-server-test",
        ALLOWED_HOSTS="localhost",
        CSRF_TRUSTED_ORIGINS=f"http://localhost:{port}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'mieval.sqlite3'}",
        MIEVAL_DATA_DIR=str(tmp_path),
        MIEVAL_ADDR=f"127.0.0.1:{port}",
        MIEVAL_WEB_WORKERS="2",
        MIEVAL_JOB_WORKERS="1",
        MIEVAL_HEALTH_DISK_MIN_MB="1",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    with open(tmp_path / "serve.log", "w+") as log:
        yield from _serve(env, port, log, tmp_path)


def _serve(env, port, log, tmp_path):
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://localhost:{port}"
    try:
        # Checks, migrations and collectstatic first: about a minute on a busy 2-core machine.
        deadline = time.monotonic() + 240
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"bin/serve stopped ({server.returncode}):\n{log.read()}")
            try:
                if _get(f"{base}/health/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"bin/serve did not become healthy in 240 s:\n{log.read()}")
            time.sleep(0.5)
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "mieval"), "manage", "createsuperuser", "--no-input",
             "--username", "root", "--email", "root@example.org"],
            env=env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        yield base, tmp_path / "serve.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_bin_serve_serves_the_site_with_its_workers(served, browser):
    base, log = served
    status, _headers, body = _get(f"{base}/health/")
    import json

    health = json.loads(body)
    assert (status, health["status"], health["checks"]["workers"]["alive"]) == (200, "ok", 1)
    assert health["checks"]["database"]["ok"] and health["checks"]["disk"]["ok"]

    context = browser.new_context(
        base_url=base, locale="zh-CN", extra_http_headers={"X-Forwarded-Proto": "https"}
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/accounts/login/")
    # Hashed names from collectstatic's manifest (e.g. web/app.3f2a1b0c9d8e.css).
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert stylesheet.startswith("/static/") and len(stylesheet.rsplit(".", 2)[1]) == 12
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    assert page.goto("/campaigns/").status == 200
    assert errors == []
    context.close()

    status, headers, _ = _get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert "max-age=315360000" in headers["Cache-Control"]
    lines = log.read_text().splitlines()
    assert any(" mieval.requests " in line and "GET /health/ 200 " in line and line.endswith(
        "ms user=-") for line in lines)  # fmt: skip
    assert any("GET /campaigns/ 200 " in line and line.endswith("ms user=root") for line in lines)
    assert any(" mieval.jobs.worker " in line and "worker " in line and ": started" in line
               for line in lines)  # fmt: skip
