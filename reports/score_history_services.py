"""Writes of the score history: a point recorded by an outside pipeline."""

from django.db import transaction
from django.utils import timezone

from authn.auth0_user import Auth0User
from authn.ownership import owner_fields
from reports.models import ScoreRecord
from reports.score_history_selectors import score_domain_normalise
from reports.selectors import audit_get_for_owner
from rows.saving import row_save


@transaction.atomic
def score_record_create(
    *,
    user: Auth0User,
    domain: str,
    audit_id: int | None = None,
    overall_score: float | None = None,
    seo_score: float | None = None,
    geo_score: float | None = None,
    performance_score: float | None = None,
) -> ScoreRecord:
    """A point of the caller's history of `domain`; the audit, when named, must be the caller's."""
    audit = audit_get_for_owner(audit_id=audit_id, user=user) if audit_id is not None else None
    record = ScoreRecord(
        domain=score_domain_normalise(domain=domain),
        audit=audit,
        **owner_fields(user),
        recorded_at=timezone.now(),
        overall_score=overall_score,
        seo_score=seo_score,
        geo_score=geo_score,
        performance_score=performance_score,
    )
    return row_save(record)
