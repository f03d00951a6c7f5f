"""The score history the web app's charts read: every completed run adds a point."""

from datetime import UTC, datetime

import pytest
import time_machine

from reports.models import ScoreRecord
from reports.services import audit_results_update
from tests.reports.factories import AuditFactory

pytestmark = pytest.mark.django_db

HISTORY = "/api/v1/score-history"


def _results(overall: int, *, structure=60, content=40, critical=1) -> dict:
    findings = [
        {"code": "H1_MISSING", "severity": "critical", "title": "t", "description": "d",
         "recommendation": "r", "url": f"https://www.shop.example.com/{index}"}
        for index in range(critical)
    ] + [
        {"code": "TITLE_MISSING", "severity": "high", "title": "t", "description": "d",
         "recommendation": "r"}
    ]  # fmt: skip
    return {
        "summary": "",
        "scores": {"structure": structure, "content": content, "overall": overall},
        "findings": findings,
    }


@pytest.fixture
def complete():
    def store(audit, results: dict, *, at: datetime):
        with time_machine.travel(at, tick=False):
            audit_results_update(audit_id=audit.pk, results=results)

    return store


def test_domain_history_lists_every_completed_run_oldest_first(
    complete, api_client, latentgeo_auth
):
    audit = AuditFactory(url="https://WWW.Shop.example.com:443/catalogue")
    other = AuditFactory(url="https://blog.example.com/")
    complete(audit, _results(50, critical=3), at=datetime(2026, 5, 2, tzinfo=UTC))
    complete(audit, _results(70, structure=80, content=70), at=datetime(2026, 5, 20, tzinfo=UTC))
    complete(other, _results(90), at=datetime(2026, 5, 21, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC)):
        response = api_client.get(
            f"{HISTORY}/domain/www.shop.example.com?days=90", **latentgeo_auth()
        )

    assert response.status_code == 200
    body = response.json()
    assert (body["domain"], body["days"], body["total_records"]) == ("shop.example.com", 90, 2)
    first, second = body["history"]
    assert first == {
        "id": first["id"],
        "recorded_at": "2026-05-02T00:00:00Z",
        "overall_score": 50.0,
        "seo_score": 50.0,
        "geo_score": 50.0,
        "performance_score": None,
        "accessibility_score": None,
        "lcp": None,
        "cls": None,
        "critical_issues": 3,
        "high_issues": 1,
        "total_pages": 0,
        "citation_rate": None,
        "audit_id": audit.pk,
    }
    assert (second["overall_score"], second["seo_score"], second["critical_issues"]) == (
        70.0,
        75.0,
        1,
    )


def test_domain_history_keeps_to_its_days_and_to_the_callers_audits(
    complete, api_client, latentgeo_auth
):
    mine = AuditFactory()
    theirs = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    complete(mine, _results(40), at=datetime(2026, 1, 5, tzinfo=UTC))
    complete(mine, _results(60), at=datetime(2026, 5, 26, tzinfo=UTC))
    complete(theirs, _results(99), at=datetime(2026, 5, 26, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC)):
        week = api_client.get(f"{HISTORY}/domain/shop.example.com?days=7", **latentgeo_auth())
        default = api_client.get(f"{HISTORY}/domain/shop.example.com", **latentgeo_auth())

    assert [p["overall_score"] for p in week.json()["history"]] == [60.0]
    assert default.json()["days"] == 90
    assert [p["overall_score"] for p in default.json()["history"]] == [60.0]


@pytest.mark.parametrize("days", ["6", "366", "many"])
def test_domain_history_days_out_of_range_is_a_validation_error(api_client, latentgeo_auth, days):
    response = api_client.get(f"{HISTORY}/domain/shop.example.com?days={days}", **latentgeo_auth())

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "days"]


def test_month_comparison_averages_this_month_against_the_last(
    complete, api_client, latentgeo_auth
):
    audit = AuditFactory()
    complete(audit, _results(40, critical=2), at=datetime(2026, 5, 3, tzinfo=UTC))
    complete(audit, _results(60, critical=1), at=datetime(2026, 5, 30, tzinfo=UTC))
    complete(audit, _results(75, critical=0), at=datetime(2026, 6, 2, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 6, 15, tzinfo=UTC)):
        body = api_client.get(
            f"{HISTORY}/domain/shop.example.com/comparison", **latentgeo_auth()
        ).json()

    assert (body["domain"], body["current_month"], body["previous_month"]) == (
        "shop.example.com",
        "June 2026",
        "May 2026",
    )
    comparison = body["comparison"]
    assert set(comparison) == {
        "overall_score",
        "seo_score",
        "geo_score",
        "performance_score",
        "lcp",
        "critical_issues",
        "audit_count",
    }
    assert comparison["overall_score"] == {
        "current": 75.0,
        "previous": 50.0,
        "change": 25.0,
        "change_pct": 50.0,
        "trend": "up",
    }
    assert comparison["critical_issues"] == {
        "current": 0,
        "previous": 3,
        "change": -3,
        "change_pct": -100.0,
        "trend": "down",
    }
    assert (comparison["audit_count"]["current"], comparison["audit_count"]["previous"]) == (1, 2)
    assert isinstance(comparison["critical_issues"]["previous"], int)
    assert comparison["performance_score"] == {
        "current": 0,
        "previous": 0,
        "change": 0,
        "change_pct": 0,
        "trend": "stable",
    }


def test_month_comparison_change_pct_is_100_when_last_month_had_nothing(
    complete, api_client, latentgeo_auth
):
    complete(AuditFactory(), _results(64), at=datetime(2026, 1, 10, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 1, 20, tzinfo=UTC)):
        body = api_client.get(
            f"{HISTORY}/domain/shop.example.com/comparison", **latentgeo_auth()
        ).json()

    assert body["previous_month"] == "December 2025"
    assert body["comparison"]["overall_score"]["change_pct"] == 100.0


def test_summary_ranks_the_callers_domains_by_average(complete, api_client, latentgeo_auth):
    shop, blog = AuditFactory(), AuditFactory(url="https://blog.example.com/")
    complete(shop, _results(40), at=datetime(2026, 5, 20, tzinfo=UTC))
    complete(shop, _results(60), at=datetime(2026, 5, 28, tzinfo=UTC))
    complete(blog, _results(80), at=datetime(2026, 5, 21, tzinfo=UTC))
    complete(blog, _results(10), at=datetime(2026, 3, 1, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC)):
        body = api_client.get(f"{HISTORY}/summary?days=30", **latentgeo_auth()).json()
        too_long = api_client.get(f"{HISTORY}/summary?days=91", **latentgeo_auth())

    assert body == {
        "days": 30,
        "domains": [
            {
                "domain": "blog.example.com",
                "avg_score": 80.0,
                "audit_count": 1,
                "last_audit": "2026-05-21T00:00:00Z",
            },
            {
                "domain": "shop.example.com",
                "avg_score": 50.0,
                "audit_count": 2,
                "last_audit": "2026-05-28T00:00:00Z",
            },
        ],
    }
    assert too_long.status_code == 422


def test_record_adds_an_outside_pipelines_point(api_client, latentgeo_auth):
    audit = AuditFactory()

    response = api_client.post(
        f"{HISTORY}/record?domain=Shop.example.com&audit_id={audit.pk}"
        "&overall_score=71.5&seo_score=60&geo_score=71.5&performance_score=88",
        **latentgeo_auth(),
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["domain"]) == (True, "shop.example.com")
    record = ScoreRecord.objects.get(pk=body["id"])
    assert (record.audit_id, record.overall_score, record.performance_score) == (
        audit.pk,
        71.5,
        88.0,
    )
    history = api_client.get(f"{HISTORY}/domain/shop.example.com", **latentgeo_auth()).json()
    assert [p["performance_score"] for p in history["history"]] == [88.0]


def test_record_for_another_users_audit_is_forbidden(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")

    response = api_client.post(
        f"{HISTORY}/record?domain=shop.example.com&audit_id={audit.pk}&overall_score=50",
        **latentgeo_auth(),
    )
    missing = api_client.post(f"{HISTORY}/record?overall_score=50", **latentgeo_auth())

    assert response.status_code == 403
    assert not ScoreRecord.objects.exists()
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["query", "domain"]
