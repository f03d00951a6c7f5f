"""The lifecycle of a webhook delivery: pending through its attempts, then delivered or given up."""

from lifecycles.lifecycle import NEW, Lifecycle
from notifications.models import WebhookDelivery

_S = WebhookDelivery.Status
_MOVES = {
    NEW: {_S.PENDING},
    # A failed attempt with attempts left keeps the delivery pending.
    _S.PENDING: {_S.DELIVERED, _S.FAILED},
    _S.DELIVERED: set(),
    _S.FAILED: set(),
}
WEBHOOK_DELIVERY = Lifecycle(model=WebhookDelivery, moves=_MOVES)
