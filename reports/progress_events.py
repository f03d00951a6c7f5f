"""An audit's progress as its stream frames show it, and its publication on Redis.

Whatever writes an audit's progress (the crawl's steps, results arriving by PATCH) calls
`audit_progress_publish` once the write is committed; with Redis configured the frame goes
out on the audit's pub/sub channel, where open streams pick it up (reports.progress_stream).
Without Redis nothing is published and streams read the database instead. Publication is
best effort: pub/sub keeps nothing, so a stream also re-reads the database now and then.
"""

import json
import logging

from django.conf import settings
from django.db import transaction

from reports.audit_overview import audit_geo_score, audit_total_pages
from reports.models import Audit

logger = logging.getLogger(__name__)


def audit_progress_channel_prefix() -> str:
    """Channels of this database's audits: pub/sub spans every database of a Redis server."""
    return f"latentgeo:audit-progress:{settings.DATABASES['default']['NAME']}:"


TERMINAL_STATUSES = (Audit.Status.COMPLETED, Audit.Status.FAILED)


def audit_progress_channel(*, audit_id: int) -> str:
    """The Redis pub/sub channel of one audit's progress."""
    return f"{audit_progress_channel_prefix()}{audit_id}"


def audit_progress_frame(*, audit: Audit) -> dict:
    """The stream frame's data: the fields the web app's progress bar reads."""
    return {
        "audit_id": audit.pk,
        "progress": audit.progress,
        "status": audit.status,
        "error_message": audit.error or None,
        "geo_score": audit_geo_score(audit=audit),
        "total_pages": audit_total_pages(audit=audit),
    }


def audit_progress_frame_read(*, audit_id: int) -> dict | None:
    """The audit's current frame from the database; None once the audit is gone."""
    audit = Audit.objects.filter(pk=audit_id).first()
    return audit_progress_frame(audit=audit) if audit is not None else None


def audit_progress_publish(*, audit_id: int) -> None:
    """Publish the audit's frame once the current transaction commits (Redis only)."""
    if settings.REDIS_URL:
        transaction.on_commit(lambda: _publish(audit_id))


def _publish(audit_id: int) -> None:
    from django_redis import get_redis_connection

    frame = audit_progress_frame_read(audit_id=audit_id)
    if frame is None:
        return
    try:
        get_redis_connection("default").publish(
            audit_progress_channel(audit_id=audit_id), json.dumps(frame)
        )
    except Exception:
        # A lost frame only delays a stream until its next database read.
        logger.warning("audit_progress_publish_failed", extra={"audit_id": audit_id}, exc_info=True)
