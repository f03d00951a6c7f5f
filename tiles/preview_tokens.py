"""Short-lived `tiles:read` tokens for the admin's tileset preview, minted per page view.

They belong to an internal organization on the unlimited tier, so staff previews never eat
into a customer's limits, and they expire within minutes: the page holds no lasting secret.
"""

import logging

from django.conf import settings
from django.db import IntegrityError

from authn.geog_principal import GeogPrincipal
from authn.geog_selectors import EXCHANGE_MAX_TTL_SECONDS, organization_by_slug
from authn.geog_services import ExchangedToken, api_token_exchange, organization_create
from authn.models import Organization

logger = logging.getLogger(__name__)

PREVIEW_ORGANIZATION_SLUG = "staff-preview"
PREVIEW_SCOPE = "tiles:read"


def preview_organization_get() -> Organization:
    """The internal organization preview tokens belong to, created on first use."""
    organization = organization_by_slug(slug=PREVIEW_ORGANIZATION_SLUG)
    if organization is not None:
        return organization
    try:
        return organization_create(
            slug=PREVIEW_ORGANIZATION_SLUG,
            name="Staff tileset preview",
            tier=Organization.Tier.UNLIMITED,
        )
    except IntegrityError:
        # Another request created it at the same moment.
        return Organization.objects.get(slug=PREVIEW_ORGANIZATION_SLUG)


def preview_token_issue(*, staff_username: str) -> ExchangedToken:
    """A `tiles:read` token for one staff page view, living TILES_PREVIEW_TOKEN_SECONDS."""
    organization = preview_organization_get()
    principal = GeogPrincipal(
        token_id=f"admin:{staff_username}",
        organization_id=organization.pk,
        scopes=frozenset({PREVIEW_SCOPE}),
        tier=organization.tier,
        is_short_lived=True,
        expires_at=0,
    )
    # Signing keys are retired on the assumption that no exchanged token outlives this cap.
    ttl = min(settings.TILES_PREVIEW_TOKEN_SECONDS, EXCHANGE_MAX_TTL_SECONDS)
    token = api_token_exchange(principal=principal, ttl=ttl, scope=PREVIEW_SCOPE)
    logger.info(
        "tileset_preview_token_issued",
        extra={"staff_user": staff_username, "expires_at": token.expires_at.isoformat()},
    )
    return token
