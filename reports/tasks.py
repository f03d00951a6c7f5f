"""The background job that renders and stores an audit's PDF report."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pglock
import sentry_sdk
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection

from audit_engine.engine import site_audit
from reports import audit_run_steps, pdf_job_steps
from reports.models import Audit, PdfJob
from reports.rendering import audit_report_render

logger = logging.getLogger(__name__)

RENDER_FAILED_MESSAGE = "PDF rendering failed. Request a new PDF to try again."
RENDER_TIMED_OUT_MESSAGE = "PDF rendering timed out. Request a new PDF to try again."
AUDIT_FAILED_MESSAGE = "The audit failed unexpectedly. Re-run it to try again."
AUDIT_TIMED_OUT_MESSAGE = "The audit ran out of time. Re-run it to try again."
# The crawl stops itself at its budget; the limits only catch a crawl that does not.
AUDIT_SOFT_TIME_LIMIT = settings.AUDIT_TIME_BUDGET_SECONDS + 60
AUDIT_TIME_LIMIT = settings.AUDIT_TIME_BUDGET_SECONDS + 90


@contextmanager
def audit_render_lock(*, audit_id: int) -> Iterator[tuple[bool, tuple[str, ...]]]:
    """Try to become the only renderer of the audit; yields (acquired, claimable statuses)."""
    if connection.vendor == "postgresql":
        # The session lock dies with its connection, so under it a `running` job is one whose
        # worker was lost: it may be taken over.
        with pglock.advisory(f"reports.pdf_report.audit.{audit_id}", timeout=0) as acquired:
            yield acquired, (PdfJob.Status.QUEUED, PdfJob.Status.RUNNING)
    else:
        # Without advisory locks (SQLite) the conditional queued -> running update is the lock.
        yield True, (PdfJob.Status.QUEUED,)


@contextmanager
def lease_kept(*, renew: Callable[[], bool], interval: float, name: str) -> Iterator[None]:
    """Call `renew` from a thread every `interval` seconds while the block runs.

    Renewal stops when `renew` answers False (the work is no longer this task's).
    """
    stop = threading.Event()

    def keep() -> None:
        try:
            while not stop.wait(interval):
                if not renew():
                    return
        except DatabaseError:
            # A lease that lapses only costs a re-run once the work is taken for dead.
            logger.warning("lease_renewal_failed", extra={"lease": name}, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=keep, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval)


def pdf_job_lease_kept(*, job_id: int, task_id: str):
    """Renew the running PDF job's lease for as long as the block runs."""
    return lease_kept(
        renew=lambda: pdf_job_steps.pdf_job_lease_renew(job_id=job_id, task_id=task_id),
        interval=settings.PDF_JOB_LEASE_SECONDS / 3,
        name=f"pdf-lease-{job_id}",
    )


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
)
def pdf_report_generate(self, audit_id: int) -> str:
    """Render and store the audit's queued PDF report once, however often it is delivered."""
    with audit_render_lock(audit_id=audit_id) as (acquired, claimable):
        if not acquired:
            logger.info("pdf_report_skipped", extra={"audit_id": audit_id, "reason": "locked"})
            return "skipped"
        job = pdf_job_steps.pdf_job_claim(
            audit_id=audit_id, claimable=claimable, task_id=self.request.id or ""
        )
        if job is None:
            logger.info("pdf_report_skipped", extra={"audit_id": audit_id, "reason": "no_job"})
            return "skipped"
        try:
            audit = Audit.objects.get(pk=audit_id)
            with pdf_job_lease_kept(job_id=job.pk, task_id=self.request.id or ""):
                content = audit_report_render(audit=audit)
            pdf_job_steps.pdf_job_complete(
                job_id=job.pk, content=content, audit_revision=audit.results_revision
            )
        except SoftTimeLimitExceeded:
            logger.warning("pdf_report_timed_out", extra={"audit_id": audit_id})
            pdf_job_steps.pdf_job_fail(job_id=job.pk, error=RENDER_TIMED_OUT_MESSAGE)
            return "failed"
        except Exception as exc:
            logger.exception("pdf_report_failed", extra={"audit_id": audit_id})
            sentry_sdk.capture_exception(exc)
            pdf_job_steps.pdf_job_fail(job_id=job.pk, error=RENDER_FAILED_MESSAGE)
            return "failed"
    logger.info("pdf_report_completed", extra={"audit_id": audit_id, "bytes": len(content)})
    return "completed"


@shared_task(
    bind=True, acks_late=True, time_limit=AUDIT_TIME_LIMIT, soft_time_limit=AUDIT_SOFT_TIME_LIMIT
)
def audit_run(self, audit_id: int, generation: int) -> str:
    """Crawl, check and score the audit's site; a newer run or results by PATCH stop it."""
    task_id = self.request.id or ""
    audit = audit_run_steps.audit_run_begin(
        audit_id=audit_id, generation=generation, task_id=task_id
    )
    if audit is None:
        logger.info("audit_run_skipped", extra={"audit_id": audit_id, "reason": "not_claimed"})
        return "skipped"
    try:
        with lease_kept(
            renew=lambda: audit_run_steps.audit_run_lease_renew(
                audit_id=audit_id, generation=generation, task_id=task_id
            ),
            interval=settings.AUDIT_RUN_LEASE_SECONDS / 3,
            name=f"audit-lease-{audit_id}",
        ):
            results = site_audit(
                url=audit.url,
                options=audit_run_steps.audit_options(max_pages=audit.max_pages),
                on_progress=lambda pages: audit_run_steps.audit_run_progress(
                    audit_id=audit_id,
                    generation=generation,
                    pages=pages,
                    max_pages=audit.max_pages,
                ),
            )
        stored = audit_run_steps.audit_run_complete(
            audit_id=audit_id, generation=generation, results=results
        )
    except SoftTimeLimitExceeded:
        logger.warning("audit_run_timed_out", extra={"audit_id": audit_id})
        audit_run_steps.audit_run_fail(
            audit_id=audit_id, generation=generation, error=AUDIT_TIMED_OUT_MESSAGE
        )
        return "failed"
    except Exception as exc:
        logger.exception("audit_run_failed", extra={"audit_id": audit_id})
        sentry_sdk.capture_exception(exc)
        audit_run_steps.audit_run_fail(
            audit_id=audit_id, generation=generation, error=AUDIT_FAILED_MESSAGE
        )
        return "failed"
    outcome = "completed" if stored else "discarded"
    logger.info(
        "audit_run_finished",
        extra={"audit_id": audit_id, "outcome": outcome, "pages": len(results["pages"])},
    )
    return outcome
