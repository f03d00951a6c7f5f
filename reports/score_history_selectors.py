"""Reads of the score history the web app's charts draw; only the caller's points are read.

Every completed run adds a point (reports.run_outcomes), and an outside pipeline may add its
own (score_history_services). A point belongs to its audit's owner; the ownership rule is the
one of audits (authn.ownership).
"""

import calendar
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from authn.auth0_user import Auth0User
from authn.ownership import owned_by
from errors.validation import text_storable
from reports.models import ScoreRecord
from reports.run_figures import score_history_domain

SUMMARY_DOMAINS = 20
# The figures of the month comparison: averaged, except critical issues (summed) and the
# number of audits (counted).
AVERAGED = ("overall_score", "seo_score", "geo_score", "performance_score")
COUNTED = ("critical_issues", "audit_count")


def score_domain_normalise(*, domain: str) -> str:
    """A domain as the history keys it, from what a caller typed (`WWW.Shop.com:443`)."""
    return score_history_domain(url=f"//{domain.strip()}")


def score_history_list_for_owner(*, user: Auth0User) -> QuerySet[ScoreRecord]:
    """Every point of the caller's score history."""
    return ScoreRecord.objects.filter(owned_by(user))


def _domain_points(*, user: Auth0User, domain: str) -> QuerySet[ScoreRecord]:
    points = score_history_list_for_owner(user=user)
    normalised = score_domain_normalise(domain=domain)
    # A domain with a control character names no stored point (and PostgreSQL refuses NUL).
    if not text_storable(normalised):
        return points.none()
    return points.filter(domain=normalised)


def score_history_domain_list(*, user: Auth0User, domain: str, days: int) -> QuerySet[ScoreRecord]:
    """The caller's points of `domain` in the last `days` days, oldest first."""
    since = timezone.now() - timedelta(days=days)
    return _domain_points(user=user, domain=domain).filter(recorded_at__gte=since)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _month_figures(points: QuerySet[ScoreRecord], start: datetime, end: datetime) -> dict:
    figures = points.filter(recorded_at__gte=start, recorded_at__lt=end).aggregate(
        **{name: Avg(name) for name in AVERAGED},
        critical_issues=Coalesce(Sum("critical_issues"), 0),
        audit_count=Count("id"),
    )
    # LCP is not measured: it compares as 0 in both months.
    return {**figures, "lcp": None}


def _change(current: float | None, previous: float | None, *, counted: bool) -> dict:
    # Counts stay whole numbers; averages keep one decimal.
    digits = None if counted else 1
    current_value = round(current or 0, digits)
    previous_value = round(previous or 0, digits)
    change = round(current_value - previous_value, digits)
    if previous_value:
        change_pct = round(change / previous_value * 100, 1)
    else:
        change_pct = 100.0 if current_value else 0.0
    trend = "up" if change > 0 else "down" if change < 0 else "stable"
    return {
        "current": current_value,
        "previous": previous_value,
        "change": change,
        "change_pct": change_pct,
        "trend": trend,
    }


def score_history_comparison_get(*, user: Auth0User, domain: str) -> dict:
    """This calendar month against the previous one for `domain`, as the app's chart reads it."""
    now = timezone.now()
    current_start = _month_start(now)
    previous_start = _month_start(current_start - timedelta(days=1))
    next_start = current_start + timedelta(
        days=calendar.monthrange(current_start.year, current_start.month)[1]
    )
    normalised = score_domain_normalise(domain=domain)
    points = _domain_points(user=user, domain=domain)
    current = _month_figures(points, current_start, next_start)
    previous = _month_figures(points, previous_start, current_start)
    names = (*AVERAGED, "lcp", "critical_issues", "audit_count")
    return {
        "domain": normalised,
        "current_month": current_start.strftime("%B %Y"),
        "previous_month": previous_start.strftime("%B %Y"),
        "comparison": {
            name: _change(current[name], previous[name], counted=name in COUNTED) for name in names
        },
    }


def score_history_summary_get(*, user: Auth0User, days: int) -> dict:
    """The caller's domains of the last `days` days: average overall score, audits, last one."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        score_history_list_for_owner(user=user)
        .filter(recorded_at__gte=since)
        .values("domain")
        .annotate(
            avg_score=Avg("overall_score"), audit_count=Count("id"), last_audit=Max("recorded_at")
        )
        .order_by("-avg_score", "domain")[:SUMMARY_DOMAINS]
    )
    return {
        "days": days,
        "domains": [
            {
                **row,
                "avg_score": round(row["avg_score"], 1) if row["avg_score"] is not None else None,
            }
            for row in rows
        ],
    }
