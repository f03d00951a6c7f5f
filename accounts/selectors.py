"""Reads for Geog tokens, organizations and signing keys."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Organization, SigningKey
from accounts.tokens import EXCHANGE_TTL_MAX_SECONDS
from errors import catalog
from errors.exceptions import ApiError

# What a request needs of its organization: the tier and the per-window overrides.
ORGANIZATION_LIMIT_FIELDS = ("tier", "tiles_per_window", "places_per_window", "api_per_window")


def organization_by_slug(*, slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


def organization_by_pk(*, pk: int) -> Organization:
    """The organization with that id; 404 NOT_FOUND when this node does not know it."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise ApiError(catalog.NOT_FOUND)
    return organization


def organization_limits(*, organization_id: int) -> dict | None:
    """Tier and per-window overrides of an organization, or None when it does not exist."""
    return (
        Organization.objects.filter(pk=organization_id).values(*ORGANIZATION_LIMIT_FIELDS).first()
    )


def api_token_for_verification(*, public_id: str) -> ApiToken | None:
    return ApiToken.objects.filter(public_id=public_id).first()


def api_tokens_for_organization(*, organization_id: int) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organization_id=organization_id)


def api_token_for_organization(*, organization_id: int, public_id: str) -> ApiToken:
    """The organization's token with that id; 404 NOT_FOUND for any other."""
    api_token = (
        api_tokens_for_organization(organization_id=organization_id)
        .filter(public_id=public_id)
        .first()
    )
    if api_token is None:
        raise ApiError(catalog.NOT_FOUND)
    return api_token


def signing_keys_published() -> QuerySet[SigningKey]:
    """The active key and every retired key that may still have signed a valid token."""
    now = timezone.now()
    live_token = ApiToken.objects.filter(
        signing_kid=OuterRef("kid"), revoked_at__isnull=True, expires_at__gt=now
    )
    return SigningKey.objects.filter(
        Q(is_active=True)
        | Q(retired_at__gt=now - timedelta(seconds=EXCHANGE_TTL_MAX_SECONDS))
        | Exists(live_token)
    )
