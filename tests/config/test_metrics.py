"""/metrics adds up every web worker under the Procfile's command, and can be restricted."""

import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings

from authn.internal_tokens import internal_token_issue

STARTUP_SECONDS = 90
FAILURES = 13
SCRAPES = 6


def _procfile_web_command() -> str:
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web process")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, Message, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def web_server(tmp_path):
    """The Procfile's web command with two workers on a free loopback port."""
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    # Loopback only, whatever the Procfile binds in production.
    command = _procfile_web_command().replace("0.0.0.0", "127.0.0.1")
    with open(tmp_path / "web.log", "wb") as log:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if _get(f"{base}/health/live")[0] == 200:
                break
        except OSError:
            time.sleep(0.5)
    try:
        yield base, tmp_path / "metrics", tmp_path / "web.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _missing_sub_count(text: str) -> float:
    pattern = r'^auth_failures_total\{api="latentgeo",code="missing_sub"\} (\S+)$'
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_both_workers_under_the_procfile_command(web_server):
    base, metrics_dir, log_path = web_server
    assert _get(f"{base}/health/live")[0] == 200, log_path.read_text()[-3000:]
    headers = {"Authorization": f"Bearer {internal_token_issue(sub='')}"}

    def rejected(_index: int) -> str:
        status, response_headers, _body = _get(f"{base}/api/v1/audits", headers)
        assert status == 401
        return response_headers["X-Auth-Error-Code"]

    # Concurrent requests, each on its own connection, so both workers take some of them.
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(rejected, range(FAILURES))) == {"missing_sub"}

    counts = [_missing_sub_count(_get(f"{base}/metrics")[2]) for _ in range(SCRAPES)]
    assert counts == [FAILURES] * SCRAPES
    # Each worker process keeps its own file; the scrape added them up.
    assert list(metrics_dir.glob("counter_*.db"))


@pytest.mark.parametrize(
    ("token", "networks", "authorization", "status"),
    [
        ("s3cret-scrape-token", [], None, 401),
        ("s3cret-scrape-token", [], "Bearer wrong", 401),
        ("s3cret-scrape-token", [], "Bearer s3cret-scrape-token", 200),
        ("", ["10.0.0.0/8"], None, 403),
        ("", ["127.0.0.0/8"], None, 200),
        ("s3cret-scrape-token", ["10.0.0.0/8"], "Bearer s3cret-scrape-token", 200),
        ("", [], None, 200),
    ],
)
def test_metrics_can_be_restricted_by_token_or_network(
    client, settings, token, networks, authorization, status
):
    settings.METRICS_BEARER_TOKEN = token
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network(network) for network in networks]
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == "Bearer"
