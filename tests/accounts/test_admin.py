import re

import pytest

from accounts.authentication import geog_principal_for_token
from accounts.models import ApiToken, SigningKey
from errors.exceptions import ApiError
from tests.accounts.factories import ApiTokenFactory

pytestmark = [pytest.mark.django_db]


def test_admin_creates_a_token_and_shows_it_once(admin_client, geog_organization):
    organization = geog_organization(slug="acme")
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 200
    response = admin_client.post(
        "/admin/accounts/apitoken/add/",
        {"organization": organization.pk, "name": "from admin", "scopes": ["tiles:read"]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = re.search(r">([\w-]+\.[\w-]+\.[\w-]+)</textarea>", response.content.decode())
    assert shown is not None
    # Never through the messages cookie (or any cookie).
    assert all(shown.group(1) not in morsel.value for morsel in response.cookies.values())
    assert all(shown.group(1) not in morsel.value for morsel in admin_client.cookies.values())
    principal = geog_principal_for_token(shown.group(1))
    api_token = ApiToken.objects.get()
    assert principal.token_id == api_token.public_id
    assert api_token.name == "from admin"
    page = admin_client.get(f"/admin/accounts/apitoken/{api_token.pk}/change/").content.decode()
    assert shown.group(1) not in page
    assert admin_client.get("/admin/accounts/apitoken/").status_code == 200


def test_admin_revoke_action_revokes_and_clears_the_cache(
    admin_client, django_capture_on_commit_callbacks
):
    api_token = ApiTokenFactory()
    token = api_token.jwt
    geog_principal_for_token(token)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/accounts/apitoken/",
            {"action": "revoke", "_selected_action": [api_token.pk]},
        )
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    with pytest.raises(ApiError) as refused:
        geog_principal_for_token(token)
    assert refused.value.geog_message == "Token has been revoked"


def test_admin_shows_only_the_public_part_of_signing_keys(admin_client, geog_token):
    geog_token()
    signing_key = SigningKey.objects.get()
    page = admin_client.get(f"/admin/accounts/signingkey/{signing_key.pk}/change/").content.decode()
    assert signing_key.kid in page
    assert signing_key.public_jwk["n"] in page
    assert signing_key.private_key_encrypted not in page
    assert admin_client.get("/admin/accounts/signingkey/add/").status_code == 403


def test_admin_tier_change_reaches_the_next_request(
    admin_client, geog_organization, geog_token, django_capture_on_commit_callbacks
):
    organization = geog_organization(slug="acme", tier="free")
    token = geog_token(organization=organization)
    assert geog_principal_for_token(token).tier == "free"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/accounts/organization/{organization.pk}/change/",
            {"slug": "acme", "name": "Acme", "tier": "unlimited"},
        )
    assert response.status_code == 302
    assert geog_principal_for_token(token).tier == "unlimited"
