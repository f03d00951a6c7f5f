"""Reads of webhooks; ownership is enforced here."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from authn.ownership import owned_by, owned_row_get
from errors import catalog
from errors.validation import path_int
from notifications.models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_LENGTH = 100


def webhook_endpoint_list_for_owner(*, user: Auth0User) -> QuerySet[WebhookEndpoint]:
    """The caller's webhook endpoints, newest first."""
    return WebhookEndpoint.objects.filter(owned_by(user))


def webhook_endpoint_get_from_path(*, webhook_id: str, user: Auth0User) -> WebhookEndpoint:
    """The endpoint the `webhook_id` segment of a URL names when the caller owns it; 404 when
    absent, 403 when not owned."""
    return owned_row_get(
        WebhookEndpoint.objects,
        pk=path_int("webhook_id", webhook_id),
        user=user,
        not_found=catalog.WEBHOOK_NOT_FOUND,
        not_owned=catalog.WEBHOOK_NOT_OWNED,
    )


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's last 100 deliveries, newest first, with their attempts."""
    return endpoint.deliveries.order_by("-created_at", "-id").prefetch_related("attempt_log")[
        :DELIVERY_LOG_LENGTH
    ]
