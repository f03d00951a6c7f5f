"""The PDF report shows the score trend over the audit's runs and what changed since the last."""

import io

import pytest
from pypdf import PdfReader

from reports.models import Audit
from reports.rendering import audit_report_context, audit_report_render
from reports.services import audit_results_update
from tests.reports.factories import AuditFactory

pytestmark = pytest.mark.django_db


def _results(overall: int, codes: list[tuple[str, str]]) -> dict:
    return {
        "summary": "",
        "scores": {"structure": overall - 5, "overall": overall},
        "findings": [
            {"code": code, "severity": "high", "title": code, "description": "d",
             "recommendation": "r", "url": url}
            for code, url in codes
        ],
    }  # fmt: skip


@pytest.fixture
def audited_three_times() -> Audit:
    audit = AuditFactory()
    home, about = "https://shop.example.com/", "https://shop.example.com/about"
    audit_results_update(audit_id=audit.pk, results=_results(41, [("H1_MISSING", home)]))
    audit_results_update(
        audit_id=audit.pk, results=_results(55, [("H1_MISSING", home), ("TITLE_MISSING", about)])
    )
    audit_results_update(audit_id=audit.pk, results=_results(78, [("TITLE_MISSING", about)]))
    return Audit.objects.get(pk=audit.pk)


def test_trend_is_drawn_over_every_completed_run(audited_three_times):
    context = audit_report_context(audit=audited_three_times)

    marks = context["trend"]["marks"]
    assert [(m["label"], m["score"]) for m in marks] == [("#1", 41), ("#2", 55), ("#3", 78)]
    # Higher scores sit higher on the chart (smaller y), left to right in run order.
    assert marks[0]["y"] > marks[1]["y"] > marks[2]["y"]
    assert marks[0]["x"] < marks[1]["x"] < marks[2]["x"]
    changes = context["changes"]
    assert (changes["previous"].number, changes["latest"].number) == (2, 3)
    assert [(i["code"], i["url"]) for i in changes["fixed"]] == [
        ("H1_MISSING", "https://shop.example.com/")
    ]
    assert (changes["new"], changes["unchanged"]) == ([], 1)


def test_pdf_shows_the_trend_chart_and_the_changes_since_the_previous_run(
    audited_three_times,
):
    content = audit_report_render(audit=audited_three_times)

    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Progress over time",
        "Overall score by run",
        "#1",
        "#3",
        "Since the previous run (#2",
        "1 finding fixed, 0 new, 1 unchanged.",
        "+23",
        "H1_MISSING",
    ):
        assert expected in text, expected


def test_a_first_run_has_no_trend_nor_changes():
    audit = AuditFactory()
    audit_results_update(audit_id=audit.pk, results=_results(60, []))

    audit = Audit.objects.get(pk=audit.pk)
    context = audit_report_context(audit=audit)
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(audit_report_render(audit=audit))).pages
    )

    assert (context["trend"], context["changes"]) == (None, None)
    assert "Progress over time" not in text
