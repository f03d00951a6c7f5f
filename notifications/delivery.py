"""Sending a webhook delivery: claim, sign, POST through the fetcher's rules, back off.

An attempt is claimed by moving the delivery's `next_attempt_at` forward in one conditional
update, so a delivery is sent by one worker at a time even when the retry scan and a queued
send meet; a worker that dies mid-attempt leaves the claim to lapse and the scan retries it.
Every attempt carries the same `webhook-id` and body and a fresh timestamp and signature
(Standard Webhooks).
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from audit_engine.fetcher import FetchFailedError, FetchRefusedError, SafeFetcher
from encryption.cipher import secret_decrypt
from notifications.addresses import webhook_fetch_policy
from notifications.models import WEBHOOK_SECRET_PURPOSE, WebhookAttempt, WebhookDelivery
from notifications.states import WEBHOOK_DELIVERY

logger = logging.getLogger(__name__)

USER_AGENT = "LatentGEO-Webhooks/1.0"
TIMEOUT_SECONDS = 10.0
# How long an attempt under way holds its claim before the retry scan takes it for lost.
CLAIM_SECONDS = 60
# Waits after each failed attempt: the first retry within a minute, the last about 24 hours
# after the first attempt (7 attempts).
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=15),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
ERROR_MAX_CHARS = 500


def _claim(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def _post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """The receiver's status code (None when nothing came back) and an error, if any."""
    secret = secret_decrypt(delivery.endpoint.secret_encrypted, purpose=WEBHOOK_SECRET_PURPOSE)
    signature = Webhook(secret).sign(delivery.message_id, now, delivery.payload)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    try:
        # Checked at every attempt: the name may resolve elsewhere than at creation.
        with SafeFetcher(
            policy=webhook_fetch_policy(), max_connections=1, timeout=TIMEOUT_SECONDS
        ) as fetcher:
            status = fetcher.post(
                url=delivery.endpoint.url, content=delivery.payload.encode(), headers=headers
            )
    except FetchRefusedError as exc:
        return None, f"refused: {exc.reason}"
    except FetchFailedError as exc:
        return None, str(exc)[:ERROR_MAX_CHARS]
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


@transaction.atomic
def _outcome_record(
    *, delivery_id: int, number: int, now: datetime, status_code: int | None, error: str
) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    WebhookAttempt.objects.create(
        delivery=delivery, number=number, attempted_at=now, status_code=status_code, error=error
    )
    delivery.status_code = status_code
    delivery.error = error
    if not error:
        WEBHOOK_DELIVERY.move(delivery, target=WebhookDelivery.Status.DELIVERED)
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif number >= MAX_ATTEMPTS:
        WEBHOOK_DELIVERY.move(delivery, target=WebhookDelivery.Status.FAILED)
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[number - 1]
    delivery.save(
        update_fields=["status", "status_code", "error", "delivered_at", "next_attempt_at"]
    )
    return delivery


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send the delivery once if it is due and nobody else is sending it; None when not."""
    now = timezone.now()
    delivery = _claim(delivery_id=delivery_id, now=now)
    if delivery is None:
        return None
    status_code, error = _post(delivery, now)
    delivery = _outcome_record(
        delivery_id=delivery.pk,
        number=delivery.attempts,
        now=now,
        status_code=status_code,
        error=error,
    )
    logger.info(
        "webhook_delivery_attempted",
        extra={
            "delivery_id": delivery.pk,
            "event": delivery.event,
            "attempt": delivery.attempts,
            "status_code": status_code,
            "outcome": delivery.status,
        },
    )
    return delivery


def webhook_deliveries_due(*, limit: int = 100) -> list[int]:
    """Ids of pending deliveries whose next attempt is due, oldest first."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
