from django.db import models


class Audit(models.Model):
    """A website audit owned by a LatentGEO user; its `results` feed the PDF report."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    RUN_ACTIVE = (Status.PENDING, Status.RUNNING)

    url = models.URLField(max_length=2048)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    results = models.JSONField(default=dict, blank=True)
    max_pages = models.PositiveSmallIntegerField(default=50)
    progress = models.PositiveSmallIntegerField(default=0)
    pages_crawled = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Bumped when a crawl is queued and when results arrive by PATCH: a crawl writes only
    # while its generation is the audit's current one, so a newer run or a PATCH stops it.
    run_generation = models.PositiveIntegerField(default=0)
    run_requested_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every results update so a PDF knows which version of the audit it renders.
    results_revision = models.PositiveIntegerField(default=0)
    owner_user_id = models.CharField(max_length=255, blank=True, db_index=True)
    owner_email = models.EmailField(max_length=320, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Audit {self.pk} of {self.url}"


class PdfJob(models.Model):
    """The current PDF report job of an audit: one row per audit, reused by each generation."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="pdf_job")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    audit_revision = models.PositiveIntegerField(
        help_text="The audit results revision this job renders."
    )
    celery_task_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Renders started for this request; bounded so a job that kills its worker cannot loop.
    attempts = models.PositiveSmallIntegerField(default=0)
    # A running job's worker renews this; once it passes, the worker is taken for dead.
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "PDF job"

    def __str__(self) -> str:
        return f"PDF job {self.pk} for audit {self.audit_id} ({self.status})"

    def is_abandoned(self, *, now) -> bool:
        """True for a running job whose worker stopped renewing its lease."""
        return (
            self.status == self.Status.RUNNING
            and self.lease_expires_at is not None
            and self.lease_expires_at <= now
        )
