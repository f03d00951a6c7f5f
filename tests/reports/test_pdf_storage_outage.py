"""Reports in a bucket: while the bucket does not answer, downloads are 503, never 500."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import PdfJob
from tests.object_storage import ACCESS_KEY, REGION, SECRET_KEY, S3Server

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_bucket(settings):
    server = S3Server()
    server.start()
    server.client().create_bucket(Bucket="reports")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "reports",
                "endpoint_url": server.endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "file_overwrite": False,
            },
        },
    }
    yield server
    server.stop()


def test_download_while_the_reports_bucket_is_down_is_503_and_recovers(
    reports_bucket, api_client, latentgeo_auth, completed_audit, settings
):
    job = PdfJob(
        audit=completed_audit,
        status=PdfJob.Status.COMPLETED,
        audit_revision=completed_audit.results_revision,
        requested_at=timezone.now(),
    )
    job.file.save("report.pdf", ContentFile(b"%PDF-1.7 stored in the bucket"), save=True)
    url = f"/api/v1/audits/{completed_audit.pk}/download-pdf"
    served = api_client.get(url, **latentgeo_auth())
    assert b"".join(served.streaming_content) == b"%PDF-1.7 stored in the bucket"

    reports_bucket.stop()
    down = api_client.get(url, **latentgeo_auth())
    assert down.status_code == 503
    assert down.json() == {"detail": "Service temporarily unavailable"}
    assert down["Retry-After"] == str(settings.RETRY_AFTER_UNAVAILABLE_SECONDS)

    reports_bucket.start()
    again = api_client.get(url, **latentgeo_auth())
    assert again.status_code == 200
