import logging
import os
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import requests
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django_redis import get_redis_connection
from prometheus_client.parser import text_string_to_metric_families

pytestmark = [pytest.mark.urls("tests.probe_urls")]

PROBE_URL = "/v1/probe"
WINDOW = 3600
NOW = 1_900_000_000


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _window_end(organization_id: int, now: int, period: int, family: str = "tiles") -> int:
    """Fixed windows of a key start on epoch multiples shifted by the key's fixed offset."""
    offset = zlib.crc32(f"geog:{family}:{organization_id}".encode()) % period
    return now - (now - offset) % period + period


@pytest.fixture
def clock(settings):
    """A frozen clock for the rate-limit window, moved by hand."""
    settings.GEOG_RATE_WINDOW = WINDOW
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def free_org(geog_organization, settings):
    settings.GEOG_FREE_TILES_PER_WINDOW = 3
    settings.GEOG_FREE_API_PER_WINDOW = 2
    return geog_organization(slug="freebie", tier="free")


@pytest.mark.django_db
def test_request_over_the_limit_gets_429_with_headers_and_retry_after(
    client, clock, free_org, geog_token
):
    token = geog_token(organization=free_org)
    reset = _window_end(free_org.pk, NOW, WINDOW)
    for remaining in (2, 1, 0):
        response = client.get(PROBE_URL, **_bearer(token))
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == str(remaining)
        assert response["X-RateLimit-Reset"] == str(reset)

    response = client.get(PROBE_URL, **_bearer(token))
    seconds = reset - NOW
    assert response.status_code == 429
    assert response.json() == {
        "success": False,
        "error": "Too Many Requests",
        "message": f"Rate limit exceeded. Please retry after {seconds} seconds.",
        "code": "RATE_LIMIT_EXCEEDED",
        "retryAfter": seconds,
    }
    assert response["Retry-After"] == str(seconds)
    assert response["X-RateLimit-Limit"] == "3"
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-RateLimit-Reset"] == str(reset)


@pytest.mark.django_db
def test_window_reset_serves_requests_again(client, clock, free_org, geog_token):
    token = geog_token(organization=free_org)
    for _ in range(3):
        client.get(PROBE_URL, **_bearer(token))
    assert client.get(PROBE_URL, **_bearer(token)).status_code == 429

    later = _window_end(free_org.pk, NOW, WINDOW) + 1
    clock.move_to(later)
    response = client.get(PROBE_URL, **_bearer(token))
    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"
    assert response["X-RateLimit-Reset"] == str(_window_end(free_org.pk, later, WINDOW))


@pytest.mark.django_db
def test_families_and_organizations_are_counted_apart(
    api_client, clock, free_org, geog_organization, geog_token
):
    token = geog_token(organization=free_org)
    for _ in range(3):
        api_client.get(PROBE_URL, **_bearer(token))
    exchange = api_client.post("/v1/auth/token", {}, format="json", **_bearer(token))
    assert exchange.status_code == 200
    assert exchange["X-RateLimit-Limit"] == "2"
    assert exchange["X-RateLimit-Remaining"] == "1"
    other = geog_token(organization=geog_organization(slug="other", tier="free"))
    assert api_client.get(PROBE_URL, **_bearer(other))["X-RateLimit-Remaining"] == "2"


@pytest.mark.django_db
def test_organization_override_replaces_the_free_limit(client, clock, free_org, geog_token):
    from accounts.services import organization_update

    organization_update(organization=free_org, tiles_per_window=5)
    response = client.get(PROBE_URL, **_bearer(geog_token(organization=free_org)))
    assert response["X-RateLimit-Limit"] == "5"
    assert response["X-RateLimit-Remaining"] == "4"


@pytest.mark.django_db
def test_unlimited_tier_is_not_counted_and_gets_no_headers(
    client, clock, settings, geog_organization, geog_token
):
    settings.GEOG_FREE_TILES_PER_WINDOW = 1
    token = geog_token(organization=geog_organization(slug="big", tier="unlimited"))
    for _ in range(3):
        response = client.get(PROBE_URL, **_bearer(token))
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response
        assert "X-RateLimit-Remaining" not in response


@pytest.mark.django_db
def test_errors_after_the_check_carry_the_headers_and_auth_errors_do_not(
    api_client, clock, free_org, geog_token
):
    token = geog_token(organization=free_org)
    invalid = api_client.post("/v1/auth/token", {"ttl": 0}, format="json", **_bearer(token))
    assert invalid.status_code == 400
    assert invalid["X-RateLimit-Remaining"] == "1"
    unauthenticated = api_client.post("/v1/auth/token", {}, format="json")
    assert unauthenticated.status_code == 401
    assert "X-RateLimit-Limit" not in unauthenticated


def _failures(client) -> float:
    text = client.get("/metrics").content.decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "geog_rate_limit_cache_failures_total" and sample.labels == {
                "family": "tiles"
            }:
                return sample.value
    return 0.0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_unreachable_cache_fails_open_logged_and_counted(
    client, free_org, geog_token, settings, caplog
):
    token = geog_token(organization=free_org)
    before = _failures(client)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with caplog.at_level(logging.WARNING, logger="accounts.rate_limits"):
        for _ in range(4):
            response = client.get(PROBE_URL, **_bearer(token))
            assert response.status_code == 200
            assert "X-RateLimit-Limit" not in response
    assert "geog_rate_limit_cache_unavailable" in caplog.messages
    assert _failures(client) == before + 4


@pytest.mark.django_db
def test_django_ratelimit_families_fail_open_too_when_the_cache_is_unreachable(
    api_client, free_org, geog_token, settings, caplog
):
    token = geog_token(scopes="places:read", organization=free_org)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with caplog.at_level(logging.WARNING, logger="accounts.rate_limits"):
        exchange = api_client.post("/v1/auth/token", {}, format="json", **_bearer(token))
        search = api_client.post(
            "/v1/places/search",
            {"location": {"lat": 48.8566, "lon": 2.3522}},
            format="json",
            **_bearer(token),
        )
    assert (exchange.status_code, search.status_code) == (200, 200)
    assert "X-RateLimit-Limit" not in exchange
    assert "X-RateLimit-Places-Limit" not in search
    assert caplog.messages.count("geog_rate_limit_cache_unavailable") == 2


@pytest.mark.django_db
def test_counting_goes_on_when_redis_drops_connections_or_forgets_the_script(
    client, clock, free_org, geog_token
):
    token = geog_token(organization=free_org)
    assert client.get(PROBE_URL, **_bearer(token))["X-RateLimit-Remaining"] == "2"
    redis_connection = get_redis_connection("default")
    # What a restart of Redis does to the connections the service holds.
    assert redis_connection.client_kill_filter(_type="normal", skipme=True) >= 1
    assert client.get(PROBE_URL, **_bearer(token))["X-RateLimit-Remaining"] == "1"
    redis_connection.script_flush()
    assert client.get(PROBE_URL, **_bearer(token))["X-RateLimit-Remaining"] == "0"
    assert client.get(PROBE_URL, **_bearer(token)).status_code == 429


def _gunicorn(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_until_serving(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"{base_url}/health/live", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {base_url} did not start")


@pytest.mark.django_db(transaction=True)
def test_counter_is_shared_between_two_server_processes(geog_organization, geog_token):
    organization = geog_organization(slug="shared", tier="free")
    token = geog_token(scopes="admin:access", organization=organization)
    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.CACHES["default"]["LOCATION"],
        "DEBUG": "false",
        "GEOG_FREE_API_PER_WINDOW": "3",
        # A window so long that no boundary falls within the test.
        "GEOG_RATE_WINDOW": "100000000",
        "PROMETHEUS_MULTIPROC_DIR": "",
    }
    ports = [_closed_port(), _closed_port()]
    servers = [_gunicorn(port, env) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, server in zip(urls, servers, strict=True):
            _wait_until_serving(url, server)
        headers = {"Authorization": f"Bearer {token}"}
        answers = [
            requests.get(f"{urls[index % 2]}/v1/tokens", headers=headers, timeout=10)
            for index in range(4)
        ]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0"]
    assert answers[3].json()["retryAfter"] == int(answers[3].headers["Retry-After"])
