"""The per-process copy of verifications: no round trip for a seen token, still coherent."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django_redis import get_redis_connection

from accounts.local_verifications import (
    INVALIDATION_CHANNEL,
    LocalVerifications,
    local_verifications,
)
from accounts.models import ApiToken

ROOT = Path(__file__).resolve().parents[2]
URL = "/v1/probe"

pytestmark = [pytest.mark.urls("tests.probe_urls")]


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _shared_cache_reads() -> int:
    stats = get_redis_connection("default").info("commandstats")
    return sum(stats.get(name, {}).get("calls", 0) for name in ("cmdstat_mget", "cmdstat_get"))


def test_a_seen_token_costs_no_shared_cache_read_and_no_query(
    client, geog_token, geog_organization, django_assert_num_queries
):
    # An unlimited organization: no rate-limit counter either, so nothing reads Redis.
    token = geog_token(organization=geog_organization(slug="big", tier="unlimited"))
    assert client.get(URL, **_bearer(token)).status_code == 200
    reads_before = _shared_cache_reads()
    with django_assert_num_queries(0):
        for _ in range(5):
            assert client.get(URL, **_bearer(token)).status_code == 200
    assert _shared_cache_reads() == reads_before


def test_a_different_string_for_the_same_token_is_verified_again(client, geog_token):
    token = geog_token()
    assert client.get(URL, **_bearer(token)).status_code == 200
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    response = client.get(URL, **_bearer(forged))
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_TOKEN"


def test_revocation_by_another_process_applies_to_the_next_request(
    client, geog_token, transactional_db
):
    token = geog_token()
    assert client.get(URL, **_bearer(token)).status_code == 200
    assert client.get(URL, **_bearer(token)).status_code == 200
    public_id = ApiToken.objects.get().public_id
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
            f"/{settings_dict['NAME']}"
        ),
    }
    script = (
        "from accounts.services import api_token_revoke; from accounts.models import ApiToken;"
        f"api_token_revoke(api_token=ApiToken.objects.get(public_id={public_id!r}))"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )
    response = client.get(URL, **_bearer(token))
    assert response.status_code == 401
    assert response.json()["message"] == "Token has been revoked"


def _subscribed(copy: LocalVerifications) -> int:
    """Let the copy subscribe (a first lookup does) and return its generation."""
    copy.get("geog:auth:token:none")
    return copy.generation


def test_threads_look_up_side_by_side_and_see_invalidations(settings):
    copy = LocalVerifications(redis_url=settings.REDIS_URL)
    copy.put("geog:auth:token:tok_t", {"digest": "d"}, 60, since=_subscribed(copy))
    failures: list[BaseException] = []
    started = threading.Barrier(5)

    def look_up() -> None:
        started.wait()
        try:
            for _ in range(2000):
                copy.get_many(("geog:auth:token:tok_t", "geog:auth:org:1"))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=look_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    get_redis_connection("default").publish(INVALIDATION_CHANNEL, "geog:auth:token:tok_t")
    for thread in threads:
        thread.join()
    assert failures == []
    deadline = time.monotonic() + 10
    while copy.get("geog:auth:token:tok_t") is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert copy.get("geog:auth:token:tok_t") is None


def test_an_invalidation_message_drops_the_entry(settings):
    copy = LocalVerifications(redis_url=settings.REDIS_URL)
    copy.put("geog:auth:token:tok_a", {"digest": "d"}, 60, since=_subscribed(copy))
    assert copy.get("geog:auth:token:tok_a") == {"digest": "d"}
    get_redis_connection("default").publish(INVALIDATION_CHANNEL, "geog:auth:token:tok_a")
    # The message crosses Redis: wait for it (bounded) rather than for a number of polls.
    deadline = time.monotonic() + 10
    while copy.get("geog:auth:token:tok_a") is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert copy.get("geog:auth:token:tok_a") is None


def test_a_read_that_raced_an_invalidation_is_not_kept(settings):
    copy = LocalVerifications(redis_url=settings.REDIS_URL)
    since = _subscribed(copy)
    copy.forget("geog:auth:token:tok_b")
    copy.put("geog:auth:token:tok_b", {"digest": "stale"}, 60, since=since)
    assert copy.get("geog:auth:token:tok_b") is None


def test_the_copy_is_off_without_a_live_subscription():
    copy = LocalVerifications(redis_url="redis://127.0.0.1:1/0")
    copy.put("geog:auth:token:tok_c", {"digest": "d"}, 60, since=_subscribed(copy))
    assert copy.get("geog:auth:token:tok_c") is None


def test_the_copy_is_off_without_redis(settings):
    settings.REDIS_URL = ""
    copy = local_verifications()
    copy.put("geog:auth:token:tok_d", {"digest": "d"}, 60, since=copy.generation)
    assert copy.get("geog:auth:token:tok_d") is None
    copy.put("geog:auth:token:tok_d", {"digest": "d"}, 60, since=copy.generation)
    assert copy.get("geog:auth:token:tok_d") is None


def test_the_copy_holds_a_bounded_number_of_entries(settings, monkeypatch):
    monkeypatch.setattr("accounts.local_verifications.MAX_ENTRIES", 3)
    copy = LocalVerifications(redis_url=settings.REDIS_URL)
    since = _subscribed(copy)
    for index in range(5):
        copy.put(f"k{index}", {"n": index}, 60, since=since)
    assert [copy.get(f"k{index}") for index in range(5)] == [
        None,
        None,
        {"n": 2},
        {"n": 3},
        {"n": 4},
    ]
