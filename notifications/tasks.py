"""Celery tasks of webhooks: one attempt of a delivery, and the scan that retries due ones."""

from celery import shared_task

from notifications.delivery import webhook_deliveries_due, webhook_delivery_attempt


@shared_task(acks_late=True, ignore_result=True)
def webhook_delivery_send(delivery_id: int) -> str:
    """Attempt the delivery if it is due; a failed attempt is retried by the scan later."""
    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "skipped"


@shared_task(ignore_result=True)
def webhook_deliveries_send_due() -> int:
    """Queue an attempt of every delivery whose retry is due (run by beat every 30 s)."""
    due = webhook_deliveries_due()
    for delivery_id in due:
        webhook_delivery_send.delay(delivery_id=delivery_id)
    return len(due)
