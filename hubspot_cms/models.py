from django.db import models

from connections.hubspot_cms import CmsPageType
from connections.models import Connection
from reports.models import Audit


class PageType(models.TextChoices):
    SITE_PAGE = CmsPageType.SITE_PAGE.value, "Site page"
    BLOG_POST = CmsPageType.BLOG_POST.value, "Blog post"


class ChangeField(models.TextChoices):
    HTML_TITLE = "html_title", "HTML title"
    META_DESCRIPTION = "meta_description", "Meta description"
    HEAD_HTML = "head_html", "Head HTML"


class HubSpotPage(models.Model):
    """A site page or blog post of a HubSpot connection's portal, as of its last sync."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    hubspot_id = models.CharField(max_length=64)
    page_type = models.CharField(max_length=16, choices=PageType.choices)
    url = models.CharField(max_length=2048, blank=True)
    # The URL as audits are matched on it (see hubspot_cms.page_urls).
    normalized_url = models.CharField(max_length=2048, blank=True, db_index=True)
    name = models.CharField(max_length=1024, blank=True)
    html_title = models.TextField(blank=True)
    meta_description = models.TextField(blank=True)
    head_html = models.TextField(blank=True)
    # HubSpot's `updatedAt` when last read: a page whose `updatedAt` moved since was changed in
    # HubSpot, and a change proposed from the old values is refused.
    hubspot_updated_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField()

    class Meta:
        verbose_name = "HubSpot page"
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "page_type", "hubspot_id"], name="hubspot_page_unique_object"
            )
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url or f"{self.get_page_type_display()} {self.hubspot_id}"


class HubSpotPortalSync(models.Model):
    """When a connection's pages were last synced: pages are synced on first listing."""

    connection = models.OneToOneField(Connection, on_delete=models.CASCADE, related_name="+")
    synced_at = models.DateTimeField()
    synced_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "HubSpot portal sync"

    def __str__(self) -> str:
        return f"Sync of connection {self.connection_id} at {self.synced_at:%Y-%m-%d %H:%M}"


class HubSpotChange(models.Model):
    """One field of one HubSpot page written for an audit, with the value it replaced.

    The page's identity is copied onto the change, so the history stays readable (and a
    change can be rolled back) after a later sync no longer lists the page.
    """

    class Status(models.TextChoices):
        APPLIED = "applied"
        ROLLED_BACK = "rolled_back", "Rolled back"
        FAILED = "failed"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        HubSpotPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    page_type = models.CharField(max_length=16, choices=PageType.choices)
    hubspot_page_id = models.CharField(max_length=64)
    page_url = models.CharField(max_length=2048, blank=True)
    field = models.CharField(max_length=32, choices=ChangeField.choices)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    error = models.TextField(blank=True)
    # HubSpot's `updatedAt` right after this write: a rollback checks it is still the page's.
    hubspot_updated_at = models.DateTimeField(null=True, blank=True)
    rollback_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rolled_back_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "HubSpot change"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["audit", "-created_at"], name="hubspot_change_audit_idx")]

    def __str__(self) -> str:
        return f"{self.get_field_display()} of {self.page_url or self.hubspot_page_id}"
