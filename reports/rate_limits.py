"""Per-user limit on PDF generation requests (django-ratelimit counters on the default cache)."""

from django.conf import settings
from django_ratelimit.core import _split_rate, get_usage
from rest_framework.request import Request

from errors import catalog
from errors.exceptions import ApiError

PDF_GENERATE_GROUP = "pdf-generate"


def _caller_sub(group: str, request: Request) -> str:
    return request.user.sub


def pdf_generate_rate_check(*, request: Request) -> None:
    """Count one generate-pdf request of the caller; 429 past `PDF_GENERATE_RATE`."""
    rate = settings.PDF_GENERATE_RATE
    usage = get_usage(request, group=PDF_GENERATE_GROUP, key=_caller_sub, rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        limit, period = _split_rate(rate)
        raise ApiError(
            catalog.LATENTGEO_RATE_LIMITED,
            headers={"Retry-After": str(max(1, int(usage["time_left"])))},
            limit=limit,
            window=period,
        )
