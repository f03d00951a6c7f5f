"""Short-lived `tiles:read` tokens for the admin's tileset preview, minted per page view.

They are exchanged from an internal long-lived token of an internal organization on the
unlimited tier, so staff previews never eat into a customer's limits; that parent's JWT is
never kept or shown, and each page gets a child that expires within minutes.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiToken, Organization
from accounts.principal import GeogPrincipal
from accounts.selectors import organization_find
from accounts.services import (
    ExchangedToken,
    api_token_create,
    api_token_exchange,
    organization_create,
)
from accounts.tokens import EXCHANGE_TTL_MAX_SECONDS

logger = logging.getLogger(__name__)

PREVIEW_ORGANIZATION_SLUG = "staff-preview"
PREVIEW_TOKEN_NAME = "tileset preview (internal)"  # noqa: S105 - a name, not a secret
PREVIEW_SCOPE = "tiles:read"


def preview_organization_get() -> Organization:
    """The internal organization preview tokens belong to, created on first use."""
    organization = organization_find(slug=PREVIEW_ORGANIZATION_SLUG)
    if organization is not None:
        return organization
    try:
        with transaction.atomic():
            return organization_create(
                slug=PREVIEW_ORGANIZATION_SLUG,
                name="Staff tileset preview",
                tier=Organization.Tier.UNLIMITED,
            )
    except IntegrityError:
        # Another request created it at the same moment.
        return Organization.objects.get(slug=PREVIEW_ORGANIZATION_SLUG)


def _preview_parent(organization: Organization, ttl: int) -> ApiToken:
    """A live internal parent that outlives a new child; a fresh one when none does."""
    parent = (
        organization.api_tokens.filter(
            name=PREVIEW_TOKEN_NAME,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now() + timedelta(seconds=ttl),
        )
        .order_by("-expires_at")
        .first()
    )
    if parent is None:
        # The parent's JWT is not needed to exchange: it is dropped here, never stored.
        parent, _jwt = api_token_create(
            organization=organization, name=PREVIEW_TOKEN_NAME, scopes=[PREVIEW_SCOPE]
        )
    return parent


def preview_token_issue(*, staff_username: str) -> ExchangedToken:
    """A `tiles:read` token for one staff page view, living TILES_PREVIEW_TOKEN_SECONDS."""
    # Signing keys are retired on the assumption that no exchanged token outlives this cap.
    ttl = min(settings.TILES_PREVIEW_TOKEN_SECONDS, EXCHANGE_TTL_MAX_SECONDS)
    organization = preview_organization_get()
    parent = _preview_parent(organization, ttl)
    principal = GeogPrincipal(
        token_id=parent.public_id,
        organization_id=organization.pk,
        scopes=frozenset({PREVIEW_SCOPE}),
        tier=organization.tier,
        is_short_lived=False,
        expires_at=int(parent.expires_at.timestamp()),
    )
    token = api_token_exchange(principal=principal, ttl=ttl, scope=PREVIEW_SCOPE)
    logger.info(
        "tileset_preview_token_issued",
        extra={
            "staff_user": staff_username,
            "expires_at": token.expires_at.isoformat(),
            "issued_at": int(time.time()),
        },
    )
    return token
