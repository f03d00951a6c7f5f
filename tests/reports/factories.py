"""Audits, their runs and PDF jobs as the tests need them, owned by alice unless told."""

import factory
from django.utils import timezone

from reports.models import Audit, AuditRun, PdfJob

COMPLETED_RESULTS = {
    "summary": "Solid technical base; metadata and structured data need work.",
    "scores": {"seo": 72, "performance": 91, "accessibility": 48},
    "findings": [
        {
            "severity": "critical",
            "title": "Robots.txt blocks the product catalogue",
            "description": "Crawlers cannot reach the product pages.",
            "recommendation": "Remove the Disallow rule for /products/.",
            "url": "https://shop.example.com/robots.txt",
        },
        {
            "severity": "high",
            "title": "Missing meta descriptions",
            "description": "Many pages have no meta description.",
            "recommendation": "Write unique descriptions for the top pages.",
        },
        {
            "severity": "medium",
            "title": "No structured data for products",
            "description": "Product pages carry no schema.org markup.",
            "recommendation": "Add JSON-LD Product markup.",
        },
        {
            "severity": "low",
            "title": "Long title tags",
            "description": "Some titles are truncated in results.",
            "recommendation": "Shorten titles to under 60 characters.",
        },
    ],
}


class AuditFactory(factory.django.DjangoModelFactory):
    """A pending audit of the shop, never run."""

    class Meta:
        model = Audit

    url = "https://shop.example.com/"
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"


class CompletedAuditFactory(AuditFactory):
    """An audit whose first results are `COMPLETED_RESULTS`: one finding of each severity."""

    status = Audit.Status.COMPLETED
    results = factory.LazyFunction(lambda: dict(COMPLETED_RESULTS))
    results_revision = 1
    updated_at = factory.LazyFunction(timezone.now)


class AuditRunFactory(factory.django.DjangoModelFactory):
    """The audit's next crawl run, requested now and not started."""

    class Meta:
        model = AuditRun

    audit = factory.SubFactory(AuditFactory)
    number = factory.LazyAttribute(lambda run: run.audit.runs.count() + 1)
    trigger = AuditRun.Trigger.CREATE
    requested_at = factory.LazyFunction(timezone.now)


class PdfJobFactory(factory.django.DjangoModelFactory):
    """A PDF job queued now for the current results of a completed audit."""

    class Meta:
        model = PdfJob

    audit = factory.SubFactory(CompletedAuditFactory)
    status = PdfJob.Status.QUEUED
    audit_revision = factory.LazyAttribute(lambda job: job.audit.results_revision)
    requested_at = factory.LazyFunction(timezone.now)
