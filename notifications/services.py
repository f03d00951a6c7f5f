"""Writes of webhooks: endpoints, and the deliveries an event queues for them."""

import base64
import json
import secrets
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from authn.auth0_user import Auth0User
from authn.ownership import owner_fields
from encryption.cipher import secret_encrypt
from errors import catalog
from errors.exceptions import ApiError
from notifications import tasks
from notifications.models import EVENTS, WEBHOOK_SECRET_PURPOSE, WebhookDelivery, WebhookEndpoint
from rows.saving import row_save

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret
SECRET_BYTES = 32
MAX_ENDPOINTS_PER_USER = 20


@transaction.atomic
def webhook_endpoint_create(
    *, user: Auth0User, url: str, events: list[str]
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint of the caller and its signing secret, which is never shown again."""
    if WebhookEndpoint.objects.filter(owner_user_id=user.sub).count() >= MAX_ENDPOINTS_PER_USER:
        raise ApiError(catalog.WEBHOOK_LIMIT, limit=MAX_ENDPOINTS_PER_USER)
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
    endpoint = WebhookEndpoint(
        **owner_fields(user),
        url=url,
        events=[event for event in EVENTS if event in events],
        secret_encrypted=secret_encrypt(secret, purpose=WEBHOOK_SECRET_PURPOSE),
    )
    row_save(endpoint)
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint with its delivery log; pending retries stop."""
    endpoint.delete()


@transaction.atomic
def webhook_event_emit(
    *, owner_user_id: str, event: str, data: dict, owner_email: str = ""
) -> list[WebhookDelivery]:
    """Queue `event` with `data` for every endpoint of the owner that subscribes to it.

    The first attempt is sent once the caller's transaction commits; the owner is the `sub`
    of the user the event concerns (or its email for rows that have no `sub`).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    if owner_user_id:
        owner = Q(owner_user_id=owner_user_id)
    elif owner_email:
        owner = Q(owner_email=owner_email.lower())
    else:
        return []
    endpoints = [e for e in WebhookEndpoint.objects.filter(owner) if event in e.events]
    if not endpoints:
        return []
    now = timezone.now()
    payload = json.dumps(
        {"type": event, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data},
        separators=(",", ":"),
        default=str,
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            message_id=f"msg_{uuid.uuid4().hex}",
            payload=payload,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        tasks.webhook_delivery_send.delay_on_commit(delivery_id=delivery.pk)
    return deliveries


def audit_event_emit(*, audit, event: str, data: dict) -> list[WebhookDelivery]:
    """Queue `event` about `audit` for the audit's owner, its data led by the `audit_id`: every
    event is about one of a user's audits, and only their owner hears of it."""
    return webhook_event_emit(
        owner_user_id=audit.owner_user_id,
        owner_email=audit.owner_email,
        event=event,
        data={"audit_id": audit.pk, **data},
    )
