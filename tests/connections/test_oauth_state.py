"""OAuth state: missing, malformed, tampered, expired, replayed, for another provider or user."""

import base64

import pytest

from connections.models import Connection
from tests.connections.fake_providers import GITHUB_CODE, HUBSPOT_CODE

pytestmark = [pytest.mark.django_db]


def test_missing_code_is_422_field_required(providers, callback, oauth_state):
    response = callback("github", state=oauth_state("github"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"loc": ["body", "code"], "msg": "field required", "type": "value_error.missing"}
        ]
    }


@pytest.mark.parametrize("state", [None, ""])
def test_missing_state_is_400(providers, callback, state):
    response = callback("github", code=GITHUB_CODE, state=state)
    assert response.status_code == 400
    assert response.json() == {"detail": "Missing OAuth state"}


@pytest.mark.parametrize("state", ["not-a-state", "a:b:c", "." * 40])
def test_malformed_state_is_invalid(providers, callback, state):
    response = callback("github", code=GITHUB_CODE, state=state)
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid OAuth state"}


def test_tampered_state_is_invalid(providers, callback, oauth_state):
    state = oauth_state("github")
    middle = len(state) // 2
    tampered = f"{state[:middle]}{'A' if state[middle] != 'A' else 'B'}{state[middle + 1 :]}"
    response = callback("github", code=GITHUB_CODE, state=tampered)
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid OAuth state"}


def test_state_does_not_reveal_the_caller(oauth_state):
    state = oauth_state("github", "/settings")
    decoded = base64.urlsafe_b64decode(state + "=" * (-len(state) % 4))
    for visible in (b"alice", b"auth0", b"github", b"/settings"):
        assert visible not in decoded


def test_state_signed_with_another_key_is_invalid(providers, callback, oauth_state, settings):
    state = oauth_state("github")
    settings.SECRET_KEY = "another-deployment-secret-key"
    response = callback("github", code=GITHUB_CODE, state=state)
    assert response.json() == {"detail": "Invalid OAuth state"}


def test_state_issued_before_a_secret_key_rotation_is_accepted(
    providers, callback, oauth_state, settings
):
    state = oauth_state("github")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-rotated-secret-key"
    assert callback("github", code=GITHUB_CODE, state=state).status_code == 201


def test_replayed_state_is_invalid(providers, callback, oauth_state):
    state = oauth_state("github")
    assert callback("github", code=GITHUB_CODE, state=state).status_code == 201
    replayed = callback("github", code=GITHUB_CODE, state=state)
    assert replayed.status_code == 400
    assert replayed.json() == {"detail": "Invalid OAuth state"}


def test_state_is_spent_even_when_the_provider_refuses_the_code(providers, callback, oauth_state):
    state = oauth_state("github")
    assert callback("github", code="wrong-code", state=state).status_code == 400
    retried = callback("github", code=GITHUB_CODE, state=state)
    assert retried.json() == {"detail": "Invalid OAuth state"}


def test_expired_state_is_400(providers, callback, oauth_state, settings):
    settings.OAUTH_STATE_TTL_SECONDS = 0
    state = oauth_state("github")
    response = callback("github", code=GITHUB_CODE, state=state)
    assert response.status_code == 400
    assert response.json() == {"detail": "OAuth state expired"}


def test_state_of_the_other_provider_is_provider_mismatch(providers, callback, oauth_state):
    response = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("github"))
    assert response.status_code == 400
    assert response.json() == {"detail": "OAuth state provider mismatch"}
    assert not Connection.objects.exists()


def test_another_users_state_is_user_mismatch_and_stays_usable(providers, callback, oauth_state):
    state = oauth_state("github")
    stolen = callback("github", code=GITHUB_CODE, state=state, sub="auth0|mallory", email=None)
    assert stolen.status_code == 401
    assert stolen.json() == {"detail": "OAuth state user mismatch"}
    assert stolen["WWW-Authenticate"] == "Bearer"
    assert callback("github", code=GITHUB_CODE, state=state).status_code == 201


def test_same_user_with_another_email_is_email_mismatch(providers, callback, oauth_state):
    state = oauth_state("github")
    response = callback("github", code=GITHUB_CODE, state=state, email="alice@elsewhere.example")
    assert response.status_code == 401
    assert response.json() == {"detail": "OAuth state email mismatch"}


def test_email_is_compared_only_when_both_sides_have_one(providers, callback, oauth_state):
    state = oauth_state("github", email=None)
    assert callback("github", code=GITHUB_CODE, state=state).status_code == 201


@pytest.mark.parametrize(
    "return_to",
    [
        "",
        "dashboard",
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "/a b",
        "/" + "a" * 1100,
    ],
)
@pytest.mark.parametrize("endpoint", ["auth-url", "oauth/authorize"])
def test_bad_return_to_is_400(providers, api_client, latentgeo_auth, endpoint, return_to):
    response = api_client.get(
        f"/api/v1/github/{endpoint}", {"return_to": return_to}, **latentgeo_auth()
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid OAuth return_to path"}


def test_return_to_with_query_is_kept(providers, callback, oauth_state):
    state = oauth_state("github", "/settings?tab=integrations#github")
    response = callback("github", code=GITHUB_CODE, state=state)
    assert response.json()["return_to"] == "/settings?tab=integrations#github"
