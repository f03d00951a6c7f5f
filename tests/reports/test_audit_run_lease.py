"""Runs whose worker died: the lease lapses, the run is re-queued once, then failed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from reports import audit_run_steps
from reports.audit_runs import audit_run_queue, audit_runs_recover_lost
from reports.models import Audit, AuditRun
from tests.reports.factories import AuditFactory, AuditRunFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        audit = AuditFactory()
        with django_capture_on_commit_callbacks(execute=False):
            audit_run_queue(audit=audit, trigger=AuditRun.Trigger.CREATE)
    return audit


def test_a_run_whose_worker_died_is_requeued_once_then_failed(
    queued, settings, django_capture_on_commit_callbacks, api_client, latentgeo_auth
):
    lease = timedelta(seconds=settings.AUDIT_RUN_LEASE_SECONDS)
    with time_machine.travel(T0, tick=False) as clock:
        assert audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t1")
        clock.shift(lease - timedelta(seconds=1))
        assert audit_runs_recover_lost() == 0
        clock.shift(timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=False) as requeued:
            assert audit_runs_recover_lost() == 1
        run = AuditRun.objects.get(audit=queued)
        assert (run.status, run.attempts, run.lease_expires_at) == ("pending", 1, None)
        assert Audit.objects.get(pk=queued.pk).status == "pending"
        assert len(requeued) == 1

        assert audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t2")
        clock.shift(lease)
        assert audit_runs_recover_lost() == 1

        body = api_client.get(f"/api/v1/audits/{queued.pk}", **latentgeo_auth()).json()

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("failed", 2)
    assert run.error == audit_run_steps.WORKER_LOST_MESSAGE
    assert (body["status"], body["error"]) == ("failed", audit_run_steps.WORKER_LOST_MESSAGE)


def test_a_live_lease_keeps_the_run_with_its_worker(queued, settings):
    with time_machine.travel(T0, tick=False) as clock:
        assert audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t1")
        clock.shift(timedelta(seconds=settings.AUDIT_RUN_LEASE_SECONDS - 5))
        assert audit_run_steps.audit_run_lease_renew(audit_id=queued.pk, generation=1, task_id="t1")
        assert not audit_run_steps.audit_run_lease_renew(
            audit_id=queued.pk, generation=1, task_id="other"
        )
        clock.shift(timedelta(seconds=10))

        # A second delivery of the task finds the run held and leaves it alone.
        assert (
            audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t2") is None
        )
        assert audit_runs_recover_lost() == 0

    run = AuditRun.objects.get(audit=queued)
    assert (run.status, run.celery_task_id, run.attempts) == ("running", "t1", 1)


def test_a_redelivered_task_takes_over_a_lapsed_run_until_attempts_run_out(queued, settings):
    lease = timedelta(seconds=settings.AUDIT_RUN_LEASE_SECONDS + 1)
    with time_machine.travel(T0, tick=False) as clock:
        assert audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t1")
        clock.shift(lease)
        assert audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t2")
        clock.shift(lease)
        assert (
            audit_run_steps.audit_run_begin(audit_id=queued.pk, generation=1, task_id="t3") is None
        )

    run = AuditRun.objects.get(audit=queued)
    assert (run.status, run.attempts, run.error) == (
        "failed",
        2,
        audit_run_steps.WORKER_LOST_MESSAGE,
    )
    assert Audit.objects.get(pk=queued.pk).status == "failed"


def test_a_run_left_running_by_a_worker_of_the_code_before_leases_is_recovered(settings):
    with time_machine.travel(T0, tick=False) as clock:
        audit = AuditFactory(status="running", run_generation=1, run_requested_at=T0)
        # As the migration leaves a crawl that was running during the upgrade: no lease.
        run = AuditRunFactory(
            audit=audit, status="running", generation=1, requested_at=T0, started_at=T0
        )
        clock.shift(timedelta(seconds=settings.AUDIT_TIME_BUDGET_SECONDS))
        assert audit_runs_recover_lost() == 0
        clock.shift(timedelta(minutes=3))
        assert audit_runs_recover_lost() == 1

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("pending", 0)
    assert Audit.objects.get(pk=audit.pk).status == "pending"
