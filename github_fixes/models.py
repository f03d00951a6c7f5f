"""Repositories of GitHub connections, fix inputs, fix pull requests and webhook deliveries."""

from django.db import models

from connections.models import Connection
from reports.models import Audit


class Repository(models.Model):
    """A repository a GitHub connection can see, as last synced from GitHub."""

    class SiteType(models.TextChoices):
        STATIC = "static"
        NEXTJS = "nextjs", "Next.js"
        ASTRO = "astro"
        HUGO = "hugo"
        JEKYLL = "jekyll"

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="repositories"
    )
    github_id = models.BigIntegerField(
        help_text="GitHub's id of the repository: a sync finds the row by it, through renames."
    )
    full_name = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    owner = models.CharField(max_length=255)
    url = models.URLField(max_length=2048)
    homepage_url = models.CharField(max_length=2048, blank=True)
    default_branch = models.CharField(max_length=255, default="main")
    site_type = models.CharField(
        max_length=16, choices=SiteType.choices, blank=True, help_text="Detected at sync."
    )
    can_push = models.BooleanField(default=False)
    auto_audit = models.BooleanField(default=False)
    auto_pr = models.BooleanField(default=False)
    synced_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "github_id"], name="repository_unique_per_connection"
            )
        ]
        ordering = ["full_name", "id"]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return self.full_name


class FixInputSet(models.Model):
    """What the audit's owner told the fixes: values by group id, then field key."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="fix_inputs")
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Fix inputs of audit {self.audit_id}"


class FixPullRequest(models.Model):
    """The pull request that carries an audit's fixes into one repository.

    A second fix run of the audit pushes to the same branch and pull request; GitHub's webhook
    deliveries move its status.
    """

    class Status(models.TextChoices):
        OPEN = "open"
        MERGED = "merged"
        CLOSED = "closed", "Closed without merging"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="fix_pull_requests")
    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="pull_requests"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    html_url = models.URLField(max_length=2048)
    branch = models.CharField(max_length=255)
    head_sha = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    files_changed = models.JSONField(default=list, blank=True)
    fixes_applied = models.JSONField(default=list, blank=True)
    manual = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        auto_now=True,
        help_text="When a fix run last pushed to it, or GitHub last closed, merged or reopened it.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "number"], name="fix_pull_request_unique_number"
            )
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.repository} #{self.number} ({self.status})"


class GitHubDelivery(models.Model):
    """A GitHub webhook delivery already handled: a replay of its id is not handled again."""

    delivery_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64)
    action = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "GitHub webhook delivery"
        verbose_name_plural = "GitHub webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} {self.delivery_id}"
