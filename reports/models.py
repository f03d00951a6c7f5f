from django.db import models

from audit_engine.crawler import DEFAULT_MAX_PAGES


class LeasedWork(models.Model):
    """Work a Celery worker does under a lease (an audit run's crawl, a PDF job's render): a
    worker that dies stops renewing it, and the work is then re-queued, or failed once it was
    started too many times, so no row is left running forever."""

    error = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Starts for this request; bounded so work that kills its worker cannot loop.
    attempts = models.PositiveSmallIntegerField(default=0)
    celery_task_id = models.CharField(max_length=64, blank=True)
    # A running worker renews this; once it passes, the worker is taken for dead.
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_abandoned(self, *, now) -> bool:
        """True for running work whose worker stopped renewing its lease."""
        return (
            self.status == self.Status.RUNNING
            and self.lease_expires_at is not None
            and self.lease_expires_at <= now
        )


class Audit(models.Model):
    """A website audit owned by a LatentGEO user; its `results` feed the PDF report."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"

    class Interval(models.TextChoices):
        DAILY = "daily"
        WEEKLY = "weekly"
        MONTHLY = "monthly"

    RUN_ACTIVE = (Status.PENDING, Status.RUNNING)

    url = models.URLField(max_length=2048)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    results = models.JSONField(default=dict, blank=True)
    max_pages = models.PositiveSmallIntegerField(default=DEFAULT_MAX_PAGES)
    progress = models.PositiveSmallIntegerField(default=0)
    pages_crawled = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Bumped when a crawl is queued and when results arrive by PATCH: a crawl writes only
    # while its generation is the audit's current one, so a newer run or a PATCH stops it.
    run_generation = models.PositiveIntegerField(default=0)
    run_requested_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every results update so a PDF knows which version of the audit it renders.
    results_revision = models.PositiveIntegerField(default=0)
    # A scheduled audit is re-run by the beat task once `schedule_next_run_at` has passed.
    schedule_interval = models.CharField(max_length=16, choices=Interval.choices, blank=True)
    schedule_next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    owner_user_id = models.CharField(max_length=255, blank=True, db_index=True)
    owner_email = models.EmailField(max_length=320, blank=True, db_index=True)
    # What the web app's intake form says about the site; stored and shown, not used by the crawl.
    language = models.CharField(max_length=16, blank=True)
    competitors = models.JSONField(default=list, blank=True)
    market = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Audit {self.pk} of {self.url}"


class AuditRun(LeasedWork):
    """One run of an audit: a crawl (creation, rerun, schedule) or results sent by PATCH."""

    class Trigger(models.TextChoices):
        CREATE = "create", "Creation"
        RERUN = "rerun"
        SCHEDULE = "schedule"
        RESULTS = "results", "Results sent by PATCH"

    Status = Audit.Status
    RUN_ACTIVE = Audit.RUN_ACTIVE

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="runs")
    # 1, 2, 3... within the audit: the `{run}` of the API's paths.
    number = models.PositiveIntegerField()
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # The audit's run generation this crawl writes under (0 for results sent by PATCH).
    generation = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    finding_counts = models.JSONField(default=dict, blank=True)
    pages_crawled = models.PositiveIntegerField(default=0)
    # The beat task finds lapsed crawls by this.
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audit_run_number_unique")
        ]

    def __str__(self) -> str:
        return f"Run {self.number} of audit {self.audit_id} ({self.status})"


class ScoreRecord(models.Model):
    """A point of a domain's score history: a completed run's scores, or an outside pipeline's."""

    domain = models.CharField(max_length=255)
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, null=True, blank=True, related_name="score_records"
    )
    run = models.OneToOneField(
        AuditRun, on_delete=models.CASCADE, null=True, blank=True, related_name="score_record"
    )
    owner_user_id = models.CharField(max_length=255, blank=True)
    owner_email = models.EmailField(max_length=320, blank=True)
    recorded_at = models.DateTimeField()
    overall_score = models.FloatField(null=True, blank=True)
    seo_score = models.FloatField(null=True, blank=True)
    geo_score = models.FloatField(null=True, blank=True)
    performance_score = models.FloatField(null=True, blank=True)
    critical_issues = models.PositiveIntegerField(default=0)
    high_issues = models.PositiveIntegerField(default=0)
    total_pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["owner_user_id", "domain", "recorded_at"]),
            models.Index(fields=["owner_email", "domain", "recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"Scores of {self.domain} at {self.recorded_at:%Y-%m-%d %H:%M}"


class PdfJob(LeasedWork):
    """The current PDF report job of an audit: one row per audit, reused by each generation."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="pdf_job")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    audit_revision = models.PositiveIntegerField(
        help_text="The audit results revision this job renders."
    )
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "PDF job"

    def __str__(self) -> str:
        return f"PDF job {self.pk} for audit {self.audit_id} ({self.status})"
