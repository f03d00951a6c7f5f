"""Who owns a row, the one rule for connections, audits and webhooks, and how a row the
caller creates records its owner.

The caller owns a row when its `sub` is the row's owner id, or when its email equals the
row's owner email (case-insensitive) and the token vouches for that email
(`email_verified: true`): an unverified or unstated email never grants ownership.
"""

from django.db.models import Manager, Model, Q, QuerySet

from authn.auth0_user import Auth0User
from errors.catalog import ErrorSpec
from errors.exceptions import ApiError


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


def owner_fields(user: Auth0User) -> dict[str, str]:
    """The owner fields of a row the caller creates: its `sub`, and its email in lower case."""
    return {"owner_user_id": user.sub, "owner_email": (user.email or "").lower()}


def owned_by(user: Auth0User) -> Q:
    """The rows `owner_matches` calls the caller's, as a query filter on owner fields."""
    owned = Q(owner_user_id=user.sub)
    if user.email and user.email_verified:
        owned |= Q(owner_email__iexact=user.email)
    return owned


def owned_row_get(
    rows: Manager | QuerySet,
    *,
    pk: int,
    user: Auth0User,
    not_found: ErrorSpec,
    not_owned: ErrorSpec,
) -> Model:
    """The row `pk` when the caller owns it: every owned-row lookup answers absent and
    someone else's rows alike, with `not_found` (404) and `not_owned` (403)."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise ApiError(not_found)
    if not owner_matches(user=user, owner_user_id=row.owner_user_id, owner_email=row.owner_email):
        raise ApiError(not_owned)
    return row
