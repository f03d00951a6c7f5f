"""Per-user limits on PDF generation and audit creation (django-ratelimit counters)."""

from django.conf import settings
from django_ratelimit.core import _split_rate, get_usage
from rest_framework.request import Request

from errors import catalog
from errors.exceptions import ApiError

PDF_GENERATE_GROUP = "pdf-generate"
AUDIT_CREATE_GROUP = "audit-create"


def _caller_sub(group: str, request: Request) -> str:
    return request.user.sub


def _rate_check(request: Request, group: str, rate: str) -> None:
    usage = get_usage(request, group=group, key=_caller_sub, rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        limit, period = _split_rate(rate)
        raise ApiError(
            catalog.LATENTGEO_RATE_LIMITED,
            headers={"Retry-After": str(max(1, int(usage["time_left"])))},
            limit=limit,
            window=period,
        )


def pdf_generate_rate_check(*, request: Request) -> None:
    """Count one generate-pdf request of the caller; 429 past `PDF_GENERATE_RATE`."""
    _rate_check(request, PDF_GENERATE_GROUP, settings.PDF_GENERATE_RATE)


def audit_create_rate_check(*, request: Request) -> None:
    """Count one audit creation of the caller; 429 past `AUDIT_CREATE_RATE`."""
    _rate_check(request, AUDIT_CREATE_GROUP, settings.AUDIT_CREATE_RATE)
