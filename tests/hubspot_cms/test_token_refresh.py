"""HubSpot tokens: refreshed before they expire, once after a 401, once across two workers."""

import threading
from datetime import timedelta

import pytest
from django.db import connection as db_connection
from django.utils import timezone

from connections.hubspot_cms import hubspot_pages_list
from connections.hubspot_tokens import hubspot_access_token
from connections.models import OAUTH_TOKEN_PURPOSE, Connection
from encryption.cipher import secret_decrypt
from hubspot_cms.models import HubSpotPage
from tests.hubspot_cms.factories import HubSpotConnectionFactory
from tests.hubspot_cms.hubspot_peer import AUTHORIZATION_CODE, PORTAL_ID


def _stored(ciphertext: str) -> str:
    return secret_decrypt(ciphertext, purpose=OAUTH_TOKEN_PURPOSE)


def _sync(api_client, latentgeo_auth, connection):
    return api_client.post(f"/api/v1/hubspot/sync/{connection.pk}", **latentgeo_auth())


@pytest.mark.django_db
def test_expired_token_is_refreshed_before_the_call_and_stored_encrypted(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    old_token = _stored(connection.access_token_encrypted)
    hubspot.token_expire(old_token)
    Connection.objects.filter(pk=connection.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = _sync(api_client, latentgeo_auth, connection)
    assert response.status_code == 200, response.content
    assert hubspot.state.refresh_count == 1
    connection.refresh_from_db()
    new_token = _stored(connection.access_token_encrypted)
    assert new_token != old_token and hubspot.token_valid(new_token)
    assert new_token not in connection.access_token_encrypted
    assert connection.token_expires_at > timezone.now() + timedelta(minutes=25)


@pytest.mark.django_db
def test_token_expiring_within_the_margin_is_refreshed_first(hubspot, portal, settings):
    settings.HUBSPOT_TOKEN_REFRESH_MARGIN_SECONDS = 300
    connection = portal["connection"]
    Connection.objects.filter(pk=connection.pk).update(
        token_expires_at=timezone.now() + timedelta(seconds=60)
    )
    token = hubspot_access_token(connection_id=connection.pk)
    assert hubspot.state.refresh_count == 1
    assert token != _stored(connection.access_token_encrypted)


@pytest.mark.django_db
def test_a_401_refreshes_once_and_retries(api_client, latentgeo_auth, hubspot, portal):
    connection = portal["connection"]
    # HubSpot expired the token early: our stored expiry still says it is good.
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    response = _sync(api_client, latentgeo_auth, connection)
    assert response.status_code == 200, response.content
    assert response.json()["synced_count"] == 5
    assert hubspot.state.refresh_count == 1


@pytest.mark.django_db
def test_refused_refresh_marks_needs_reauth_and_answers_409(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    hubspot.refresh_token_revoke(_stored(connection.refresh_token_encrypted))
    response = _sync(api_client, latentgeo_auth, connection)
    assert response.status_code == 409
    assert response.json() == {"detail": "La conexión de HubSpot necesita volver a autorizarse"}
    connection.refresh_from_db()
    assert connection.needs_reauth is True
    shown = api_client.get(f"/api/v1/hubspot/connections/{connection.pk}", **latentgeo_auth())
    assert shown.json()["needs_reauth"] is True
    # From now on every call answers 409 without asking HubSpot again.
    again = api_client.get(f"/api/v1/hubspot/pages/{connection.pk}", **latentgeo_auth())
    assert again.status_code == 409
    assert hubspot.state.refresh_count == 1
    assert not HubSpotPage.objects.exists()


@pytest.mark.django_db
def test_connection_without_refresh_token_needs_reauth_once_expired(
    api_client, latentgeo_auth, hubspot
):
    connection = HubSpotConnectionFactory(
        access_token=hubspot.token_issue(expires_in=-1),
        refresh_token="",
        token_expires_at=timezone.now() - timedelta(minutes=5),
    )
    response = _sync(api_client, latentgeo_auth, connection)
    assert response.status_code == 409
    assert hubspot.state.refresh_count == 0
    connection.refresh_from_db()
    assert connection.needs_reauth is True


@pytest.mark.django_db
def test_token_endpoint_down_is_a_bad_gateway_and_not_needs_reauth(
    api_client, latentgeo_auth, hubspot, portal, settings
):
    connection = portal["connection"]
    Connection.objects.filter(pk=connection.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    settings.HUBSPOT_OAUTH_TOKEN_URL = "http://127.0.0.1:9/oauth/v1/token"
    response = _sync(api_client, latentgeo_auth, connection)
    assert response.status_code == 502
    connection.refresh_from_db()
    assert connection.needs_reauth is False


@pytest.mark.django_db
def test_tokens_never_reach_the_logs(api_client, latentgeo_auth, hubspot, portal, caplog):
    connection = portal["connection"]
    refresh = _stored(connection.refresh_token_encrypted)
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    caplog.set_level("DEBUG")
    _sync(api_client, latentgeo_auth, connection)
    hubspot.refresh_token_revoke(refresh)
    connection.refresh_from_db()
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    _sync(api_client, latentgeo_auth, connection)
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert "hubspot_token_refreshed" in logged and "hubspot_token_refresh_refused" in logged
    assert "peer-access-" not in logged and "peer-refresh-" not in logged


@pytest.mark.django_db(transaction=True)
def test_expired_token_is_refreshed_once_across_two_concurrent_calls(hubspot, portal):
    """Two threads, each on its own database connection, call HubSpot with an expired token."""
    assert db_connection.vendor == "postgresql"
    connection = portal["connection"]
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    Connection.objects.filter(pk=connection.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    # The token endpoint answers slowly, so the second caller arrives while the first refreshes.
    hubspot.state.refresh_pause_seconds = 0.3
    start = threading.Barrier(2)
    listings, failures = [], []

    def call() -> None:
        try:
            start.wait(timeout=10)
            listings.append(hubspot_pages_list(connection_id=connection.pk))
        except Exception as exc:  # reported below, with the thread's own exception
            failures.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert hubspot.state.refresh_count == 1
    assert [len(listing) for listing in listings] == [5, 5]
    connection.refresh_from_db()
    assert hubspot.token_valid(_stored(connection.access_token_encrypted))


@pytest.mark.django_db
def test_linking_again_after_a_refused_refresh_makes_the_connection_work(
    api_client, latentgeo_auth, hubspot, portal
):
    connection = portal["connection"]
    Connection.objects.filter(pk=connection.pk).update(account_id=PORTAL_ID)
    hubspot.token_expire(_stored(connection.access_token_encrypted))
    hubspot.refresh_token_revoke(_stored(connection.refresh_token_encrypted))
    assert _sync(api_client, latentgeo_auth, connection).status_code == 409
    state = api_client.get("/api/v1/hubspot/auth-url", **latentgeo_auth()).json()["state"]
    linked = api_client.post(
        "/api/v1/hubspot/callback",
        {"code": AUTHORIZATION_CODE, "state": state},
        format="json",
        **latentgeo_auth(),
    )
    assert linked.status_code == 200, linked.content
    assert linked.json()["connection_id"] == connection.pk
    connection.refresh_from_db()
    assert connection.needs_reauth is False
    assert _sync(api_client, latentgeo_auth, connection).json()["synced_count"] == 5
