"""No module of the apps with status lifecycles writes a `status` itself.

The code is read, not run: an assignment to `.status`, `setattr(..., "status", ...)`, or
`status=` passed to a queryset's `update`/`create` family or to a model's constructor, is a
write. Only `lifecycles/` makes them, for the tables in each app's `states.py`.
"""

import ast
from pathlib import Path

import pytest

from github_fixes.states import FIX_PULL_REQUEST
from hubspot_cms.states import HUBSPOT_CHANGE
from notifications.states import WEBHOOK_DELIVERY
from reports.states import AUDIT, AUDIT_RUN, PDF_JOB

ROOT = Path(__file__).resolve().parents[2]
APPS = ["reports", "github_fixes", "hubspot_cms", "notifications"]
MODELS = {
    lifecycle.model.__name__
    for lifecycle in (AUDIT, AUDIT_RUN, PDF_JOB, FIX_PULL_REQUEST, HUBSPOT_CHANGE, WEBHOOK_DELIVERY)
}
QUERYSET_WRITES = {"update", "create", "get_or_create", "update_or_create"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    else:
        return []
    flat = []
    for target in targets:
        flat.extend(target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target])
    return flat


def status_writes(source: str) -> list[int]:
    """Line numbers of the status writes in `source`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in _targets(node)):
            lines.append(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        passes_status = any(keyword.arg == "status" for keyword in node.keywords)
        if passes_status and (name in QUERYSET_WRITES or name in MODELS):
            lines.append(node.lineno)
        if (
            name == "setattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "status"
        ):
            lines.append(node.lineno)
    return sorted(lines)


def _modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize("app", APPS)
def test_no_module_of_the_app_writes_a_status(app):
    writes = {
        str(path.relative_to(ROOT)): found
        for path in _modules(app)
        if (found := status_writes(path.read_text()))
    }
    assert writes == {}


def test_the_lifecycle_module_is_where_statuses_are_written():
    assert status_writes((ROOT / "lifecycles" / "lifecycle.py").read_text())


@pytest.mark.parametrize(
    "line",
    [
        "job.status = PdfJob.Status.QUEUED",
        "job.status, job.error = 'failed', 'x'",
        "PdfJob.objects.filter(pk=1).update(status='failed')",
        "AuditRun.objects.create(audit=audit, status='running')",
        "PdfJob(audit=audit, status='queued')",
        "setattr(audit, 'status', 'running')",
    ],
)
def test_each_way_of_writing_a_status_is_found(line):
    assert status_writes(line) == [1]


def test_reading_and_filtering_by_status_is_not_a_write():
    source = (
        "AuditRun.objects.filter(status='running').update(lease_expires_at=None)\n"
        "raise ApiError(catalog.PDF_NOT_READY, status=job.status)\n"
        "Response(body, status=202)\n"
    )
    assert status_writes(source) == []
