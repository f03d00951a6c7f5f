import jwt
import pytest

from accounts.models import ApiToken

pytestmark = [pytest.mark.django_db]

URL = "/v1/tokens"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def admin_token(geog_token, geog_organization):
    return geog_token(scopes="admin:access", organization=geog_organization(slug="acme"))


def test_create_returns_the_token_once_and_it_authenticates(api_client, admin_token):
    response = api_client.post(
        URL,
        {"name": "maps frontend", "scopes": ["tiles:read"], "expires_in_days": 30},
        format="json",
        **_bearer(admin_token),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("tok_")
    assert body["name"] == "maps frontend"
    assert body["scopes"] == ["tiles:read"]
    assert body["revoked_at"] is None
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["sub"] == body["id"]
    assert claims["scope"] == "tiles:read"
    assert claims["exp"] - claims["iat"] == 30 * 86400
    exchanged = api_client.post("/v1/auth/token", {}, format="json", **_bearer(body["token"]))
    assert exchanged.status_code == 200


def test_list_shows_the_organizations_tokens_without_secrets(
    api_client, admin_token, geog_token, geog_organization
):
    geog_token(scopes="tiles:read", organization=geog_organization(slug="acme"), name="viewer")
    geog_token(scopes="tiles:read", organization=geog_organization(slug="other"), name="theirs")
    response = api_client.get(URL, **_bearer(admin_token))
    assert response.status_code == 200
    names = sorted(item["name"] for item in response.json())
    assert names == ["test token", "viewer"]
    assert all("token" not in item for item in response.json())


def test_default_expiry_is_the_setting(api_client, admin_token, settings):
    settings.GEOG_TOKEN_DEFAULT_DAYS = 7
    body = api_client.post(
        URL, {"name": "n", "scopes": ["tiles:read"]}, format="json", **_bearer(admin_token)
    ).json()
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 7 * 86400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"scopes": ["tiles:read"]}, "name"),
        ({"name": "n", "scopes": []}, "scopes"),
        ({"name": "n", "scopes": ["root"]}, "scopes.0"),
        ({"name": "n", "scopes": ["tiles:read"], "expires_in_days": 0}, "expires_in_days"),
    ],
)
def test_invalid_create_names_the_field(api_client, admin_token, payload, field):
    response = api_client.post(URL, payload, format="json", **_bearer(admin_token))
    assert response.status_code == 400
    assert [detail["field"] for detail in response.json()["details"]] == [field]


def test_token_endpoints_need_admin_access(api_client, geog_token):
    response = api_client.get(URL, **_bearer(geog_token(scopes="tiles:read places:read")))
    assert response.status_code == 403
    assert response.json()["message"] == "Token does not have required scope: admin:access"


def test_delete_revokes_and_the_token_is_refused_next(
    api_client, admin_token, geog_token, geog_organization, django_capture_on_commit_callbacks
):
    viewer = geog_token(scopes="admin:access", organization=geog_organization(slug="acme"))
    assert api_client.get(URL, **_bearer(viewer)).status_code == 200
    token_id = jwt.decode(viewer, options={"verify_signature": False})["sub"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"{URL}/{token_id}", **_bearer(admin_token))
    assert response.status_code == 204
    assert ApiToken.objects.get(public_id=token_id).revoked_at is not None
    refused = api_client.get(URL, **_bearer(viewer))
    assert refused.status_code == 401
    assert refused.json()["message"] == "Token has been revoked"


def test_delete_of_another_organizations_token_is_not_found(
    api_client, admin_token, geog_token, geog_organization
):
    theirs = geog_token(organization=geog_organization(slug="other"))
    token_id = jwt.decode(theirs, options={"verify_signature": False})["sub"]
    response = api_client.delete(f"{URL}/{token_id}", **_bearer(admin_token))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert ApiToken.objects.get(public_id=token_id).revoked_at is None


def test_delete_of_unknown_token_is_not_found(api_client, admin_token):
    response = api_client.delete(f"{URL}/tok_missing", **_bearer(admin_token))
    assert response.status_code == 404
