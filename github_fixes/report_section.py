"""The audit report's section on fix pull requests: each PR, its repository and status."""

from github_fixes.selectors import pull_request_list_for_audit
from reports.models import Audit
from reports.report_sections import ReportLink, ReportSection


def fix_pull_requests_section(*, audit: Audit) -> ReportSection | None:
    """The audit's fix pull requests, newest first; None when there is none."""
    pulls = list(pull_request_list_for_audit(audit=audit))
    if not pulls:
        return None
    rows = [
        (
            pull.repository.full_name,
            ReportLink(f"#{pull.number}", pull.html_url),
            pull.get_status_display(),
            str(len(pull.files_changed)),
            str(len(pull.fixes_applied)),
        )
        for pull in pulls
    ]
    return ReportSection(
        title="Fix pull requests",
        intro="The automatic fixes of this audit were proposed as pull requests on GitHub.",
        columns=("Repository", "Pull request", "Status", "Files", "Fixes"),
        rows=rows,
    )
