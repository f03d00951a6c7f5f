"""Scheduled audits: PUT schedule, and the beat scan that starts due runs, on a frozen clock."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from config.celery_app import app as celery_app
from reports.audit_schedules import audit_schedules_start_due, schedule_next_after
from reports.models import Audit, AuditRun
from tests.reports.factories import AuditFactory

AUDITS = "/api/v1/audits"
T0 = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def queued_not_run():
    """Started runs stay queued: published to the in-memory broker, which no worker reads."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = saved


def _schedule(api_client, auth, audit_id: int, interval):
    return api_client.put(
        f"{AUDITS}/{audit_id}/schedule", {"interval": interval}, format="json", **auth
    )


@pytest.mark.django_db
def test_put_schedule_sets_and_clears_the_next_run(api_client, latentgeo_auth):
    audit = AuditFactory()
    with time_machine.travel(T0, tick=False):
        weekly = _schedule(api_client, latentgeo_auth(), audit.pk, "weekly")
        cleared = _schedule(api_client, latentgeo_auth(), audit.pk, None)

    assert weekly.status_code == 200
    assert weekly.json() == {"interval": "weekly", "next_run_at": "2026-02-07T09:30:00Z"}
    assert cleared.json() == {"interval": None, "next_run_at": None}


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "kind"), [({"interval": "hourly"}, "value_error.choice"),
                                            ({}, "value_error.missing")])  # fmt: skip
def test_unknown_interval_is_a_validation_error(api_client, latentgeo_auth, body, kind):
    audit = AuditFactory()

    response = api_client.put(
        f"{AUDITS}/{audit.pk}/schedule", body, format="json", **latentgeo_auth()
    )

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert (item["loc"], item["type"]) == (["body", "interval"], kind)


@pytest.mark.django_db
def test_schedule_of_another_users_audit_is_forbidden(api_client, latentgeo_auth):
    audit = AuditFactory()

    response = _schedule(
        api_client, latentgeo_auth(sub="auth0|bob", email="bob@example.com"), audit.pk, "daily"
    )

    assert response.status_code == 403
    assert Audit.objects.get(pk=audit.pk).schedule_interval == ""


def test_monthly_runs_on_the_same_day_or_the_months_last():
    assert schedule_next_after(previous=T0, interval="monthly") == datetime(
        2026, 2, 28, 9, 30, tzinfo=UTC
    )
    december = datetime(2026, 12, 15, tzinfo=UTC)
    assert schedule_next_after(previous=december, interval="monthly") == datetime(
        2027, 1, 15, tzinfo=UTC
    )
    assert schedule_next_after(previous=T0, interval="daily") == T0 + timedelta(days=1)


@pytest.mark.django_db
def test_beat_starts_a_run_once_its_schedule_is_due(api_client, latentgeo_auth):
    audit = AuditFactory()
    with time_machine.travel(T0, tick=False) as clock:
        _schedule(api_client, latentgeo_auth(), audit.pk, "daily")
        clock.shift(timedelta(hours=23, minutes=59))
        assert audit_schedules_start_due() == 0
        clock.shift(timedelta(minutes=1))
        assert audit_schedules_start_due() == 1
        assert audit_schedules_start_due() == 0

    audit.refresh_from_db()
    [run] = AuditRun.objects.filter(audit=audit)
    assert (run.trigger, run.status, run.number) == ("schedule", "pending", 1)
    assert audit.status == "pending"
    assert audit.schedule_next_run_at == T0 + timedelta(days=2)
    runs = api_client.get(f"{AUDITS}/{audit.pk}/runs", **latentgeo_auth()).json()
    assert [r["trigger"] for r in runs] == ["schedule"]


@pytest.mark.django_db
def test_a_scanner_down_for_days_starts_one_run_and_keeps_the_cadence():
    audit = AuditFactory(schedule_interval="daily", schedule_next_run_at=T0)

    with time_machine.travel(T0 + timedelta(days=3, hours=2), tick=False):
        assert audit_schedules_start_due() == 1

    audit.refresh_from_db()
    assert AuditRun.objects.filter(audit=audit).count() == 1
    assert audit.schedule_next_run_at == T0 + timedelta(days=4)


@pytest.mark.django_db
def test_a_due_audit_whose_run_is_going_is_skipped_not_queued_twice():
    audit = AuditFactory(schedule_interval="weekly", schedule_next_run_at=T0)
    with time_machine.travel(T0, tick=False):
        assert audit_schedules_start_due() == 1
        Audit.objects.filter(pk=audit.pk).update(schedule_next_run_at=T0)

        assert audit_schedules_start_due() == 0

    assert AuditRun.objects.filter(audit=audit).count() == 1
    audit.refresh_from_db()
    assert audit.schedule_next_run_at == T0 + timedelta(weeks=1)


@pytest.mark.django_db
def test_a_due_run_counts_toward_the_owners_running_audits(api_client, latentgeo_auth):
    audit = AuditFactory(schedule_interval="daily", schedule_next_run_at=T0)
    with time_machine.travel(T0, tick=False):
        for site in range(3):
            created = api_client.post(
                AUDITS,
                {"url": f"https://shop{site}.example.com/"},
                format="json",
                **latentgeo_auth(),
            )
            assert created.status_code == 201

        assert audit_schedules_start_due() == 0

    assert not AuditRun.objects.filter(audit=audit).exists()


@pytest.mark.django_db
def test_a_scheduled_run_fills_the_owners_cap(api_client, latentgeo_auth):
    AuditFactory(schedule_interval="daily", schedule_next_run_at=T0)
    with time_machine.travel(T0, tick=False):
        assert audit_schedules_start_due() == 1
        statuses = [
            api_client.post(
                AUDITS,
                {"url": f"https://shop{site}.example.com/"},
                format="json",
                **latentgeo_auth(),
            ).status_code
            for site in range(3)
        ]

    assert statuses == [201, 201, 429]


@pytest.mark.django_db(transaction=True)
def test_two_beat_processes_start_a_due_run_once():
    audits = [
        AuditFactory(owner_user_id=f"auth0|user{i}", schedule_interval="daily",
                     schedule_next_run_at=T0)
        for i in range(12)
    ]  # fmt: skip

    def scan(_index: int) -> int:
        try:
            return audit_schedules_start_due()
        finally:
            connection.close()

    with (
        time_machine.travel(T0 + timedelta(seconds=5), tick=False),
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        started = sum(pool.map(scan, range(2)))

    assert started == 12
    assert sorted(AuditRun.objects.values_list("audit_id", flat=True)) == sorted(
        a.pk for a in audits
    )
