"""Who owns a row, the one rule for connections and audits.

The caller owns a row when its `sub` is the row's owner id, or when its email equals the
row's owner email (case-insensitive) and the token vouches for that email
(`email_verified: true`): an unverified or unstated email never grants ownership.
"""

from django.db.models import Q

from authn.auth0_user import Auth0User


def owner_matches(*, user: Auth0User, owner_user_id: str | None, owner_email: str | None) -> bool:
    """True when the row's owner id is the caller's `sub`, or its verified email matches."""
    if owner_user_id and owner_user_id == user.sub:
        return True
    return bool(
        user.email_verified
        and user.email
        and owner_email
        and owner_email.lower() == user.email.lower()
    )


def owned_by(user: Auth0User) -> Q:
    """The rows `owner_matches` calls the caller's, as a query filter on owner fields."""
    owned = Q(owner_user_id=user.sub)
    if user.email and user.email_verified:
        owned |= Q(owner_email__iexact=user.email)
    return owned
