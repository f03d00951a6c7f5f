"""Who may read and delete a connection, and who may link an account already stored."""

import pytest

from connections.models import Connection, Provider
from tests.connections.factories import ConnectionFactory
from tests.connections.fake_providers import GITHUB_CODE, GITHUB_USER, HUBSPOT_CODE, HUBSPOT_HUB_ID

pytestmark = [pytest.mark.django_db]

BOB = {"sub": "auth0|bob", "email": "bob@example.com"}


def _detail(provider: str, connection_id) -> str:
    return f"/api/v1/{provider}/connections/{connection_id}"


def test_connections_endpoint_without_token_is_401(api_client):
    response = api_client.get("/api/v1/github/connections")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token no proporcionado"}
    assert response["X-Auth-Error-Code"] == "missing_token"


@pytest.mark.parametrize("path", ["gitlab/connections", "gitlab/auth-url", "GitHub/connections"])
def test_unknown_provider_is_not_found(api_client, latentgeo_auth, path):
    response = api_client.get(f"/api/v1/{path}", **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_non_integer_id_is_422_on_the_path(api_client, latentgeo_auth):
    response = api_client.get(_detail("github", "abc"), **latentgeo_auth())
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["path", "connection_id"],
                "msg": "value is not a valid integer",
                "type": "type_error.integer",
            }
        ]
    }


def test_absent_inactive_and_other_provider_connections_are_404(api_client, latentgeo_auth):
    inactive = ConnectionFactory(is_active=False)
    hubspot = ConnectionFactory(provider=Provider.HUBSPOT)
    for provider, connection_id in (
        ("github", 987654),
        ("github", inactive.pk),
        ("github", hubspot.pk),
    ):
        response = api_client.get(_detail(provider, connection_id), **latentgeo_auth())
        assert response.status_code == 404
        assert response.json() == {"detail": "Conexión de github no encontrada"}
    deleted = api_client.delete(_detail("hubspot", 987654), **latentgeo_auth())
    assert deleted.json() == {"detail": "Conexión de hubspot no encontrada"}


def test_another_users_connection_is_403_to_read_and_to_delete(api_client, latentgeo_auth):
    alices = ConnectionFactory()
    read = api_client.get(_detail("github", alices.pk), **latentgeo_auth(**BOB))
    assert read.status_code == 403
    assert read.json() == {"detail": "No autorizado para esta conexión de GitHub"}
    deleted = api_client.delete(_detail("github", alices.pk), **latentgeo_auth(**BOB))
    assert deleted.status_code == 403
    alices.refresh_from_db()
    assert alices.is_active
    assert alices.access_token_encrypted


def test_hubspot_not_owned_message_names_hubspot(api_client, latentgeo_auth):
    alices = ConnectionFactory(provider=Provider.HUBSPOT)
    read = api_client.get(_detail("hubspot", alices.pk), **latentgeo_auth(**BOB))
    assert read.json() == {"detail": "No autorizado para esta conexión de HubSpot"}


def test_owner_matches_by_email_whatever_its_case(api_client, latentgeo_auth):
    connection = ConnectionFactory(owner_user_id="auth0|legacy-id", owner_email="Alice@Example.com")
    response = api_client.get(_detail("github", connection.pk), **latentgeo_auth())
    assert response.status_code == 200
    listed = api_client.get("/api/v1/github/connections", **latentgeo_auth())
    assert [item["id"] for item in listed.json()] == [connection.pk]


def test_owner_matches_by_sub_without_email(api_client, latentgeo_auth):
    connection = ConnectionFactory(owner_email="")
    response = api_client.get(_detail("github", connection.pk), **latentgeo_auth(email=None))
    assert response.status_code == 200


def test_list_holds_only_the_callers_active_connections(api_client, latentgeo_auth):
    mine = ConnectionFactory()
    ConnectionFactory(is_active=False)
    ConnectionFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    ConnectionFactory(owner_user_id="", owner_email="")
    ConnectionFactory(provider=Provider.HUBSPOT)
    listed = api_client.get("/api/v1/github/connections", **latentgeo_auth())
    assert [item["id"] for item in listed.json()] == [mine.pk]


def test_ownerless_row_is_blocked_when_debug_is_off(api_client, latentgeo_auth, settings):
    settings.DEBUG = False
    legacy = ConnectionFactory(owner_user_id="", owner_email="")
    for call in (api_client.get, api_client.delete):
        response = call(_detail("github", legacy.pk), **latentgeo_auth())
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Conexión de github legacy sin owner bloqueada en producción"
        }
    legacy.refresh_from_db()
    assert legacy.is_ownerless
    assert legacy.is_active


def test_ownerless_row_is_claimed_by_its_first_reader_when_debug_is_on(
    api_client, latentgeo_auth, settings
):
    settings.DEBUG = True
    legacy = ConnectionFactory(owner_user_id="", owner_email="")
    first = api_client.get(_detail("github", legacy.pk), **latentgeo_auth())
    assert first.status_code == 200
    assert first.json()["owner_email"] == "alice@example.com"
    legacy.refresh_from_db()
    assert (legacy.owner_user_id, legacy.owner_email) == ("auth0|alice", "alice@example.com")
    second = api_client.get(_detail("github", legacy.pk), **latentgeo_auth(**BOB))
    assert second.status_code == 403
    assert second.json() == {"detail": "No autorizado para esta conexión de GitHub"}


def test_linking_an_account_owned_by_someone_else_is_forbidden(providers, callback, oauth_state):
    bobs = ConnectionFactory(
        account_id=GITHUB_USER["id"], owner_user_id="auth0|bob", owner_email="bob@example.com"
    )
    response = callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    assert response.status_code == 403
    assert response.json() == {"detail": "Forbidden"}
    bobs.refresh_from_db()
    assert bobs.owner_user_id == "auth0|bob"


def test_linking_a_legacy_account_is_blocked_when_debug_is_off(
    providers, callback, oauth_state, settings
):
    settings.DEBUG = False
    ConnectionFactory(
        provider=Provider.HUBSPOT, account_id=HUBSPOT_HUB_ID, owner_user_id="", owner_email=""
    )
    response = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Conexión de hubspot legacy sin owner bloqueada en producción"
    }


def test_linking_a_legacy_account_claims_it_when_debug_is_on(
    providers, callback, oauth_state, settings
):
    settings.DEBUG = True
    legacy = ConnectionFactory(
        provider=Provider.HUBSPOT, account_id=HUBSPOT_HUB_ID, owner_user_id="", owner_email=""
    )
    response = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    assert response.status_code == 200
    assert response.json()["connection_id"] == legacy.pk
    legacy.refresh_from_db()
    assert legacy.owner_user_id == "auth0|alice"


def test_an_account_deactivated_by_its_owner_can_be_linked_by_another_user(
    providers, callback, oauth_state
):
    bobs = ConnectionFactory(
        account_id=GITHUB_USER["id"],
        owner_user_id="auth0|bob",
        owner_email="bob@example.com",
        is_active=False,
        access_token="",
    )
    response = callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    assert response.status_code == 201
    assert response.json()["connection_id"] == bobs.pk
    bobs.refresh_from_db()
    assert (bobs.owner_user_id, bobs.owner_email, bobs.is_active) == (
        "auth0|alice",
        "alice@example.com",
        True,
    )


def test_relinking_a_deleted_connection_of_ones_own_reactivates_it(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    first = callback("github", code=GITHUB_CODE, state=oauth_state("github")).json()
    api_client.delete(_detail("github", first["connection_id"]), **latentgeo_auth())
    again = callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    assert again.status_code == 200
    assert again.json()["connection_id"] == first["connection_id"]
    assert Connection.objects.get(pk=first["connection_id"]).is_active


def test_an_unverified_email_neither_reads_nor_deactivates_the_owners_connection(
    api_client, latentgeo_auth
):
    connection = ConnectionFactory(owner_user_id="auth0|owner", owner_email="Owner@Example.com")
    mallory = latentgeo_auth(sub="auth0|mallory", email="owner@example.com", email_verified=False)
    read = api_client.get(_detail("github", connection.pk), **mallory)
    assert read.status_code == 403
    assert read.json() == {"detail": "No autorizado para esta conexión de GitHub"}
    assert api_client.delete(_detail("github", connection.pk), **mallory).status_code == 403
    listed = api_client.get("/api/v1/github/connections", **mallory)
    assert listed.json() == []
    connection.refresh_from_db()
    assert connection.is_active
    assert connection.access_token_encrypted


def test_a_verified_email_reads_the_connection_it_owns_by_email(api_client, latentgeo_auth):
    connection = ConnectionFactory(owner_user_id="auth0|legacy-id", owner_email="owner@example.com")
    caller = latentgeo_auth(sub="auth0|new-id", email="OWNER@example.com", email_verified=True)
    assert api_client.get(_detail("github", connection.pk), **caller).status_code == 200
