"""Bodies of the webhook API."""

from django.core.validators import URLValidator
from rest_framework import serializers

from errors.fields import RecordedErrorField
from notifications.addresses import webhook_url_refusal
from notifications.models import EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookCreateInputSerializer(serializers.Serializer):
    url = serializers.URLField(
        max_length=2048, validators=[URLValidator(schemes=["http", "https"])]
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), min_length=1, max_length=len(EVENTS)
    )

    def validate_url(self, url: str) -> str:
        refusal = webhook_url_refusal(url=url)
        if refusal:
            raise serializers.ValidationError(
                f"Webhooks may not be sent to this URL: {refusal}.", code="invalid"
            )
        return url


class WebhookOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "created_at"]


class WebhookCreatedOutputSerializer(WebhookOutputSerializer):
    secret = serializers.SerializerMethodField(
        help_text="The signing secret (Standard Webhooks, `whsec_...`); shown only here."
    )

    class Meta(WebhookOutputSerializer.Meta):
        fields = [*WebhookOutputSerializer.Meta.fields, "secret"]

    def get_secret(self, endpoint: WebhookEndpoint) -> str:
        return self.context["secret"]


class WebhookAttemptOutputSerializer(serializers.ModelSerializer):
    error = RecordedErrorField(read_only=True)

    class Meta:
        model = WebhookAttempt
        fields = ["number", "attempted_at", "status_code", "error"]


class WebhookDeliveryOutputSerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(source="message_id")
    error = RecordedErrorField(read_only=True)
    attempt_log = WebhookAttemptOutputSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "webhook_id",
            "status",
            "status_code",
            "attempts",
            "delivered_at",
            "next_attempt_at",
            "error",
            "created_at",
            "attempt_log",
        ]
