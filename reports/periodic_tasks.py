"""Tasks Celery beat runs every few seconds (CELERY_BEAT_SCHEDULE): scheduled audits, runs
whose worker died. The embedded default runs the same schedule in-process (config.embedded_beat).
"""

from celery import shared_task

from reports.audit_runs import audit_runs_recover_lost
from reports.audit_schedules import audit_schedules_start_due


@shared_task(ignore_result=True)
def audit_schedules_run_due() -> int:
    """Start the runs of every audit whose schedule is due."""
    return audit_schedules_start_due()


@shared_task(ignore_result=True)
def audit_runs_recover() -> int:
    """Re-queue (or fail) runs whose worker stopped renewing its lease."""
    return audit_runs_recover_lost()
