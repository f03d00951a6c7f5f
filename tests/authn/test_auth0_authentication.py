"""Auth0 bearer authentication of the LatentGEO API, against a real JWKS over HTTP."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from prometheus_client import REGISTRY

from authn.auth0_keys import auth0_issuer, auth0_jwks_url
from authn.internal_tokens import internal_token_issue
from tests.authn.conftest import (
    AUDIENCE,
    CACHE_SECONDS,
    CALLER_URL,
    COOLDOWN_SECONDS,
    ISSUER,
    JWKS_PATH,
)

pytestmark = [pytest.mark.urls("tests.probe_urls")]

BASE_DIR = Path(__file__).resolve().parents[2]


def _with_header(token: str, header: dict) -> str:
    _, payload, signature = token.split(".")
    encoded = jwt.utils.base64url_encode(json.dumps(header).encode()).decode()
    return f"{encoded}.{payload}.{signature}"


def assert_rejected(response, code: str, detail: str) -> None:
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["X-Auth-Error-Code"] == code
    assert response["WWW-Authenticate"] == "Bearer"


# --- Accepted tokens


def test_valid_token_authenticates_caller_with_roles_and_permissions(client, tenant, bearer):
    token = tenant.token(
        email="alice@example.com",
        permissions=["audits:read", "audits:write"],
        **{"https://latentgeo.io/roles": ["admin", "auditor"]},
    )
    response = client.get(CALLER_URL, **bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "sub": "auth0|alice",
        "email": "alice@example.com",
        "email_verified": False,
        "roles": ["admin", "auditor"],
        "permissions": ["audits:read", "audits:write"],
    }


def test_plain_roles_claim_is_read_too(client, tenant, bearer):
    response = client.get(CALLER_URL, **bearer(tenant.token(roles=["viewer"])))
    assert response.json()["roles"] == ["viewer"]
    assert response.json()["permissions"] == []


@pytest.mark.parametrize(
    ("claims", "email"),
    [
        ({"email": "Bob@Example.COM"}, "bob@example.com"),
        ({"user_email": "  Carol@Example.org "}, "carol@example.org"),
        ({"email": "Dan@X.io", "user_email": "other@x.io"}, "dan@x.io"),
        ({}, None),
    ],
)
def test_email_comes_lower_cased_from_email_or_user_email(client, tenant, bearer, claims, email):
    response = client.get(CALLER_URL, **bearer(tenant.token(**claims)))
    assert response.status_code == 200
    assert response.json()["email"] == email


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": False}, False),
        ({"email_verified": "true"}, False),
        ({}, False),
    ],
)
def test_only_a_true_email_verified_claim_marks_the_email_verified(
    client, tenant, bearer, claims, verified
):
    response = client.get(CALLER_URL, **bearer(tenant.token(email="bob@example.com", **claims)))
    assert response.json()["email_verified"] is verified


def test_audience_list_containing_ours_is_accepted(client, tenant, bearer):
    token = tenant.token(aud=["https://tenant.example.com/userinfo", AUDIENCE])
    assert client.get(CALLER_URL, **bearer(token)).status_code == 200


def test_several_configured_audiences_accept_any_of_them(client, tenant, bearer, settings):
    settings.AUTH0_AUDIENCE = f"https://old.latentgeo.test, {AUDIENCE}"
    tenant.publish("k1")
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200


@pytest.mark.django_db
def test_fresh_cache_means_no_query_and_no_fetch(client, tenant, bearer, django_assert_num_queries):
    client.get(CALLER_URL, **bearer(tenant.token()))
    assert tenant.fetches() == 1
    with django_assert_num_queries(0):
        for sub in ("auth0|a", "auth0|b", "auth0|c"):
            assert client.get(CALLER_URL, **bearer(tenant.token(sub=sub))).status_code == 200
    assert tenant.fetches() == 1


# --- One test per row of the error table


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Token abc"],
)
def test_no_bearer_token_is_missing_token(client, tenant, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get(CALLER_URL, **headers)
    assert_rejected(response, "missing_token", "Token no proporcionado")


def test_expired_but_otherwise_valid_token_is_expired_token(client, tenant, bearer):
    token = tenant.token(exp=1_600_000_000, iat=1_599_999_000)
    assert_rejected(client.get(CALLER_URL, **bearer(token)), "expired_token", "Token expirado")


def test_token_signed_by_another_key_is_bad_signature(client, tenant, bearer):
    token = tenant.token(kid="k1", signing_kid="other")
    assert_rejected(client.get(CALLER_URL, **bearer(token)), "invalid_signature", "Firma inválida")


def test_tampered_payload_is_bad_signature(client, tenant, bearer):
    header, _, signature = tenant.token().split(".")
    forged = jwt.utils.base64url_encode(
        json.dumps(
            {"sub": "auth0|mallory", "iss": ISSUER, "aud": AUDIENCE, "exp": 4102444800}
        ).encode()
    ).decode()
    response = client.get(CALLER_URL, **bearer(f"{header}.{forged}.{signature}"))
    assert_rejected(response, "invalid_signature", "Firma inválida")


@pytest.mark.parametrize(
    "shape", ["garbage", "three_words", "no_kid", "alg_none", "rs512", "kid_not_a_string"]
)
def test_malformed_token_wrong_alg_or_no_kid_is_token_invalido(client, tenant, shape):
    tokens = {
        "garbage": "not-a-jwt",
        "three_words": f"{tenant.token()} extra",
        "no_kid": tenant.token(kid=None),
        "alg_none": jwt.encode({"sub": "auth0|x", "iss": ISSUER, "aud": AUDIENCE}, None, "none"),
        "rs512": tenant.token(algorithm="RS512"),
        "kid_not_a_string": _with_header(tenant.token(), {"alg": "RS256", "kid": ["k1"]}),
    }
    response = client.get(CALLER_URL, HTTP_AUTHORIZATION=f"Bearer {tokens[shape]}")
    assert_rejected(response, "invalid_signature", "Token inválido")


@pytest.mark.parametrize("claims", [{"iss": "https://evil.example.com/"}, {"drop": ("iss",)}])
def test_wrong_or_missing_issuer_is_invalid_issuer(client, tenant, bearer, claims):
    response = client.get(CALLER_URL, **bearer(tenant.token(**claims)))
    assert_rejected(response, "invalid_issuer", "Issuer inválido")


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "https://other-api.test"},
        {"aud": ["https://other-api.test", "https://tenant.example.com/userinfo"]},
        {"drop": ("aud",)},
    ],
)
def test_wrong_or_missing_audience_is_invalid_audience(client, tenant, bearer, claims):
    response = client.get(CALLER_URL, **bearer(tenant.token(**claims)))
    assert_rejected(response, "invalid_audience", "Audience inválida")


@pytest.mark.parametrize("claims", [{"drop": ("sub",)}, {"sub": ""}, {"sub": 42}])
def test_absent_or_empty_sub_is_missing_sub(client, tenant, bearer, claims):
    response = client.get(CALLER_URL, **bearer(tenant.token(**claims)))
    assert_rejected(response, "missing_sub", "Token inválido: faltante sub")


def test_jwks_server_down_is_jwks_unavailable_until_it_is_back(client, tenant, bearer):
    tenant.httpserver.stop()
    try:
        response = client.get(CALLER_URL, **bearer(tenant.token()))
        assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")
    finally:
        tenant.httpserver.start()
    # Back up, but the failed attempt was just now: no new fetch before the cooldown.
    response = client.get(CALLER_URL, **bearer(tenant.token()))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")
    assert tenant.fetches() == 0
    tenant.clock.advance(COOLDOWN_SECONDS)
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
    assert tenant.fetches() == 1


def test_jwks_answering_garbage_is_jwks_unavailable(client, tenant, bearer):
    tenant.httpserver.clear_all_handlers()
    tenant.httpserver.expect_request(JWKS_PATH).respond_with_data("<html>oops</html>")
    response = client.get(CALLER_URL, **bearer(tenant.token()))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")


def test_jwks_server_error_is_jwks_unavailable(client, tenant, bearer):
    tenant.httpserver.clear_all_handlers()
    tenant.httpserver.expect_request(JWKS_PATH).respond_with_data("down", status=503)
    response = client.get(CALLER_URL, **bearer(tenant.token()))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")


def test_jwks_that_never_answers_times_out_as_jwks_unavailable(client, tenant, bearer, settings):
    # A listening socket that accepts connections and never replies.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.AUTH0_JWKS_TIMEOUT_SECONDS = 0.2
        settings.AUTH0_JWKS_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks.json"
        response = client.get(CALLER_URL, **bearer(tenant.token()))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")


def test_unknown_kid_after_refresh_is_jwks_unavailable(client, tenant, bearer):
    response = client.get(CALLER_URL, **bearer(tenant.token(kid="other")))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")
    assert tenant.fetches() == 1


@pytest.mark.parametrize(
    "claims", [{"azp": "someone-else"}, {"client_id": "someone-else"}, {}], ids=str
)
def test_other_or_absent_client_is_invalid_client(client, tenant, bearer, settings, claims):
    settings.AUTH0_EXPECTED_CLIENT_ID = "latentgeo-web"
    tenant.publish("k1")
    response = client.get(CALLER_URL, **bearer(tenant.token(**claims)))
    assert_rejected(response, "invalid_client", "Client ID no autorizado")


@pytest.mark.parametrize("claim", ["azp", "client_id"])
def test_expected_client_in_azp_or_client_id_is_accepted(client, tenant, bearer, settings, claim):
    settings.AUTH0_EXPECTED_CLIENT_ID = "latentgeo-web"
    tenant.publish("k1")
    response = client.get(CALLER_URL, **bearer(tenant.token(**{claim: "latentgeo-web"})))
    assert response.status_code == 200


# --- JWKS cache, rotation and flood


def test_key_rotation_new_kid_is_fetched_once_the_cooldown_allows(client, tenant, bearer):
    assert client.get(CALLER_URL, **bearer(tenant.token(kid="k1"))).status_code == 200
    tenant.publish("k1", "k2")
    new_key_token = tenant.token(kid="k2")
    # The JWKS was fetched a moment ago: an unknown kid does not refetch yet.
    assert client.get(CALLER_URL, **bearer(new_key_token)).status_code == 401
    tenant.clock.advance(COOLDOWN_SECONDS)
    assert client.get(CALLER_URL, **bearer(new_key_token)).status_code == 200
    assert client.get(CALLER_URL, **bearer(tenant.token(kid="k1"))).status_code == 200
    assert tenant.fetches() == 2


def test_retired_key_stops_working_after_the_next_fetch(client, tenant, bearer):
    assert client.get(CALLER_URL, **bearer(tenant.token(kid="k1"))).status_code == 200
    tenant.publish("k2")
    tenant.clock.advance(CACHE_SECONDS)
    response = client.get(CALLER_URL, **bearer(tenant.token(kid="k1")))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")
    assert client.get(CALLER_URL, **bearer(tenant.token(kid="k2"))).status_code == 200


def test_random_kid_flood_fetches_at_most_once_per_cooldown(client, tenant, bearer):
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
    for round_number in range(3):
        tenant.clock.advance(COOLDOWN_SECONDS)
        for attempt in range(20):
            token = tenant.token(kid=f"random-{round_number}-{attempt}", signing_kid="other")
            response = client.get(CALLER_URL, **bearer(token))
            assert response["X-Auth-Error-Code"] == "jwks_unavailable"
        assert tenant.fetches() == 2 + round_number
    # Known keys keep working throughout.
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200


def test_stale_cache_is_refetched(client, tenant, bearer):
    client.get(CALLER_URL, **bearer(tenant.token()))
    tenant.clock.advance(CACHE_SECONDS - 1)
    client.get(CALLER_URL, **bearer(tenant.token()))
    assert tenant.fetches() == 1
    tenant.clock.advance(1)
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
    assert tenant.fetches() == 2


def test_failed_refresh_keeps_the_keys_it_had(client, tenant, bearer):
    assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
    tenant.clock.advance(CACHE_SECONDS)
    tenant.httpserver.stop()
    try:
        assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
        # An unknown kid now gets no key, but the known one still verifies.
        response = client.get(CALLER_URL, **bearer(tenant.token(kid="k2")))
        assert response["X-Auth-Error-Code"] == "jwks_unavailable"
        assert client.get(CALLER_URL, **bearer(tenant.token())).status_code == 200
    finally:
        tenant.httpserver.start()


# --- Issuer and JWKS URL settings


@pytest.mark.parametrize(
    ("configured", "normalised"),
    [
        ("https://tenant.example.com/", "https://tenant.example.com/"),
        ("https://tenant.example.com", "https://tenant.example.com/"),
        ("https://tenant.example.com///", "https://tenant.example.com/"),
        ("tenant.example.com", "https://tenant.example.com/"),
        (" tenant.example.com/ ", "https://tenant.example.com/"),
        ("", ""),
    ],
)
def test_issuer_gets_a_scheme_and_one_trailing_slash(settings, configured, normalised):
    settings.AUTH0_ISSUER = configured
    assert auth0_issuer() == normalised


def test_jwks_url_defaults_to_the_issuer_well_known_path(settings):
    settings.AUTH0_ISSUER = "tenant.example.com"
    settings.AUTH0_JWKS_URL = ""
    assert auth0_jwks_url() == "https://tenant.example.com/.well-known/jwks.json"


def test_issuer_without_slash_accepts_auth0_tokens_and_finds_its_jwks(
    client, tenant, bearer, settings
):
    issuer = tenant.httpserver.url_for("/")
    tenant.httpserver.expect_request("/.well-known/jwks.json").respond_with_json(
        {"keys": [tenant.jwk("k1")]}
    )
    settings.AUTH0_ISSUER = issuer.rstrip("/")
    settings.AUTH0_JWKS_URL = ""
    response = client.get(CALLER_URL, **bearer(tenant.token(iss=issuer)))
    assert response.status_code == 200


def test_unconfigured_tenant_rejects_rs256_tokens(client, tenant, bearer, settings):
    settings.AUTH0_ISSUER = ""
    settings.AUTH0_JWKS_URL = ""
    response = client.get(CALLER_URL, **bearer(tenant.token()))
    assert_rejected(response, "jwks_unavailable", "No se pudo obtener JWKS de Auth0")


# --- Internal HS256 test tokens


def test_internal_token_is_accepted_where_allowed(client, settings, latentgeo_auth):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    response = client.get(CALLER_URL, **latentgeo_auth(sub="auth0|bob", email="Bob@X.io"))
    assert response.status_code == 200
    assert response.json()["sub"] == "auth0|bob"
    assert response.json()["email"] == "bob@x.io"


def test_internal_token_is_rejected_where_not_allowed(client, settings, latentgeo_auth):
    settings.ALLOW_INTERNAL_TEST_JWT = False
    response = client.get(CALLER_URL, **latentgeo_auth())
    assert_rejected(response, "invalid_signature", "Token inválido")


def test_internal_token_with_another_secret_is_bad_signature(client, settings, bearer):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    token = internal_token_issue(sub="auth0|bob")
    settings.INTERNAL_JWT_SECRET = "another-secret-of-sufficient-length-123"
    response = client.get(CALLER_URL, **bearer(token))
    assert_rejected(response, "invalid_signature", "Firma inválida")


def test_expired_internal_token_is_expired_token(client, settings, bearer):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    token = internal_token_issue(sub="auth0|bob", expires_in=-10)
    assert_rejected(client.get(CALLER_URL, **bearer(token)), "expired_token", "Token expirado")


_PRODUCTION_PROBE = """
from django.test import Client
from django.test.utils import override_settings
import django
django.setup()
from django.conf import settings
from authn.internal_tokens import internal_token_issue
token = internal_token_issue(sub="auth0|bob", email="bob@x.io")
with override_settings(ROOT_URLCONF="tests.probe_urls"):
    response = Client().get("/api/v1/probe/caller", HTTP_AUTHORIZATION=f"Bearer {token}")
print(settings.ALLOW_INTERNAL_TEST_JWT, response.status_code, response["X-Auth-Error-Code"])
"""


def test_production_settings_reject_internal_tokens():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ALLOW_INTERNAL_TEST_JWT", "DEBUG")
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="production-like-secret")
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "401", "invalid_signature"]


# --- Metrics and logs


def test_failure_increments_the_counter_exported_at_metrics(client, tenant, bearer):
    labels = {"api": "latentgeo", "code": "expired_token"}
    before = REGISTRY.get_sample_value("auth_failures_total", labels) or 0
    client.get(CALLER_URL, **bearer(tenant.token(exp=1_600_000_000, iat=1_599_999_000)))
    assert REGISTRY.get_sample_value("auth_failures_total", labels) == before + 1
    exported = client.get("/metrics").content.decode()
    assert (
        f'auth_failures_total{{api="latentgeo",code="expired_token"}} {float(before + 1)}'
        in exported
    )


def test_missing_token_is_counted_too(client, tenant):
    labels = {"api": "latentgeo", "code": "missing_token"}
    before = REGISTRY.get_sample_value("auth_failures_total", labels) or 0
    client.get(CALLER_URL)
    assert REGISTRY.get_sample_value("auth_failures_total", labels) == before + 1


def test_failure_logs_one_auth_rejected_line_without_the_token(client, tenant, bearer, caplog):
    token = tenant.token(aud="https://other-api.test")
    with caplog.at_level(logging.WARNING, logger="authn.auth_failures"):
        client.get(CALLER_URL, **bearer(token))
    records = [record for record in caplog.records if record.getMessage() == "auth_rejected"]
    assert len(records) == 1
    record = records[0]
    assert (record.code, record.kid, record.iss, record.aud) == (
        "invalid_audience",
        "k1",
        ISSUER,
        "https://other-api.test",
    )
    signature = token.rsplit(".", 1)[1]
    assert signature not in caplog.text
    assert all(signature not in str(value) for value in vars(record).values())
