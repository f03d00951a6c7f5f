"""The lifecycle of a fix pull request, as its record mirrors the pull request on GitHub."""

from github_fixes.models import FixPullRequest
from lifecycles.lifecycle import NEW, Lifecycle

_S = FixPullRequest.Status
_MOVES = {
    NEW: {_S.OPEN},
    # Updated by a new run of the fixes, closed or merged on GitHub.
    _S.OPEN: {_S.OPEN, _S.CLOSED, _S.MERGED},
    # Reopened (or found open again by a new run of the fixes); merged, when the reopening
    # was not heard of.
    _S.CLOSED: {_S.OPEN, _S.MERGED},
    # GitHub neither reopens nor closes a merged pull request.
    _S.MERGED: set(),
}
FIX_PULL_REQUEST = Lifecycle(model=FixPullRequest, moves=_MOVES)
