"""The GitHub webhook: signature over the raw body, each delivery once, PR status updates."""

import hashlib
import hmac
import json

import pytest

from github_fixes.models import FixPullRequest, GitHubDelivery
from tests.github_fixes.factories import FixPullRequestFactory

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"
URL = "/api/v1/github/webhook"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET


def _signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _deliver(client, payload: dict, *, event="pull_request", delivery="d-1", signature=None):
    body = json.dumps(payload).encode()
    return client.post(
        URL,
        body,
        content_type="application/json",
        HTTP_X_GITHUB_EVENT=event,
        HTTP_X_GITHUB_DELIVERY=delivery,
        HTTP_X_HUB_SIGNATURE_256=signature if signature is not None else _signed(body),
    )


def _closed(pull: FixPullRequest, merged: bool, action: str = "closed") -> dict:
    return {
        "action": action,
        "number": pull.number,
        "pull_request": {"number": pull.number, "merged": merged},
        "repository": {"full_name": pull.repository.full_name},
    }


def test_a_merged_pr_is_marked_merged_and_a_closed_one_closed(api_client):
    merged, closed = FixPullRequestFactory(), FixPullRequestFactory()
    response = _deliver(api_client, _closed(merged, True), delivery="d-1")
    assert response.status_code == 200
    assert response.json() == {"status": "success", "event": "pull_request"}
    _deliver(api_client, _closed(closed, False), delivery="d-2")
    assert FixPullRequest.objects.get(pk=merged.pk).status == "merged"
    assert FixPullRequest.objects.get(pk=closed.pk).status == "closed"


def test_a_replayed_delivery_is_handled_once(api_client):
    pull = FixPullRequestFactory()
    _deliver(api_client, _closed(pull, False), delivery="same")
    FixPullRequest.objects.filter(pk=pull.pk).update(status="open")
    replay = _deliver(api_client, _closed(pull, False), delivery="same")
    assert replay.status_code == 200
    assert FixPullRequest.objects.get(pk=pull.pk).status == "open"
    assert GitHubDelivery.objects.filter(delivery_id="same").count() == 1


def test_a_bad_or_missing_signature_is_401_and_changes_nothing(api_client):
    pull = FixPullRequestFactory()
    for signature in ("", "sha256=" + "0" * 64, _signed(b"other body")):
        response = _deliver(api_client, _closed(pull, True), signature=signature)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid signature"}
    assert FixPullRequest.objects.get(pk=pull.pk).status == "open"
    assert not GitHubDelivery.objects.exists()


def test_unknown_events_are_acknowledged_and_ignored(api_client):
    pull = FixPullRequestFactory()
    response = _deliver(api_client, {"zen": "Keep it simple."}, event="ping", delivery="p")
    assert response.json() == {"status": "success", "event": "ping"}
    other = _deliver(api_client, _closed(pull, True, action="edited"), delivery="e")
    assert other.status_code == 200
    assert FixPullRequest.objects.get(pk=pull.pk).status == "open"


def test_without_a_secret_the_webhook_is_unavailable_unless_debug(api_client, settings):
    settings.GITHUB_WEBHOOK_SECRET = ""
    response = _deliver(api_client, {}, event="ping", signature="")
    assert response.status_code == 503
    assert response.json() == {"detail": "GitHub webhook secret is not configured on server"}
    settings.DEBUG = True
    assert _deliver(api_client, {}, event="ping", signature="").status_code == 200


def test_a_merged_pr_notifies_the_audit_owners_webhooks_once(api_client):
    from notifications.models import WebhookDelivery as Notification
    from tests.notifications.factories import WebhookEndpointFactory

    pull = FixPullRequestFactory()
    WebhookEndpointFactory(
        owner_user_id=pull.audit.owner_user_id,
        owner_email=pull.audit.owner_email,
        url="https://hooks.example/latentgeo",
        events=["github_pr.merged"],
    )
    _deliver(api_client, _closed(pull, True), delivery="m-1")
    _deliver(api_client, _closed(pull, True), delivery="m-2")
    notification = Notification.objects.get()
    assert notification.event == "github_pr.merged"
    assert f'"pr_number":{pull.number}' in notification.payload
