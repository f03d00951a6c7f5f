"""The OAuth providers: where to send the user, and how a code becomes a provider account.

Codes and tokens are never logged: failures are logged with the step and a reason only
(exception messages of `requests` can contain URLs, and HubSpot's token-info URL holds the
token).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

import requests
from django.conf import settings
from django.utils import timezone

from connections.models import Provider
from errors import catalog
from errors.exceptions import ApiError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderAccount:
    """The account behind an authorization code, with the tokens the provider issued."""

    account_id: int
    username: str
    scopes: list[str]
    access_token: str
    refresh_token: str
    token_expires_at: datetime | None


@dataclass(frozen=True)
class RefreshedTokens:
    """What the token endpoint answered to a refresh; the refresh token may be a new one."""

    access_token: str
    refresh_token: str
    token_expires_at: datetime | None


class _ProviderAnswerError(Exception):
    """The provider refused the request or answered something unusable; args[0] says why."""


class TokenRefreshRefusedError(Exception):
    """The token endpoint refused the refresh token (revoked, expired, unknown): re-link."""


class TokenRefreshFailedError(Exception):
    """The token endpoint could not be reached or answered garbage; args[0] says why."""


def _setting(provider: Provider, name: str):
    # Settings are named per provider: GITHUB_CLIENT_ID, HUBSPOT_CLIENT_ID, ...
    return getattr(settings, f"{provider.name}_{name}")


def provider_configured_check(*, provider: Provider) -> None:
    """503 naming the missing setting when the provider has no client id configured."""
    if not _setting(provider, "CLIENT_ID"):
        setting = f"{provider.name}_CLIENT_ID"
        logger.warning(
            "oauth_provider_not_configured", extra={"provider": provider.value, "setting": setting}
        )
        raise ApiError(
            catalog.OAUTH_PROVIDER_NOT_CONFIGURED, provider_name=provider.label, setting=setting
        )


def provider_authorize_url(*, provider: Provider, state: str) -> str:
    """The provider's consent page for our client, carrying `state`."""
    params = {
        "client_id": _setting(provider, "CLIENT_ID"),
        "scope": _setting(provider, "OAUTH_SCOPES"),
        "state": state,
    }
    redirect_uri = _setting(provider, "REDIRECT_URI")
    if redirect_uri:
        params["redirect_uri"] = redirect_uri
    base = _setting(provider, "OAUTH_AUTHORIZE_URL")
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"


def provider_account_fetch(*, provider: Provider, code: str) -> ProviderAccount:
    """Exchange `code` at the provider and look up the account; 400 when that fails."""
    fetch = _github_account if provider == Provider.GITHUB else _hubspot_account
    try:
        return fetch(code)
    except requests.RequestException as exc:
        reason = type(exc).__name__
    except _ProviderAnswerError as exc:
        reason = exc.args[0]
    logger.warning("oauth_callback_rejected", extra={"provider": provider.value, "reason": reason})
    raise ApiError(catalog.OAUTH_CALLBACK_INVALID)


def _github_account(code: str) -> ProviderAccount:
    data = {
        "client_id": settings.GITHUB_CLIENT_ID,
        "client_secret": settings.GITHUB_CLIENT_SECRET,
        "code": code,
    }
    if settings.GITHUB_REDIRECT_URI:
        data["redirect_uri"] = settings.GITHUB_REDIRECT_URI
    token = _code_exchange(settings.GITHUB_OAUTH_TOKEN_URL, data)
    # GitHub answers 200 with an "error" member when it refuses the code.
    if "error" in token:
        raise _ProviderAnswerError(f"token_error_{token['error']}")
    access_token = _member(token, "access_token", str, step="token")
    user = _json_object(
        requests.get(
            f"{settings.GITHUB_API_URL.rstrip('/')}/user",
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {access_token}",
            },
            timeout=settings.OAUTH_HTTP_TIMEOUT_SECONDS,
        ),
        step="profile",
    )
    scope = token.get("scope")
    return ProviderAccount(
        account_id=_member(user, "id", int, step="profile"),
        username=_member(user, "login", str, step="profile"),
        scopes=[s.strip() for s in scope.split(",") if s.strip()] if isinstance(scope, str) else [],
        access_token=access_token,
        refresh_token=_optional(token, "refresh_token", str) or "",
        token_expires_at=_expiry(_optional(token, "expires_in", int)),
    )


def _hubspot_account(code: str) -> ProviderAccount:
    data = {
        "grant_type": "authorization_code",
        "client_id": settings.HUBSPOT_CLIENT_ID,
        "client_secret": settings.HUBSPOT_CLIENT_SECRET,
        "redirect_uri": settings.HUBSPOT_REDIRECT_URI,
        "code": code,
    }
    token = _code_exchange(settings.HUBSPOT_OAUTH_TOKEN_URL, data)
    access_token = _member(token, "access_token", str, step="token")
    info = _json_object(
        requests.get(
            f"{settings.HUBSPOT_API_URL.rstrip('/')}/oauth/v1/access-tokens/"
            f"{quote(access_token, safe='')}",
            headers={"Accept": "application/json"},
            timeout=settings.OAUTH_HTTP_TIMEOUT_SECONDS,
        ),
        step="profile",
    )
    scopes = _optional(info, "scopes", list) or []
    return ProviderAccount(
        account_id=_member(info, "hub_id", int, step="profile"),
        username=_optional(info, "user", str) or "",
        scopes=[s for s in scopes if isinstance(s, str)],
        access_token=access_token,
        refresh_token=_optional(token, "refresh_token", str) or "",
        token_expires_at=_expiry(_optional(token, "expires_in", int)),
    )


def _code_exchange(token_url: str, data: dict) -> dict:
    # Both providers take the code as a form post and answer a JSON object.
    response = requests.post(
        token_url,
        data=data,
        headers={"Accept": "application/json"},
        timeout=settings.OAUTH_HTTP_TIMEOUT_SECONDS,
    )
    return _json_object(response, step="token")


def _json_object(response: requests.Response, *, step: str) -> dict:
    if response.status_code != 200:
        raise _ProviderAnswerError(f"{step}_status_{response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise _ProviderAnswerError(f"{step}_not_json") from None
    if not isinstance(body, dict):
        raise _ProviderAnswerError(f"{step}_not_object")
    return body


def _member(body: dict, name: str, kind: type, *, step: str):
    value = _optional(body, name, kind)
    if value is None or value == "":
        raise _ProviderAnswerError(f"{step}_missing_{name}")
    return value


def _optional(body: dict, name: str, kind: type):
    value = body.get(name)
    # bool is an int subclass; an id or a lifetime is never true/false.
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    return None


def _expiry(expires_in: int | None) -> datetime | None:
    return timezone.now() + timedelta(seconds=expires_in) if expires_in else None


def hubspot_tokens_refresh(*, refresh_token: str) -> RefreshedTokens:
    """New HubSpot tokens for a refresh token; TokenRefreshRefusedError when HubSpot says no."""
    data = {
        "grant_type": "refresh_token",
        "client_id": settings.HUBSPOT_CLIENT_ID,
        "client_secret": settings.HUBSPOT_CLIENT_SECRET,
        "refresh_token": refresh_token,
    }
    if settings.HUBSPOT_REDIRECT_URI:
        data["redirect_uri"] = settings.HUBSPOT_REDIRECT_URI
    try:
        response = requests.post(
            settings.HUBSPOT_OAUTH_TOKEN_URL,
            data=data,
            headers={"Accept": "application/json"},
            timeout=settings.HUBSPOT_API_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise TokenRefreshFailedError(type(exc).__name__) from None
    # HubSpot answers 400 (BAD_REFRESH_TOKEN) for a revoked or unknown refresh token, and 401
    # or 403 when the app's credentials no longer hold: either way only a new link helps.
    if response.status_code in (400, 401, 403):
        raise TokenRefreshRefusedError(f"token_status_{response.status_code}")
    try:
        token = _json_object(response, step="refresh")
        access_token = _member(token, "access_token", str, step="refresh")
    except _ProviderAnswerError as exc:
        raise TokenRefreshFailedError(exc.args[0]) from None
    return RefreshedTokens(
        access_token=access_token,
        refresh_token=_optional(token, "refresh_token", str) or refresh_token,
        token_expires_at=_expiry(_optional(token, "expires_in", int)),
    )
