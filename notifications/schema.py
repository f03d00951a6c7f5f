"""OpenAPI descriptions of the webhook operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiParameter

from errors import catalog
from errors.schema import answer, operation_group
from notifications import serializers

TAGS = ["latentgeo-webhooks"]
WEBHOOK_ID_PARAMETER = OpenApiParameter("webhook_id", int, OpenApiParameter.PATH)
OWNER_ERRORS = (catalog.WEBHOOK_NOT_FOUND, catalog.WEBHOOK_NOT_OWNED)
# Operations on the caller's webhooks, and on the one webhook of theirs the path names.
webhooks_operation = operation_group(tags=TAGS)
webhook_operation = operation_group(
    tags=TAGS, parameters=[WEBHOOK_ID_PARAMETER], errors=OWNER_ERRORS, validation=True
)

webhooks_list = webhooks_operation(
    operation_id="webhooks_list",
    responses=answer(
        serializers.WebhookOutputSerializer(many=True), "The caller's webhooks (no secret)."
    ),
)

webhooks_create = webhooks_operation(
    operation_id="webhooks_create",
    request=serializers.WebhookCreateInputSerializer,
    responses=answer(
        serializers.WebhookCreatedOutputSerializer,
        "The webhook with its signing secret, shown this once.",
        status=201,
    ),
    errors=(catalog.WEBHOOK_LIMIT,),
    validation=True,
)

webhooks_delete = webhook_operation(
    operation_id="webhooks_delete",
    responses=answer(None, "Deleted, with its delivery log.", status=204),
)

webhooks_deliveries = webhook_operation(
    operation_id="webhooks_deliveries",
    responses=answer(
        serializers.WebhookDeliveryOutputSerializer(many=True),
        "The last 100 deliveries, newest first, each with its attempts.",
    ),
)
