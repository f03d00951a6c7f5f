"""A database of the schema before runs migrates forward: every audit's results become its
first run (and a point of its score history), every row is kept."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_RUNS = [("reports", "0003_audit_engine_runs")]
CREATED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
ENGINE_RESULTS = {
    "summary": "Audited 2 pages.",
    "scores": {"structure": 70, "content": 50, "overall": 64},
    "pages": [{"url": "https://www.Field.example.com/"}, {"url": "https://field.example.com/a"}],
    "findings": [
        {"code": "H1_MISSING", "severity": "critical", "title": "t", "description": "d",
         "recommendation": "r", "url": "https://field.example.com/"},
        {"code": "FAQ_MISSING", "severity": "medium", "title": "t", "description": "d",
         "recommendation": "r"},
    ],
}  # fmt: skip


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_existing_audits_become_their_first_run_keeping_every_row():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE_RUNS).loader.project_state(BEFORE_RUNS).apps
    Audit = old_apps.get_model("reports", "Audit")
    owner = {"owner_user_id": "auth0|field", "owner_email": "field@example.com"}
    crawled = Audit.objects.create(
        url="https://www.Field.example.com:8443/",
        status="completed",
        results=ENGINE_RESULTS,
        run_generation=1,
        run_requested_at=CREATED,
        pages_crawled=2,
        results_revision=1,
        **owner,
    )
    patched = Audit.objects.create(
        url="https://shop.example.com/",
        status="completed",
        results={"summary": "kept", "scores": {"seo": 70}, "findings": []},
        results_revision=3,
        **owner,
    )
    failed = Audit.objects.create(
        url="https://down.example.com/",
        status="failed",
        error="No page of the site could be audited: HTTP 503.",
        run_generation=2,
        run_requested_at=CREATED,
        **owner,
    )
    waiting = Audit.objects.create(url="https://later.example.com/", **owner)
    old_apps.get_model("reports", "PdfJob").objects.create(
        audit=patched, status="completed", audit_revision=3, requested_at=CREATED
    )
    try:
        new_apps = _migrate(leaves).loader.project_state(leaves).apps
        audits = new_apps.get_model("reports", "Audit")
        AuditRun = new_apps.get_model("reports", "AuditRun")
        ScoreRecord = new_apps.get_model("reports", "ScoreRecord")

        assert audits.objects.count() == 4
        assert audits.objects.get(pk=patched.pk).results["summary"] == "kept"
        assert new_apps.get_model("reports", "PdfJob").objects.get().audit_revision == 3
        first = AuditRun.objects.get(audit_id=crawled.pk)
        assert (first.number, first.trigger, first.status, first.generation) == (
            1,
            "create",
            "completed",
            1,
        )
        assert first.results == ENGINE_RESULTS
        assert first.scores == ENGINE_RESULTS["scores"]
        assert first.finding_counts == {"critical": 1, "high": 0, "medium": 1, "low": 0}
        assert first.pages_crawled == 2
        outside = AuditRun.objects.get(audit_id=patched.pk)
        assert (outside.trigger, outside.status, outside.scores) == (
            "results",
            "completed",
            {"seo": 70},
        )
        lost = AuditRun.objects.get(audit_id=failed.pk)
        assert (lost.trigger, lost.status, lost.error) == (
            "create",
            "failed",
            "No page of the site could be audited: HTTP 503.",
        )
        assert not AuditRun.objects.filter(audit_id=waiting.pk).exists()

        point = ScoreRecord.objects.get(audit_id=crawled.pk)
        assert (point.domain, point.run_id, point.owner_user_id) == (
            "field.example.com",
            first.pk,
            "auth0|field",
        )
        assert (point.overall_score, point.geo_score, point.seo_score) == (64, 64, 60)
        assert (point.critical_issues, point.high_issues, point.total_pages) == (1, 0, 2)
        assert ScoreRecord.objects.get(audit_id=patched.pk).seo_score == 70
        assert ScoreRecord.objects.count() == 2
    finally:
        _migrate(leaves)
