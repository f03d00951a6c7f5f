"""The lifecycles of audits, their runs and PDF jobs: every status they may move to, and from.

Services and the worker's steps change a status only through these tables, so a move that
the design does not allow fails loudly where it is attempted instead of leaving a row in a
state nothing expects.
"""

from lifecycles.lifecycle import NEW, Lifecycle
from reports.models import Audit, AuditRun, PdfJob

_A = Audit.Status
_AUDIT_MOVES = {
    # A new audit waits for a crawl or for results sent by PATCH.
    NEW: {_A.PENDING},
    # Queued again (a rerun, or a lost crawl re-queued), claimed by a worker (again, once
    # a lost worker's lease lapsed), finished, or results sent by PATCH.
    _A.PENDING: {_A.PENDING, _A.RUNNING, _A.COMPLETED, _A.FAILED},
    _A.RUNNING: {_A.PENDING, _A.RUNNING, _A.COMPLETED, _A.FAILED},
    # A finished audit is re-run, or takes new results by PATCH.
    _A.COMPLETED: {_A.PENDING, _A.COMPLETED},
    _A.FAILED: {_A.PENDING, _A.COMPLETED},
}
AUDIT = Lifecycle(model=Audit, moves=_AUDIT_MOVES)

_R = AuditRun.Status
_AUDIT_RUN_MOVES = {
    # A crawl is queued; results sent by PATCH are a run completed at once.
    NEW: {_R.PENDING, _R.COMPLETED},
    # A pending run is claimed, or ends without having run: replaced by results sent by
    # PATCH, out of attempts, or its crawl finishing after its lost lease was re-queued.
    _R.PENDING: {_R.RUNNING, _R.COMPLETED, _R.FAILED},
    # A running run whose worker was lost is re-queued, or claimed again once its lease
    # lapsed.
    _R.RUNNING: {_R.PENDING, _R.RUNNING, _R.COMPLETED, _R.FAILED},
    # A run that ended stays as it ended: a new crawl is a new run.
    _R.COMPLETED: set(),
    _R.FAILED: set(),
}
AUDIT_RUN = Lifecycle(model=AuditRun, moves=_AUDIT_RUN_MOVES)

_P = PdfJob.Status
_PDF_JOB_MOVES = {
    NEW: {_P.QUEUED},
    # Claimed by a worker, or failed when a redelivered task finds it out of attempts.
    # A render that finishes, or fails, is recorded whatever its job went through
    # meanwhile: re-queued or failed after its lease lapsed under a worker taken for
    # dead, or (without advisory locks) finished by a second worker.
    _P.QUEUED: {_P.RUNNING, _P.COMPLETED, _P.FAILED},
    # Re-queued, or taken over, once its worker is taken for dead.
    _P.RUNNING: {_P.QUEUED, _P.RUNNING, _P.COMPLETED, _P.FAILED},
    # Requested again (new results, or `force`).
    _P.COMPLETED: {_P.QUEUED, _P.COMPLETED},
    _P.FAILED: {_P.QUEUED, _P.COMPLETED, _P.FAILED},
}
PDF_JOB = Lifecycle(model=PdfJob, moves=_PDF_JOB_MOVES)
