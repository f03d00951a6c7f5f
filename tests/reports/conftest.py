from urllib.parse import urlsplit

import pytest
from django.conf import settings

from config.celery_app import app as celery_app
from reports.models import Audit
from tests.reports.factories import CompletedAuditFactory


def _test_broker_url() -> str:
    """A Redis database beside the cache's, so suites run side by side never share a queue."""
    url = urlsplit(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    database = int(url.path.lstrip("/") or 0)
    return url._replace(path=f"/{(database + 8) % 16}").geturl()


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

    broker_url = _test_broker_url()
    conf.broker_url, conf.task_always_eager = broker_url, False
    reconnect()
    celery_app.control.purge()
    yield broker_url
    celery_app.control.purge()
    conf.broker_url, conf.task_always_eager = saved
    reconnect()
