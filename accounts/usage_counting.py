"""What a Geog request adds to its organization's usage, settled once its status is known.

Usage is counted per organization, token, family and UTC day in the live tally of
`rate_limits.tallies` (never the database: a flush writes it, see `accounts.usage_flush`).
Counted are answers 2xx and 304; 401 never reaches the count and 429 is refused before it.
The script-counted families (tiles) add a request to the tally up front, on the round trip
that counts it for the rate limit, and take it back (a second round trip, on error answers
only) when the answer is not counted; other families add it after the answer, when counted.

A short-lived token's requests count for the long-lived token it was exchanged from.
"""

from dataclasses import dataclass

from accounts.principal import GeogPrincipal
from rate_limits.counters import tally_add
from rate_limits.windows import DAY_SECONDS


@dataclass
class PendingUsage:
    field: str
    tallied: bool  # whether the tally already holds this request


def usage_field(*, principal: GeogPrincipal, family: str, now: float) -> str:
    """The tally field of a request: `<organization>:<token>:<family>:<UTC day number>`."""
    token_id = principal.parent_token_id or principal.token_id
    return f"{principal.organization_id}:{token_id}:{family}:{int(now) // DAY_SECONDS}"


def usage_field_parse(field: str) -> tuple[int, str, str, int]:
    """(organization id, token id, family, UTC day number) of a tally field."""
    organization_id, rest = field.split(":", 1)
    token_id, family, day_number = rest.rsplit(":", 2)
    return int(organization_id), token_id, family, int(day_number)


def usage_pending_set(request, *, field: str, tallied: bool) -> None:
    """Remember what the request adds to the usage until its answer settles it."""
    request.geog_usage_pending = PendingUsage(field=field, tallied=tallied)


def usage_settle(*, request, status: int) -> None:
    """Count the request when its answer is counted; take it back when it is not."""
    pending = getattr(request, "geog_usage_pending", None)
    if pending is None:
        return
    request.geog_usage_pending = None
    counted = 200 <= status < 300 or status == 304
    if counted and not pending.tallied:
        tally_add(field=pending.field, amount=1)
    elif pending.tallied and not counted:
        tally_add(field=pending.field, amount=-1)
