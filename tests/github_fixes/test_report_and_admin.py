"""The audit's PDF report and admin page show its fix pull requests and their status."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.rendering import audit_report_render
from tests.github_fixes.factories import FixPullRequestFactory
from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db


def test_pdf_report_lists_the_fix_pull_requests_with_their_status():
    audit = CompletedAuditFactory()
    FixPullRequestFactory(audit=audit, number=7, status="merged", repository__name="shop-site")
    reader = PdfReader(io.BytesIO(audit_report_render(audit=audit)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Fix pull requests" in text
    assert "acme/shop-site" in text
    assert "#7" in text
    assert "Merged" in text


def test_pdf_report_without_pull_requests_has_no_such_section():
    reader = PdfReader(io.BytesIO(audit_report_render(audit=CompletedAuditFactory())))
    assert "Fix pull requests" not in "\n".join(page.extract_text() for page in reader.pages)


def test_audit_admin_page_shows_the_pull_request_and_its_status(admin_client):
    pull = FixPullRequestFactory(number=3, status="closed")
    page = admin_client.get(reverse("admin:reports_audit_change", args=[pull.audit_id]))
    assert page.status_code == 200
    assert f'<a href="{pull.html_url}">#3</a>' in page.text
    assert "Closed" in page.text
    listing = admin_client.get(reverse("admin:github_fixes_fixpullrequest_changelist"))
    assert listing.status_code == 200 and pull.repository.full_name in listing.text
    for name in ("repository", "fixinputset", "githubdelivery"):
        assert admin_client.get(reverse(f"admin:github_fixes_{name}_changelist")).status_code == 200
