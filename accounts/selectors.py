"""Reads for Geog tokens, organizations, signing keys and usage."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import FAMILIES, ApiToken, Organization, SigningKey, UsageDay
from accounts.tokens import EXCHANGE_TTL_MAX_SECONDS
from errors import catalog
from errors.exceptions import ApiError
from errors.validation import text_storable

# What a request needs of its organization: the tier and the per-window overrides.
ORGANIZATION_LIMIT_FIELDS = ("tier", "tiles_per_window", "places_per_window", "api_per_window")


def organization_find(*, slug: str) -> Organization | None:
    """The organization with that slug, or None."""
    return Organization.objects.filter(slug=slug).first()


def organization_get(*, pk: int) -> Organization:
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


def api_token_find(*, public_id: str) -> ApiToken | None:
    """The token with that public id, of any organization, or None (authentication's read)."""
    return ApiToken.objects.filter(public_id=public_id).first()


def api_token_list_for_organization(*, organization_id: int) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organization_id=organization_id)


def api_token_get(*, organization_id: int, public_id: str) -> ApiToken:
    """The organization's token with that id; 404 NOT_FOUND for any other."""
    if not text_storable(public_id):
        raise ApiError(catalog.NOT_FOUND)
    api_token = (
        api_token_list_for_organization(organization_id=organization_id)
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


def usage_days_list(*, organization_id: int, date_from: date, date_to: date) -> list[dict]:
    """Every day of the range with its counts per family (zeros where nothing was counted)."""
    counts = (
        UsageDay.objects.filter(organization_id=organization_id, day__range=(date_from, date_to))
        .values("day", "family")
        .annotate(total=Sum("count"))
    )
    days = {
        date_from + timedelta(days=offset): dict.fromkeys(FAMILIES, 0)
        for offset in range((date_to - date_from).days + 1)
    }
    for row in counts:
        days[row["day"]][row["family"]] = row["total"]
    return [{"date": day, **families} for day, families in days.items()]


def usage_tokens_list(*, organization_id: int, date_from: date, date_to: date) -> list[dict]:
    """Counts per family of each token that was counted in the range, with the token's name."""
    counts = (
        UsageDay.objects.filter(organization_id=organization_id, day__range=(date_from, date_to))
        .values("token_id", "family")
        .annotate(total=Sum("count"))
        .order_by("token_id")
    )
    tokens: dict[str, dict] = {}
    for row in counts:
        tokens.setdefault(row["token_id"], dict.fromkeys(FAMILIES, 0))[row["family"]] = row["total"]
    names = dict(ApiToken.objects.filter(public_id__in=tokens).values_list("public_id", "name"))
    return [
        {"token_id": token_id, "name": names.get(token_id), **families}
        for token_id, families in tokens.items()
    ]


def usage_limits(*, organization: Organization) -> dict:
    """Requests allowed per window and family; None for each family of an unlimited tier."""
    if organization.tier == Organization.Tier.UNLIMITED:
        return dict.fromkeys(FAMILIES)
    return {
        "tiles": organization.tiles_per_window or settings.GEOG_FREE_TILES_PER_WINDOW,
        "places": organization.places_per_window or settings.GEOG_FREE_PLACES_PER_WINDOW,
        "api": organization.api_per_window or settings.GEOG_FREE_API_PER_WINDOW,
    }


def usage_rows_list(*, organization_id: int, date_from: date, date_to: date) -> list[dict]:
    """Counts per family of each day and token of the range, oldest day first (for exports)."""
    counts = (
        UsageDay.objects.filter(organization_id=organization_id, day__range=(date_from, date_to))
        .values("day", "token_id", "family")
        .annotate(total=Sum("count"))
        .order_by("day", "token_id")
    )
    rows: dict[tuple[date, str], dict] = {}
    for row in counts:
        key = (row["day"], row["token_id"])
        rows.setdefault(key, dict.fromkeys(FAMILIES, 0))[row["family"]] = row["total"]
    names = dict(
        ApiToken.objects.filter(public_id__in={token for _, token in rows}).values_list(
            "public_id", "name"
        )
    )
    return [
        {"date": day, "token_id": token_id, "name": names.get(token_id), **families}
        for (day, token_id), families in rows.items()
    ]
