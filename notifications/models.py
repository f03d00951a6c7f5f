from django.db import models

from encryption.fields import CiphertextField

WEBHOOK_SECRET_PURPOSE = "notifications.webhook-secret"  # noqa: S105 - a key-derivation label

# Every event a webhook may subscribe to; the emitting apps name them from here.
AUDIT_COMPLETED = "audit.completed"
AUDIT_FAILED = "audit.failed"
PDF_READY = "pdf.ready"
GITHUB_PR_OPENED = "github_pr.opened"
GITHUB_PR_MERGED = "github_pr.merged"
HUBSPOT_CHANGE_APPLIED = "hubspot_change.applied"
EVENTS = (
    AUDIT_COMPLETED,
    AUDIT_FAILED,
    PDF_READY,
    GITHUB_PR_OPENED,
    GITHUB_PR_MERGED,
    HUBSPOT_CHANGE_APPLIED,
)


class WebhookEndpoint(models.Model):
    """A URL of a user's own system that is told about the user's events."""

    owner_user_id = models.CharField(max_length=255, db_index=True)
    owner_email = models.EmailField(max_length=320, blank=True)
    url = models.URLField(max_length=2048)
    events = models.JSONField(default=list)
    # The signing secret (`whsec_...`), encrypted at rest; shown once.
    secret_encrypted = CiphertextField(purpose=WEBHOOK_SECRET_PURPOSE, blank=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Webhook {self.pk} to {self.url}"


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with every attempt until it lands or is given up."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    # The `webhook-id` header, the same on every attempt so receivers can drop duplicates.
    message_id = models.CharField(max_length=64, unique=True)
    # The body exactly as signed and sent on every attempt.
    payload = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # When the next attempt is due; while an attempt is under way, when it is taken for lost.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to webhook {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what the receiver answered."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"
