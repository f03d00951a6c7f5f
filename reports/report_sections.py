"""Sections that apps built on audits add to an audit's PDF report and admin page.

Apps above `reports` in the layers (the GitHub fixes) know things about an audit that
`reports` may not import. Settings name one function per section (`AUDIT_REPORT_SECTIONS`);
each takes the audit and returns a `ReportSection`, or None when it has nothing to show.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from reports.models import Audit


@dataclass(frozen=True)
class ReportLink:
    text: str
    url: str


@dataclass(frozen=True)
class ReportSection:
    title: str
    intro: str
    columns: tuple[str, ...]
    # Each cell is text or a link.
    rows: list[tuple[str | ReportLink, ...]] = field(default_factory=list)


def audit_report_sections(*, audit: Audit) -> list[ReportSection]:
    """The sections the configured apps have for this audit, in settings order."""
    sections = []
    for path in settings.AUDIT_REPORT_SECTIONS:
        section = import_string(path)(audit=audit)
        if section is not None:
            sections.append(section)
    return sections
