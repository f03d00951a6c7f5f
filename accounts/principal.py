from dataclasses import dataclass


@dataclass(frozen=True)
class GeogPrincipal:
    """The caller of the Geog API, as its verified token and organization describe it."""

    token_id: str
    organization_id: int
    scopes: frozenset[str]
    tier: str
    is_short_lived: bool
    expires_at: int
    tiles_per_window: int | None = None
    api_per_window: int | None = None
    places_per_window: int | None = None
    # The long-lived token a short-lived one was exchanged from.
    parent_token_id: str | None = None

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> str:
        return self.token_id

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
