import factory
import pytest
from django.utils import timezone

from config.celery_app import app as celery_app
from reports.models import Audit

CELERY_TEST_BROKER_URL = "redis://127.0.0.1:6379/6"

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
    class Meta:
        model = Audit

    url = "https://shop.example.com/"
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"


class CompletedAuditFactory(AuditFactory):
    status = Audit.Status.COMPLETED
    results = factory.LazyFunction(lambda: dict(COMPLETED_RESULTS))
    results_revision = 1
    updated_at = factory.LazyFunction(timezone.now)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """PDFs of each test go to its own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def completed_audit(db) -> Audit:
    return CompletedAuditFactory()


@pytest.fixture
def celery_redis_broker():
    """Publish tasks to the local Redis broker instead of running them in-process."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)

    def reconnect() -> None:
        # The app caches its broker connection pools; drop them so the new URL is used.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.broker_url, conf.task_always_eager = CELERY_TEST_BROKER_URL, False
    reconnect()
    celery_app.control.purge()
    yield CELERY_TEST_BROKER_URL
    celery_app.control.purge()
    conf.broker_url, conf.task_always_eager = saved
    reconnect()
