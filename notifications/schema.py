"""OpenAPI descriptions of the webhook operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from errors import catalog
from errors.schema import operation
from notifications.serializers import (
    WebhookCreatedOutputSerializer,
    WebhookCreateInputSerializer,
    WebhookDeliveryOutputSerializer,
    WebhookOutputSerializer,
)

TAGS = ["latentgeo-webhooks"]
WEBHOOK_ID_PARAMETER = OpenApiParameter("webhook_id", int, OpenApiParameter.PATH)
OWNER_ERRORS = (catalog.WEBHOOK_NOT_FOUND, catalog.WEBHOOK_NOT_OWNED)

webhooks_list = operation(
    tags=TAGS,
    operation_id="webhooks_list",
    responses={
        200: OpenApiResponse(
            WebhookOutputSerializer(many=True), description="The caller's webhooks (no secret)."
        )
    },
)

webhooks_create = operation(
    tags=TAGS,
    operation_id="webhooks_create",
    request=WebhookCreateInputSerializer,
    responses={
        201: OpenApiResponse(
            WebhookCreatedOutputSerializer,
            description="The webhook with its signing secret, shown this once.",
        )
    },
    errors=(catalog.MALFORMED_JSON, catalog.WEBHOOK_LIMIT),
    validation=True,
)

webhooks_delete = operation(
    tags=TAGS,
    operation_id="webhooks_delete",
    parameters=[WEBHOOK_ID_PARAMETER],
    responses={204: OpenApiResponse(None, description="Deleted, with its delivery log.")},
    errors=OWNER_ERRORS,
    validation=True,
)

webhooks_deliveries = operation(
    tags=TAGS,
    operation_id="webhooks_deliveries",
    parameters=[WEBHOOK_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            WebhookDeliveryOutputSerializer(many=True),
            description="The last 100 deliveries, newest first, each with its attempts.",
        )
    },
    errors=OWNER_ERRORS,
    validation=True,
)
