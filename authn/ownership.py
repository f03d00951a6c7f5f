"""Who owns a row: the caller owns it when its `sub` or its email matches."""

from authn.auth0_user import Auth0User


def owner_matches(*, user: Auth0User, owner_user_id: str | None, owner_email: str | None) -> bool:
    """True when the row's owner id is the caller's `sub`, or both emails are equal."""
    if owner_user_id and owner_user_id == user.sub:
        return True
    return bool(owner_email and user.email and owner_email.lower() == user.email)
