"""The lifecycle of a HubSpot change: written or refused, then perhaps rolled back."""

from hubspot_cms.models import HubSpotChange
from lifecycles.lifecycle import NEW, Lifecycle

_S = HubSpotChange.Status
_MOVES = {
    # A change is recorded once HubSpot answered the write.
    NEW: {_S.APPLIED, _S.FAILED},
    # Rolling back records a new applied change that restores the value.
    _S.APPLIED: {_S.ROLLED_BACK},
    _S.ROLLED_BACK: set(),
    _S.FAILED: set(),
}
HUBSPOT_CHANGE = Lifecycle(model=HubSpotChange, moves=_MOVES)
