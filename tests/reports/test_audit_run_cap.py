"""The running cap holds under concurrent creations by one user."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from reports.models import Audit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued_not_run():
    """Queued runs stay queued: published to the in-memory broker, which no worker reads."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = saved


@pytest.mark.usefixtures("queued_not_run")
def test_concurrent_creations_never_exceed_the_running_cap(latentgeo_auth):
    headers = latentgeo_auth()

    def create(index: int) -> int:
        try:
            response = APIClient().post(
                "/api/v1/audits",
                {"url": f"https://shop{index}.example.com/"},
                format="json",
                **headers,
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(create, range(6)))

    assert statuses == [201, 201, 201, 429, 429, 429]
    assert Audit.objects.filter(status=Audit.Status.PENDING).count() == 3


@pytest.mark.usefixtures("queued_not_run")
def test_concurrent_creations_of_one_url_start_one_audit(latentgeo_auth):
    headers = latentgeo_auth()

    def create(_index: int) -> int:
        try:
            response = APIClient().post(
                "/api/v1/audits/", {"url": "https://shop.example.com/"}, format="json", **headers
            )
            return response.json()["id"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(create, range(4)))

    assert len(ids) == 1
    assert Audit.objects.count() == 1
