"""The PDF of an engine audit lists the crawled pages and the findings grouped by code."""

import io

import pytest
from pypdf import PdfReader

from reports.rendering import audit_report_context, audit_report_render
from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db

ENGINE_RESULTS = {
    "summary": "Audited 2 pages of https://bikes.example.com/.",
    "scores": {
        "structure": 85,
        "schema": 70,
        "eeat": 100,
        "content": 95,
        "ai_access": 90,
        "overall": 88,
    },
    "pages": [
        {
            "url": "https://bikes.example.com/",
            "status": 200,
            "title": "Vintage bicycles",
            "scores": {"structure": 70, "schema": 100, "eeat": 100, "content": 100},
            "findings": ["H1_MISSING"],
        },
        {
            "url": "https://bikes.example.com/gone",
            "status": None,
            "title": None,
            "scores": None,
            "error": "body is over the 2097152 byte limit",
        },
    ],
    "findings": [
        {
            "code": "H1_MISSING",
            "severity": "critical",
            "title": "Page has no H1 heading",
            "description": "The page has no <h1>.",
            "recommendation": "Give every page exactly one <h1>.",
            "url": "https://bikes.example.com/",
            "pages": ["https://bikes.example.com/"],
            "page_count": 1,
        },
        {
            "code": "LLMS_TXT_MISSING",
            "severity": "medium",
            "title": "Site has no llms.txt",
            "description": "The site serves no /llms.txt.",
            "recommendation": "Publish /llms.txt.",
            "url": "https://bikes.example.com/llms.txt",
            "pages": ["https://bikes.example.com/llms.txt"],
            "page_count": 1,
        },
    ],
}


def test_report_lists_crawled_pages_and_findings_by_code():
    audit = CompletedAuditFactory(url="https://bikes.example.com/", results=ENGINE_RESULTS)

    reader = PdfReader(io.BytesIO(audit_report_render(audit=audit)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    for expected in (
        "Findings by code",
        "H1_MISSING",
        "LLMS_TXT_MISSING",
        "Pages crawled",
        "2 pages crawled.",
        "Vintage bicycles",
        "https://bikes.example.com/gone",
        "byte limit",
    ):
        assert expected in text, expected
    assert text.index("Findings by code") < text.index("Pages crawled")


def test_stated_overall_score_is_used_and_not_listed_as_a_category():
    audit = CompletedAuditFactory(results=ENGINE_RESULTS)

    context = audit_report_context(audit=audit)

    assert context["overall"] == 88
    assert [row.label for row in context["scores"]] == [
        "Structure",
        "Schema",
        "E-E-A-T",
        "Content",
        "AI access",
    ]
    assert [group["code"] for group in context["code_groups"]] == ["H1_MISSING", "LLMS_TXT_MISSING"]
    assert [page["score"] for page in context["pages"]] == [92, None]
