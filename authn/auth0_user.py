from dataclasses import dataclass, field


@dataclass(frozen=True)
class Auth0User:
    """The caller of the LatentGEO API, as its access token describes it (no database row)."""

    sub: str
    email: str | None = None
    # Only a verified email may stand in for the `sub` when matching owners.
    email_verified: bool = False
    roles: tuple[str, ...] = field(default_factory=tuple)
    permissions: tuple[str, ...] = field(default_factory=tuple)
    claims: dict = field(default_factory=dict, compare=False, repr=False)

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> str:
        return self.sub
