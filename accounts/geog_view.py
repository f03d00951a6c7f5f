"""The base of every Geog API view: bearer token, the organization's limit, usage counted."""

from rest_framework.views import APIView

from accounts.authentication import GeogTokenAuthentication
from accounts.rate_limits import organization_rate_limit
from accounts.usage_counting import usage_settle


class GeogView(APIView):
    """A Geog operation, counted in the `api` family unless a subclass names another."""

    authentication_classes = [GeogTokenAuthentication]
    throttle_classes = [organization_rate_limit("api")]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Every answer passes here, errors included: its status decides what is counted.
        usage_settle(request=request, status=response.status_code)
        return response
