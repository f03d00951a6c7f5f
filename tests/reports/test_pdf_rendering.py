import io

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from reports.rendering import ASSET_BASE_URL, StaticAssetFetcher, audit_report_render
from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_report_has_cover_scores_findings_by_severity_and_action_plan():
    audit = CompletedAuditFactory()
    pages, text = _pdf_text(audit_report_render(audit=audit))
    assert pages >= 3
    for expected in (
        "shop.example.com",
        audit.url,
        "Executive summary",
        "Scores by category",
        "SEO",
        "Findings by severity",
        "Robots.txt blocks the product catalogue",
        "Action plan",
        "Fix immediately",
        f"Page 2 of {pages}",
    ):
        assert expected in text, expected
    assert text.index("Robots.txt blocks") < text.index("Missing meta descriptions")
    assert text.index("Missing meta descriptions") < text.index("Long title tags")


def test_report_of_an_audit_without_findings_says_so():
    audit = CompletedAuditFactory(results={"scores": {}, "findings": []})
    _, text = _pdf_text(audit_report_render(audit=audit))
    assert "No category scores were recorded" in text
    assert "The audit found nothing that needs action." in text


def test_fetcher_serves_the_report_stylesheet():
    response = StaticAssetFetcher().fetch(f"{ASSET_BASE_URL}reports/audit_report.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/static/reports/audit_report.css",
        "https://example.com/static/reports/audit_report.css",
        f"{ASSET_BASE_URL}../../../etc/passwd",
        f"{ASSET_BASE_URL}%2e%2e/%2e%2e/etc/passwd",
        f"{ASSET_BASE_URL}missing.css",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError, match=r"Refused|not found"):
        StaticAssetFetcher().fetch(url)


def test_rendering_never_requests_remote_resources(httpserver):
    httpserver.expect_request("/pixel.png").respond_with_data(b"", content_type="image/png")
    html = f'<p>report</p><img src="{httpserver.url_for("/pixel.png")}">'
    HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=StaticAssetFetcher()).write_pdf()
    assert httpserver.log == []
