"""What follows a run's end: the audit mirrors its latest completed run, the domain's score
history gains a point, and the owner's webhooks hear of it.

Both ends of a crawl (audit_run_steps) and results sent by PATCH (services) come through
here inside their transaction, so a completed run and its history point commit together and
the webhook goes out only once they have.
"""

from django.utils import timezone

from notifications.models import AUDIT_COMPLETED, AUDIT_FAILED
from notifications.services import audit_event_emit
from reports import run_figures
from reports.models import Audit, AuditRun, ScoreRecord
from reports.progress_events import audit_progress_publish
from reports.states import AUDIT, AUDIT_RUN
from rows.saving import row_save


def audit_run_completed_record(*, audit: Audit, run: AuditRun, results: dict) -> None:
    """Store `results` on the run and the audit, record the scores, tell the webhooks."""
    now = timezone.now()
    AUDIT_RUN.move(run, target=AuditRun.Status.COMPLETED)
    run.results = results
    run.scores = dict(results.get("scores") or {})
    run.finding_counts = run_figures.run_finding_counts(results=results)
    run.pages_crawled = run_figures.run_pages_crawled(results=results) or run.pages_crawled
    run.error = ""
    run.completed_at = now
    run.lease_expires_at = None
    row_save(run)
    AUDIT.move(audit, target=Audit.Status.COMPLETED)
    audit.progress = 100
    audit.error = ""
    audit.results = results
    audit.results_revision += 1
    row_save(audit)
    audit_progress_publish(audit_id=audit.pk)
    overall = run_figures.run_overall_score(scores=run.scores)
    record = ScoreRecord(
        domain=run_figures.score_history_domain(url=audit.url),
        audit=audit,
        run=run,
        owner_user_id=audit.owner_user_id,
        owner_email=audit.owner_email,
        recorded_at=now,
        overall_score=overall,
        geo_score=overall,
        seo_score=run_figures.run_seo_score(scores=run.scores),
        critical_issues=run.finding_counts["critical"],
        high_issues=run.finding_counts["high"],
        total_pages=run.pages_crawled,
    )
    row_save(record)
    _run_event_emit(
        audit=audit,
        run=run,
        event=AUDIT_COMPLETED,
        scores=run.scores,
        finding_counts=run.finding_counts,
        pages_crawled=run.pages_crawled,
        completed_at=now.isoformat(),
    )


def audit_run_failed_record(*, audit: Audit, run: AuditRun, error: str) -> None:
    """Mark the run and the audit failed with `error` and tell the webhooks."""
    now = timezone.now()
    AUDIT_RUN.move(run, target=AuditRun.Status.FAILED)
    run.error = error
    run.completed_at = now
    run.lease_expires_at = None
    row_save(run)
    # A run that a newer one (or results by PATCH) replaced leaves the audit as it is.
    if audit.run_generation == run.generation:
        AUDIT.move(audit, target=Audit.Status.FAILED)
        audit.error = error
        row_save(audit)
        audit_progress_publish(audit_id=audit.pk)
    _run_event_emit(
        audit=audit,
        run=run,
        event=AUDIT_FAILED,
        error=error,
        failed_at=now.isoformat(),
    )


def _run_event_emit(*, audit: Audit, run: AuditRun, event: str, **details) -> None:
    # Every event of a run's end names the audit, the run, the URL and what started the run.
    audit_event_emit(
        audit=audit,
        event=event,
        data={"run": run.number, "url": audit.url, "trigger": run.trigger, **details},
    )
