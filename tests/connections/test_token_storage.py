"""OAuth tokens are stored encrypted, and wiped when the connection is deleted."""

import pytest
from django.db import connection as db

from connections.models import OAUTH_TOKEN_PURPOSE, Connection
from encryption.cipher import secret_decrypt
from tests.connections.fake_providers import HUBSPOT_CODE, HUBSPOT_REFRESH, HUBSPOT_TOKEN


@pytest.mark.django_db
def test_stored_token_columns_hold_no_plaintext(providers, callback, oauth_state):
    linked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted "
            "FROM connections_connection WHERE id = %s",
            [linked.json()["connection_id"]],
        )
        access, refresh = cursor.fetchone()
    assert HUBSPOT_TOKEN not in access
    assert HUBSPOT_REFRESH not in refresh
    assert secret_decrypt(access, purpose=OAUTH_TOKEN_PURPOSE) == HUBSPOT_TOKEN
    assert secret_decrypt(refresh, purpose=OAUTH_TOKEN_PURPOSE) == HUBSPOT_REFRESH


@pytest.mark.django_db
def test_deleting_wipes_the_stored_tokens(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    linked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot")).json()
    api_client.delete(f"/api/v1/hubspot/connections/{linked['connection_id']}", **latentgeo_auth())
    row = Connection.objects.values().get(pk=linked["connection_id"])
    assert row["access_token_encrypted"] == row["refresh_token_encrypted"] == ""
    assert row["token_expires_at"] is None
