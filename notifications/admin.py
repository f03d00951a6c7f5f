from django.contrib import admin

from notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["id", "url", "owner_email", "owner_user_id", "created_at"]
    search_fields = ["url", "owner_email", "owner_user_id"]
    # The secret is never shown again, not even to staff.
    exclude = ["secret_encrypted"]
    readonly_fields = ["owner_user_id", "owner_email", "created_at"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["number", "attempted_at", "status_code", "error"]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "endpoint", "status", "attempts", "status_code", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [
        "endpoint",
        "event",
        "message_id",
        "payload",
        "status",
        "attempts",
        "status_code",
        "error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    inlines = [WebhookAttemptInline]
