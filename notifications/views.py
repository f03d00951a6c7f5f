"""LatentGEO webhook endpoints: register, list, delete, and the delivery log."""

from rest_framework import status
from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from errors.validation import body_validate
from notifications import schema, services
from notifications.selectors import (
    webhook_delivery_list,
    webhook_endpoint_get_from_path,
    webhook_endpoint_list_for_owner,
)
from notifications.serializers import (
    WebhookCreatedOutputSerializer,
    WebhookCreateInputSerializer,
    WebhookDeliveryOutputSerializer,
    WebhookOutputSerializer,
)


class WebhookListView(LatentgeoView):
    @schema.webhooks_list
    def get(self, request):
        endpoints = webhook_endpoint_list_for_owner(user=request.user)
        return Response(WebhookOutputSerializer(endpoints, many=True).data)

    @schema.webhooks_create
    def post(self, request):
        data = body_validate(WebhookCreateInputSerializer, request)
        endpoint, secret = services.webhook_endpoint_create(
            user=request.user, url=data["url"], events=data["events"]
        )
        body = WebhookCreatedOutputSerializer(endpoint, context={"secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailView(LatentgeoView):
    @schema.webhooks_delete
    def delete(self, request, webhook_id: str):
        endpoint = webhook_endpoint_get_from_path(webhook_id=webhook_id, user=request.user)
        services.webhook_endpoint_delete(endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(LatentgeoView):
    @schema.webhooks_deliveries
    def get(self, request, webhook_id: str):
        endpoint = webhook_endpoint_get_from_path(webhook_id=webhook_id, user=request.user)
        deliveries = webhook_delivery_list(endpoint=endpoint)
        return Response(WebhookDeliveryOutputSerializer(deliveries, many=True).data)
