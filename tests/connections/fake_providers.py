"""A fake GitHub and a fake HubSpot, served by pytest-httpserver (a real local HTTP server)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

from werkzeug import Request, Response

GITHUB_CODE = "github-good-code"
GITHUB_TOKEN = "gho_github-plain-access-token"
GITHUB_USER = {"id": 583231, "login": "octocat", "name": "The Octocat"}
HUBSPOT_CODE = "hubspot-good-code"
HUBSPOT_TOKEN = "CJSP-hubspot-plain-access-token"
HUBSPOT_REFRESH = "hubspot-plain-refresh-token"
HUBSPOT_HUB_ID = 62515


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def github_token(request: Request) -> Response:
    form = request.form
    if (form.get("client_id"), form.get("client_secret")) != ("gh-client", "gh-secret"):
        return _json({"error": "incorrect_client_credentials"})
    if form.get("code") != GITHUB_CODE:
        # GitHub refuses a code with 200 and an "error" member.
        return _json({"error": "bad_verification_code", "error_description": "The code is bad."})
    return _json({"access_token": GITHUB_TOKEN, "token_type": "bearer", "scope": "repo,read:user"})


def github_user(request: Request) -> Response:
    if request.headers.get("Authorization") != f"Bearer {GITHUB_TOKEN}":
        return _json({"message": "Bad credentials"}, status=401)
    return _json(GITHUB_USER)


def hubspot_token(request: Request) -> Response:
    form = request.form
    expected = {
        "grant_type": "authorization_code",
        "client_id": "hs-client",
        "client_secret": "hs-secret",
        "redirect_uri": "https://app.example.com/oauth/hubspot",
        "code": HUBSPOT_CODE,
    }
    if {name: form.get(name) for name in expected} != expected:
        return _json({"status": "BAD_AUTH_CODE", "message": "missing or unknown auth code"}, 400)
    return _json(
        {
            "access_token": HUBSPOT_TOKEN,
            "refresh_token": HUBSPOT_REFRESH,
            "expires_in": 1800,
            "token_type": "bearer",
        }
    )


def hubspot_token_info(request: Request) -> Response:
    return _json(
        {
            "token": HUBSPOT_TOKEN,
            "user": "marketer@example.com",
            "hub_domain": "example.com",
            "scopes": ["oauth", "content"],
            "hub_id": HUBSPOT_HUB_ID,
            "app_id": 456,
            "expires_in": 1790,
            "token_type": "access",
        }
    )


HANDLERS = {
    "/github/login/oauth/access_token": github_token,
    "/github/api/user": github_user,
    "/hubspot/oauth/v1/token": hubspot_token,
    f"/hubspot/api/oauth/v1/access-tokens/{HUBSPOT_TOKEN}": hubspot_token_info,
}


def fake_providers_serve(httpserver, *, slow: str | None = None, delay: float = 0) -> None:
    """Serve both fake providers; the endpoint `slow` answers correctly, but after `delay`."""

    def delayed(handler):
        def answer(request: Request) -> Response:
            time.sleep(delay)
            return handler(request)

        return answer

    httpserver.clear_all_handlers()
    for uri, handler in HANDLERS.items():
        httpserver.expect_request(uri).respond_with_handler(
            delayed(handler) if uri == slow else handler
        )


def query_of(url: str) -> dict:
    """The query parameters of a URL, one value each."""
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
