"""Webhooks: registration, Standard Webhooks signatures, retries with backoff, the log."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from werkzeug import Response

from notifications import delivery as webhook_delivery
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.services import webhook_event_emit
from notifications.tasks import webhook_deliveries_send_due

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks"
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def loopback_allowed(settings):
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]


class Receiver:
    """A user's system on loopback: verifies each delivery, fails the first `failures`."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.secret = ""
        self.received: list[dict] = []

    def __call__(self, request) -> Response:
        try:
            body = Webhook(self.secret).verify(request.get_data(), dict(request.headers))
            verified = True
        except WebhookVerificationError:
            body, verified = None, False
        self.received.append(
            {"verified": verified, "body": body, "webhook_id": request.headers["webhook-id"]}
        )
        if len(self.received) <= self.failures:
            return Response("try later", status=500)
        return Response("", status=204)


@pytest.fixture
def register(api_client, latentgeo_auth):
    def post(url: str, events=("audit.completed",), **auth):
        return api_client.post(
            WEBHOOKS, {"url": url, "events": list(events)}, format="json", **latentgeo_auth(**auth)
        )

    return post


def _emit(django_capture_on_commit_callbacks, event="audit.completed", data=None):
    with django_capture_on_commit_callbacks(execute=True):
        return webhook_event_emit(
            owner_user_id="auth0|alice", event=event, data=data or {"audit_id": 7}
        )


@pytest.mark.usefixtures("loopback_allowed")
def test_failed_deliveries_are_retried_with_backoff_until_the_third_lands(
    httpserver, register, api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    receiver = Receiver(failures=2)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(receiver)
    with time_machine.travel(START, tick=True) as clock:
        created = register(httpserver.url_for("/hooks"))
        assert created.status_code == 201
        receiver.secret = created.json()["secret"]
        endpoint_id = created.json()["id"]

        _emit(django_capture_on_commit_callbacks, data={"audit_id": 7, "run": 2})
        # Not due yet: the scan leaves the delivery alone.
        assert webhook_deliveries_send_due() == 0
        clock.shift(timedelta(seconds=31))
        assert webhook_deliveries_send_due() == 1
        clock.shift(timedelta(minutes=4))
        assert webhook_deliveries_send_due() == 0
        clock.shift(timedelta(minutes=1, seconds=1))
        assert webhook_deliveries_send_due() == 1

        log = api_client.get(f"{WEBHOOKS}/{endpoint_id}/deliveries", **latentgeo_auth()).json()

    assert [r["verified"] for r in receiver.received] == [True, True, True]
    assert len({r["webhook_id"] for r in receiver.received}) == 1
    assert receiver.received[0]["body"]["type"] == "audit.completed"
    assert receiver.received[0]["body"]["data"] == {"audit_id": 7, "run": 2}
    [entry] = log
    assert entry["webhook_id"] == receiver.received[0]["webhook_id"]
    assert (entry["event"], entry["status"], entry["status_code"], entry["attempts"]) == (
        "audit.completed",
        "delivered",
        204,
        3,
    )
    assert entry["delivered_at"] is not None and entry["next_attempt_at"] is None
    assert entry["error"] is None
    assert [(a["number"], a["status_code"], a["error"]) for a in entry["attempt_log"]] == [
        (1, 500, "HTTP 500"),
        (2, 500, "HTTP 500"),
        (3, 204, None),
    ]


@pytest.mark.usefixtures("loopback_allowed")
def test_a_receiver_that_never_answers_2xx_is_given_up_after_seven_attempts_in_a_day(
    httpserver, register, django_capture_on_commit_callbacks
):
    receiver = Receiver(failures=100)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(receiver)
    with time_machine.travel(START, tick=False) as clock:
        receiver.secret = register(httpserver.url_for("/hooks")).json()["secret"]
        [queued] = _emit(django_capture_on_commit_callbacks)
        waits = []
        delivery = WebhookDelivery.objects.get(pk=queued.pk)
        while delivery.status == "pending":
            waits.append(delivery.next_attempt_at - START)
            clock.move_to(delivery.next_attempt_at)
            webhook_deliveries_send_due()
            delivery.refresh_from_db()

    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 7, None)
    assert len(receiver.received) == 7
    # When each retry was due, counted from the first attempt (sent at once).
    assert len(waits) == 6
    assert timedelta(seconds=0) < waits[0] <= timedelta(minutes=1)
    assert all(
        later - earlier >= 2 * (earlier - before)
        for before, earlier, later in zip([timedelta(0), *waits], waits, waits[1:], strict=False)
    )
    assert timedelta(hours=20) <= waits[-1] <= timedelta(hours=24)


@pytest.mark.usefixtures("loopback_allowed")
def test_a_due_delivery_is_sent_once_however_often_it_is_queued(
    httpserver, register, django_capture_on_commit_callbacks
):
    receiver = Receiver(failures=1)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(receiver)
    with time_machine.travel(START, tick=False) as clock:
        receiver.secret = register(httpserver.url_for("/hooks")).json()["secret"]
        [queued] = _emit(django_capture_on_commit_callbacks)
        clock.shift(timedelta(seconds=30))

        first = webhook_delivery.webhook_delivery_attempt(delivery_id=queued.pk)
        again = webhook_delivery.webhook_delivery_attempt(delivery_id=queued.pk)

    assert first.status == "delivered"
    assert again is None
    assert len(receiver.received) == 2


def test_loopback_webhook_url_is_refused_at_creation(register):
    response = register("http://127.0.0.1:9/hooks")

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert (item["loc"], item["type"]) == (["body", "url"], "value_error.url")
    assert item["msg"].startswith("Webhooks may not be sent to this URL: address 127.0.0.1")
    assert not WebhookEndpoint.objects.exists()


def test_address_rules_apply_again_at_each_delivery(
    httpserver, settings, register, django_capture_on_commit_callbacks
):
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    register(httpserver.url_for("/hooks"))
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = []

    [queued] = _emit(django_capture_on_commit_callbacks)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.status_code) == ("pending", 1, None)
    assert queued.error == "refused: address 127.0.0.1 is not a public address"
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"url": "https://hooks.example.com/x", "events": ["audit.gone"]}, ["body", "events", 0]),
        ({"url": "https://hooks.example.com/x", "events": []}, ["body", "events"]),
        ({"url": "ftp://hooks.example.com/x", "events": ["pdf.ready"]}, ["body", "url"]),
        ({"events": ["pdf.ready"]}, ["body", "url"]),
    ],
)  # fmt: skip
def test_bad_registrations_are_validation_errors(api_client, latentgeo_auth, body, loc):
    response = api_client.post(WEBHOOKS, body, format="json", **latentgeo_auth())

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_secret_is_shown_once_and_stored_encrypted(register, api_client, latentgeo_auth):
    created = register("https://hooks.example.com/x", events=["pdf.ready", "audit.failed"])

    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["audit.failed", "pdf.ready"]
    stored = WebhookEndpoint.objects.get().secret_encrypted
    assert body["secret"] not in stored
    listed = api_client.get(WEBHOOKS, **latentgeo_auth()).json()
    assert listed == [
        {
            "id": body["id"],
            "url": "https://hooks.example.com/x",
            "events": ["audit.failed", "pdf.ready"],
            "created_at": body["created_at"],
        }
    ]


def test_only_the_owner_sees_deletes_or_reads_a_webhooks_log(register, api_client, latentgeo_auth):
    endpoint_id = register("https://hooks.example.com/x").json()["id"]
    bob = latentgeo_auth(sub="auth0|bob", email="bob@example.com")

    assert api_client.get(WEBHOOKS, **bob).json() == []
    assert api_client.get(f"{WEBHOOKS}/{endpoint_id}/deliveries", **bob).status_code == 403
    assert api_client.delete(f"{WEBHOOKS}/{endpoint_id}", **bob).json() == {
        "detail": "No autorizado para este webhook"
    }
    assert api_client.delete(f"{WEBHOOKS}/{endpoint_id}", **latentgeo_auth()).status_code == 204
    assert api_client.delete(f"{WEBHOOKS}/{endpoint_id}", **latentgeo_auth()).json() == {
        "detail": "Webhook no encontrado"
    }


def test_events_reach_only_the_owners_endpoints_subscribed_to_them(
    register, django_capture_on_commit_callbacks
):
    register("https://hooks.example.com/a", events=["audit.completed"])
    register("https://hooks.example.com/b", events=["pdf.ready"])
    register("https://hooks.example.com/c", events=["audit.completed"], sub="auth0|bob")

    deliveries = _emit(django_capture_on_commit_callbacks)

    assert [d.endpoint.url for d in deliveries] == ["https://hooks.example.com/a"]
    assert json.loads(deliveries[0].payload)["type"] == "audit.completed"


def test_results_sent_for_an_audit_emit_audit_completed(
    register, api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    from tests.reports.factories import COMPLETED_RESULTS, AuditFactory

    register("https://hooks.example.com/a", events=["audit.completed"])
    audit = AuditFactory()

    with django_capture_on_commit_callbacks(execute=False):
        api_client.patch(
            f"/api/v1/audits/{audit.pk}",
            {"results": COMPLETED_RESULTS},
            format="json",
            **latentgeo_auth(),
        )

    payload = json.loads(WebhookDelivery.objects.get().payload)
    assert payload["type"] == "audit.completed"
    assert payload["data"]["audit_id"] == audit.pk
    assert payload["data"]["run"] == 1
    assert payload["data"]["finding_counts"] == {"critical": 1, "high": 1, "medium": 1, "low": 1}


def test_a_finished_pdf_emits_pdf_ready(register, django_capture_on_commit_callbacks):
    from reports.pdf_job_steps import pdf_job_complete
    from tests.reports.factories import PdfJobFactory

    register("https://hooks.example.com/a", events=["pdf.ready"])
    job = PdfJobFactory(status="running")
    audit = job.audit

    with django_capture_on_commit_callbacks(execute=False):
        pdf_job_complete(job_id=job.pk, content=b"%PDF-1.7 test", audit_revision=1)

    payload = json.loads(WebhookDelivery.objects.get().payload)
    assert payload["type"] == "pdf.ready"
    assert payload["data"]["audit_id"] == audit.pk
    assert payload["data"]["job_id"] == job.pk
    assert payload["data"]["file_size"] == len(b"%PDF-1.7 test")
    assert payload["data"]["download_path"] == f"/api/v1/audits/{audit.pk}/download-pdf"


def test_a_failed_crawl_emits_audit_failed(register, django_capture_on_commit_callbacks):
    from reports import audit_run_steps
    from reports.audit_runs import audit_run_queue
    from reports.models import AuditRun
    from tests.reports.factories import AuditFactory

    register("https://hooks.example.com/a", events=["audit.failed"])
    audit = AuditFactory()
    with django_capture_on_commit_callbacks(execute=False):
        audit_run_queue(audit=audit, trigger=AuditRun.Trigger.RERUN)
        audit_run_steps.audit_run_begin(audit_id=audit.pk, generation=1)
        audit_run_steps.audit_run_fail(audit_id=audit.pk, generation=1, error="boom")

    payload = json.loads(WebhookDelivery.objects.get().payload)
    assert payload["type"] == "audit.failed"
    assert (payload["data"]["audit_id"], payload["data"]["run"]) == (audit.pk, 1)
    assert (payload["data"]["trigger"], payload["data"]["error"]) == ("rerun", "boom")
