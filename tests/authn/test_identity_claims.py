"""Identity claims no row could hold: a bad `sub` is refused, a bad `email` ignored; no 500."""

import pytest

from reports.models import Audit

pytestmark = [pytest.mark.django_db]

AUDITS = "/api/v1/audits"
CALLER_READS = ["/api/v1/audits", "/api/v1/github/connections"]
UNSTORABLE_SUBS = ["a" * 256, "auth0|a\x00b", "auth0|line\nbreak", "auth0|\x1b[31m", "auth0|\x7f"]
NOT_ADDRESSES = [
    "not-an-address",
    "alice@example.com\x00",
    "alice\x00@example.com",
    "alice@exa\nmple.com",
    "@example.com",
    ("x" * 250) + "@example.com",
]


@pytest.mark.parametrize("sub", UNSTORABLE_SUBS, ids=["long", "nul", "newline", "escape", "del"])
def test_sub_too_long_or_with_control_characters_is_invalid_signature(
    lenient_client, latentgeo_auth, sub
):
    for method, path in [("POST", AUDITS), *(("GET", read) for read in CALLER_READS)]:
        response = lenient_client.generic(
            method, path, "{}", content_type="application/json", **latentgeo_auth(sub=sub)
        )
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Token inválido"}
        assert response["X-Auth-Error-Code"] == "invalid_signature"
    assert Audit.objects.count() == 0


def test_sub_of_255_characters_is_accepted(api_client, latentgeo_auth):
    sub = "auth0|" + "a" * 249
    response = api_client.post(
        AUDITS, {"url": "https://shop.example.com/"}, format="json", **latentgeo_auth(sub=sub)
    )
    assert response.status_code == 201
    assert Audit.objects.get().owner_user_id == sub


@pytest.mark.parametrize("email", NOT_ADDRESSES)
def test_email_that_is_no_address_is_ignored_for_ownership(
    api_client, lenient_client, latentgeo_auth, email
):
    auth = latentgeo_auth(sub="auth0|mallory", email=email, email_verified=True)
    created = api_client.post(AUDITS, {"url": "https://shop.example.com/"}, format="json", **auth)
    assert created.status_code == 201
    audit = Audit.objects.get()
    assert (audit.owner_user_id, audit.owner_email) == ("auth0|mallory", "")
    for read in CALLER_READS:
        response = lenient_client.get(read, **auth)
        assert response.status_code == 200, read


def test_email_that_is_no_address_does_not_match_an_owner_without_sub(api_client, latentgeo_auth):
    owner = latentgeo_auth(sub="auth0|alice", email="alice@example.com")
    created = api_client.post(AUDITS, {"url": "https://shop.example.com/"}, format="json", **owner)
    Audit.objects.filter(pk=created.json()["id"]).update(owner_user_id="")
    stranger = latentgeo_auth(sub="auth0|mallory", email="alice@example.com\x00")
    assert api_client.get(f"{AUDITS}/{created.json()['id']}", **stranger).status_code == 403
    assert api_client.get(f"{AUDITS}/{created.json()['id']}", **owner).status_code == 200
