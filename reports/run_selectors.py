"""Reads of an audit's runs and their comparison; the caller has already been checked as owner."""

from django.db.models import QuerySet

from errors import catalog
from errors.exceptions import ApiError
from reports.models import Audit, AuditRun
from reports.run_comparison import runs_compare


def audit_run_list(*, audit: Audit) -> QuerySet[AuditRun]:
    """The audit's runs, newest first."""
    return AuditRun.objects.filter(audit=audit).order_by("-number")


def audit_run_get(*, audit: Audit, number: int) -> AuditRun:
    """Run `number` of the audit; 404 when it has no such run."""
    run = AuditRun.objects.filter(audit=audit, number=number).first()
    if run is None:
        raise ApiError(catalog.AUDIT_RUN_NOT_FOUND)
    return run


def _completed(run: AuditRun) -> AuditRun:
    if run.status != AuditRun.Status.COMPLETED:
        raise ApiError(catalog.AUDIT_RUN_NOT_COMPLETED, run=run.number, status=run.status)
    return run


def audit_run_comparison_get(
    *, audit: Audit, from_number: int | None, to_number: int | None
) -> dict:
    """The comparison of two completed runs; by default the latest one and the one before it."""
    completed = audit_run_list(audit=audit).filter(status=AuditRun.Status.COMPLETED)
    if to_number is not None:
        to_run = _completed(audit_run_get(audit=audit, number=to_number))
    else:
        to_run = completed.exclude(number=from_number).first()
    if from_number is not None:
        from_run = _completed(audit_run_get(audit=audit, number=from_number))
    elif to_run is not None:
        from_run = completed.filter(number__lt=to_run.number).first()
    else:
        from_run = None
    if from_run is None or to_run is None:
        raise ApiError(catalog.AUDIT_RUNS_TOO_FEW)
    return {
        "from": from_run.number,
        "to": to_run.number,
        **runs_compare(before=from_run.results, after=to_run.results),
    }
