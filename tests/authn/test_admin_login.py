"""Staff login to the admin: password without OIDC, the provider's code flow with it."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

pytestmark = [pytest.mark.django_db]

CLIENT_ID = "latentgeo-admin"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "staff", email="staff@example.com", password=PASSWORD, is_staff=True, is_superuser=True
    )


# --- Without OIDC (the default)


def test_admin_login_page_offers_the_password_form(client):
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert 'id="login-form"' in page
    assert "oidc-login" not in page


def test_staff_logs_in_with_a_password(client, staff):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_oidc_routes_are_absent(client):
    assert client.get("/oidc/authenticate/").status_code == 404


# --- With OIDC, against a local provider


class Provider:
    def __init__(self, httpserver, key) -> None:
        self.httpserver = httpserver
        self.key = key
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        httpserver.expect_request("/jwks").respond_with_json(
            {"keys": [{**jwk, "kid": "op-1", "use": "sig", "alg": "RS256"}]}
        )

    def url(self, path: str) -> str:
        return self.httpserver.url_for(path)

    def answer_code(self, *, nonce: str, email: str, audience: str = CLIENT_ID, **userinfo) -> None:
        """Answer the next token and userinfo requests as the provider would for `email`."""
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": self.url("/"),
                "sub": "op|staff",
                "aud": audience,
                "iat": now,
                "exp": now + 300,
                "nonce": nonce,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": "op-1"},
        )
        self.httpserver.expect_request("/token", method="POST").respond_with_json(
            {"id_token": id_token, "access_token": "op-access-token", "token_type": "Bearer"}
        )
        self.httpserver.expect_request(
            "/userinfo", headers={"Authorization": "Bearer op-access-token"}
        ).respond_with_json({"sub": "op|staff", "email": email, **userinfo})


@pytest.fixture
def provider(settings, httpserver, rsa_keys) -> Provider:
    provider = Provider(httpserver, rsa_keys["other"])
    settings.ROOT_URLCONF = "tests.authn.oidc_urls"
    settings.ADMIN_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = ["authn.admin_oidc.StaffOIDCBackend"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "op-client-secret"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url("/authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.url("/token")
    settings.OIDC_OP_USER_ENDPOINT = provider.url("/userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = provider.url("/jwks")
    settings.OIDC_CREATE_USER = False
    settings.OIDC_TIMEOUT = 5
    settings.LOGIN_REDIRECT_URL = "/admin/"
    settings.LOGIN_REDIRECT_URL_FAILURE = "/admin/login/"
    return provider


def _start_login(client) -> dict:
    """Follow the admin's SSO link to the provider; the authorization request's parameters."""
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert 'href="/oidc/authenticate/?next=/admin/"' in page
    response = client.get("/oidc/authenticate/?next=/admin/")
    assert response.status_code == 302
    return {
        name: values[0] for name, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def test_admin_login_page_offers_single_sign_on_only(client, provider):
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert 'id="oidc-login"' in page
    assert 'id="login-form"' not in page


def test_sso_link_redirects_to_the_authorization_endpoint(client, provider):
    response = client.get("/oidc/authenticate/?next=/admin/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.url("/authorize")
    params = parse_qs(location.query)
    assert params["client_id"] == [CLIENT_ID]
    assert params["response_type"] == ["code"]
    assert params["scope"] == ["openid email"]
    assert params["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert params["state"][0] and params["nonce"][0]


def test_staff_completes_the_code_flow_into_the_admin(client, provider, staff):
    params = _start_login(client)
    provider.answer_code(nonce=params["nonce"], email="Staff@Example.com", email_verified=True)
    response = client.get("/oidc/callback/", {"code": "op-code", "state": params["state"]})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    token_request = next(req for req, _ in provider.httpserver.log if req.path == "/token")
    assert token_request.form["code"] == "op-code"
    assert token_request.form["client_id"] == CLIENT_ID


def test_unknown_email_is_sent_back_to_login(client, provider, staff):
    params = _start_login(client)
    provider.answer_code(nonce=params["nonce"], email="stranger@example.com")
    response = client.get("/oidc/callback/", {"code": "op-code", "state": params["state"]})
    assert response["Location"] == "/admin/login/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_non_staff_user_is_not_logged_in(client, provider, django_user_model):
    django_user_model.objects.create_user("plain", email="plain@example.com")
    params = _start_login(client)
    provider.answer_code(nonce=params["nonce"], email="plain@example.com")
    response = client.get("/oidc/callback/", {"code": "op-code", "state": params["state"]})
    assert response["Location"] == "/admin/login/"


def test_unverified_email_is_refused(client, provider, staff):
    params = _start_login(client)
    provider.answer_code(nonce=params["nonce"], email="staff@example.com", email_verified=False)
    response = client.get("/oidc/callback/", {"code": "op-code", "state": params["state"]})
    assert response["Location"] == "/admin/login/"


def test_id_token_for_another_client_is_refused(client, provider, staff):
    params = _start_login(client)
    provider.answer_code(nonce=params["nonce"], email="staff@example.com", audience="other-app")
    response = client.get("/oidc/callback/", {"code": "op-code", "state": params["state"]})
    assert response.status_code == 400
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_password_no_longer_opens_the_admin(client, provider, staff):
    client.post("/admin/login/", {"username": "staff", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


_SETTINGS_PROBE = """
import django
django.setup()
from django.conf import settings
from django.urls import NoReverseMatch, reverse
try:
    login_url = reverse("oidc_authentication_init")
except NoReverseMatch:
    login_url = "-"
print(settings.ADMIN_OIDC_ENABLED, ",".join(settings.AUTHENTICATION_BACKENDS), login_url)
"""


@pytest.mark.parametrize(
    ("with_oidc", "expected"),
    [
        (True, ["True", "authn.admin_oidc.StaffOIDCBackend", "/oidc/authenticate/"]),
        (
            False,
            [
                "False",
                "axes.backends.AxesStandaloneBackend,django.contrib.auth.backends.ModelBackend",
                "-",
            ],
        ),
    ],
)
def test_environment_switches_the_admin_login(with_oidc, expected):
    env = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if with_oidc:
        for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
            env[f"OIDC_OP_{name}_ENDPOINT"] = f"https://sso.example.com/{name.lower()}"
        env["OIDC_RP_CLIENT_ID"] = CLIENT_ID
    result = subprocess.run(
        [sys.executable, "-c", _SETTINGS_PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == expected
