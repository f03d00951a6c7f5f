"""The usage flush: exact, idempotent across crashes, and exact under concurrent traffic."""

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

import accounts.usage_flush
from accounts.models import UsageDay, UsageFlush
from accounts.usage_flush import usage_flush
from rate_limits.tallies import tally_batches_claim
from tests.places.conftest import skip_on_sqlite, sqlite_run
from tests.procfile_web import procfile_web_running

pytestmark = pytest.mark.urls("tests.probe_urls")


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _counted(family: str = "tiles") -> int:
    return sum(UsageDay.objects.filter(family=family).values_list("count", flat=True))


@pytest.fixture
def hits(client, geog_organization, geog_token):
    """`hits(n)` sends n counted requests of the tiles family."""
    token = geog_token(organization=geog_organization(slug="flushed", tier="unlimited"))

    def send(count: int) -> None:
        for _ in range(count):
            assert client.get("/v1/probe", **_bearer(token)).status_code == 200

    return send


class SimulatedCrashError(Exception):
    """What a process killed at that point would leave behind (nothing after it runs)."""


@pytest.mark.django_db
def test_flush_writes_each_count_once_and_an_empty_flush_writes_nothing(hits):
    hits(3)
    assert usage_flush() == 1
    assert _counted() == 3
    assert usage_flush() == 0
    hits(2)
    usage_flush()
    assert _counted() == 2 + 3
    assert UsageDay.objects.count() == 1


@pytest.mark.django_db
def test_crash_between_reading_and_writing_loses_nothing(hits, monkeypatch):
    hits(4)
    write = accounts.usage_flush._batch_write

    def crash(**kwargs):
        raise SimulatedCrashError

    monkeypatch.setattr(accounts.usage_flush, "_batch_write", crash)
    with pytest.raises(SimulatedCrashError):
        usage_flush()
    assert _counted() == 0
    # Requests go on while the claimed batch waits for the next flush.
    hits(1)

    monkeypatch.setattr(accounts.usage_flush, "_batch_write", write)
    assert usage_flush() == 2
    assert _counted() == 5
    assert tally_batches_claim() == []


@pytest.mark.django_db
def test_crash_between_writing_and_forgetting_doubles_nothing(hits, monkeypatch):
    hits(4)
    forget = accounts.usage_flush.tally_batch_forget

    def crash(batch_id):
        raise SimulatedCrashError

    monkeypatch.setattr(accounts.usage_flush, "tally_batch_forget", crash)
    with pytest.raises(SimulatedCrashError):
        usage_flush()
    assert _counted() == 4
    hits(1)

    monkeypatch.setattr(accounts.usage_flush, "tally_batch_forget", forget)
    # The written batch is only forgotten; the new one is written.
    assert usage_flush() == 1
    assert _counted() == 5
    assert tally_batches_claim() == []


@pytest.mark.django_db
def test_a_batch_written_twice_adds_its_counts_once(hits):
    hits(3)
    (batch_id,) = tally_batches_claim()
    counts = accounts.usage_flush.tally_batch_read(batch_id)
    assert accounts.usage_flush._batch_write(batch_id=batch_id, counts=counts) is True
    assert accounts.usage_flush._batch_write(batch_id=batch_id, counts=counts) is False
    assert _counted() == 3
    assert UsageFlush.objects.filter(batch_id=batch_id).count() == 1


@pytest.mark.django_db
def test_flush_usage_command_writes_the_counts(hits):
    from django.core.management import call_command

    hits(2)
    call_command("flush_usage", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _counted() == 2


@skip_on_sqlite
def test_flush_holds_on_sqlite_with_the_embedded_cache_too(tmp_path: Path):
    assert connection.vendor == "postgresql"
    child = sqlite_run(__file__, tmp_path, extra_env={"REDIS_URL": ""})
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
    assert "6 passed, 3 skipped" in child.stdout


@pytest.fixture
def web_service(tmp_path, transactional_db):
    """The Procfile's web command, two worker processes, on this test's database and Redis."""
    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    (tmp_path / "tilesets").mkdir()
    with procfile_web_running(
        tmp_path,
        WEB_CONCURRENCY="2",
        WEB_THREADS="4",
        DATABASE_URL=f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=django_settings.CACHES["default"]["LOCATION"],
        TILESETS_DIR=str(tmp_path / "tilesets"),
        TILES_INDEX_DIR=str(tmp_path / "tile-index"),
        LOG_LEVEL="ERROR",
    ) as base:
        yield base


@skip_on_sqlite
def test_counts_are_exact_under_concurrent_requests_to_two_processes(
    web_service, geog_organization, geog_token
):
    organization = geog_organization(
        slug="busy", tiles_per_window=100_000, places_per_window=100_000, api_per_window=100_000
    )
    token = geog_token(scopes="tiles:read places:read billing:manage", organization=organization)
    small = geog_organization(slug="small", tiles_per_window=10)
    limited = geog_token(organization=small)
    search = {"location": {"lat": 48.8566, "lon": 2.3522}, "radius": 1000}

    def client_thread(index: int) -> Counter:
        seen: Counter = Counter()
        with requests.Session() as session:
            for step in range(30):
                headers = {"Authorization": f"Bearer {token}"}
                if step % 3 == 0:
                    answer = session.get(f"{web_service}/v1/tiles", headers=headers, timeout=30)
                    seen["tiles", answer.status_code] += 1
                elif step % 3 == 1:
                    answer = session.post(
                        f"{web_service}/v1/places/search", json=search, headers=headers, timeout=30
                    )
                    seen["places", answer.status_code] += 1
                else:
                    answer = session.get(f"{web_service}/v1/tiles", timeout=30)
                    seen["anonymous", answer.status_code] += 1
                if index < 2:
                    answer = session.get(
                        f"{web_service}/v1/tiles",
                        headers={"Authorization": f"Bearer {limited}"},
                        timeout=30,
                    )
                    seen["limited", answer.status_code] += 1
        return seen

    with ThreadPoolExecutor(max_workers=12) as pool:
        seen = sum(pool.map(client_thread, range(12)), Counter())
    assert seen == {
        ("tiles", 200): 120,
        ("places", 200): 120,
        ("anonymous", 401): 120,
        ("limited", 200): 10,
        ("limited", 429): 50,
    }

    usage_flush()
    headers = {"Authorization": f"Bearer {token}"}
    body = requests.get(f"{web_service}/v1/usage", headers=headers, timeout=30).json()
    assert body["totals"] == {"tiles": 120, "places": 120, "api": 0}
    assert (
        sum(UsageDay.objects.filter(organization_id=small.pk).values_list("count", flat=True)) == 10
    )


@skip_on_sqlite
def test_the_web_process_flushes_usage_from_its_embedded_beat(
    hits, request, tmp_path, transactional_db
):
    """Without a broker no beat process runs: the web process's own beat writes the counts."""
    hits(3)
    # Counted before the web process starts: its beat's first tick, right after boot, flushes.
    request.getfixturevalue("web_service")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and _counted() < 3:
        time.sleep(0.5)

    assert _counted() == 3
    assert "embedded_beat_task_failed" not in (tmp_path / "web.log").read_text()


@pytest.mark.django_db
def test_beat_runs_the_flush_task_every_minute(hits, settings):
    from accounts.tasks import usage_flush_task

    entry = settings.CELERY_BEAT_SCHEDULE["geog-usage-flush"]
    assert (entry["task"], entry["schedule"]) == (usage_flush_task.name, 60)
    hits(2)
    usage_flush_task.apply()
    assert _counted() == 2
