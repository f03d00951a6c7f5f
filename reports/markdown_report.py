"""The audit report in Markdown, from the latest completed results, by a Django template.

It shows what the PDF shows (title, scores, findings by severity with their recommendations,
the pages crawled) from the same context, and needs no PDF: it exists once a run completes.
"""

from django.template.loader import render_to_string

from errors import catalog
from errors.catalog import ErrorSpec
from errors.exceptions import ApiError
from reports.audit_overview import audit_completed_at, audit_results_ready
from reports.models import Audit
from reports.rendering import audit_report_context

TEMPLATE = "reports/audit_report.md"


def markdown_report_build(
    *, audit: Audit, not_ready: ErrorSpec = catalog.MARKDOWN_REPORT_NOT_READY
) -> str:
    """The Markdown report of the latest results; `not_ready` (400) before a run completes."""
    if not audit_results_ready(audit=audit):
        raise ApiError(not_ready, status=audit.status)
    context = {
        **audit_report_context(audit=audit),
        "completed_at": audit_completed_at(audit=audit) or audit.updated_at,
    }
    return render_to_string(TEMPLATE, context).strip() + "\n"
