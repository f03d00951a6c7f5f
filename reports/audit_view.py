"""The base of the LatentGEO views that act on one audit, named by the URL's `audit_id` segment.

The audit is read once per request, in `initial()`: after authentication, permissions and
throttles (401 and 429 come first), before the handler reads its query or body (404 or 403
come before 400 or 422). A handler takes it from `self.audit`; its URL keywords still arrive
as `**kwargs`. A method the view does not answer (405) and OPTIONS never read the audit.
"""

from rest_framework.request import Request

from authn.latentgeo_view import LatentgeoView
from reports.models import Audit
from reports.selectors import audit_get_from_path


# An operation on the audit the URL names, which the caller must own. This is a comment, not a
# docstring: the schema would publish a docstring as the description of every audit operation.
class AuditView(LatentgeoView):
    audit: Audit

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.method in self.allowed_methods:
            self.audit = audit_get_from_path(audit_id=kwargs["audit_id"], user=request.user)
