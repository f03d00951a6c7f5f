"""X-Request-ID: echoed when valid, generated otherwise, carried by every log line."""

import logging
import random
import re
from contextvars import ContextVar

import sentry_sdk

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_current() -> str | None:
    """The id of the request being served in this context, if any."""
    return _current_request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else _request_id_new()
        request.request_id = request_id
        token = _current_request_id.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _request_id_new() -> str:
    # 128 random bits as 32 hex digits, like uuid4().hex. An id is not a secret, and the
    # process's generator needs no system call, which would let other threads take the GIL.
    return f"{random.getrandbits(128):032x}"


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current_request_id.get()
        if request_id is None:
            # django.request logs after the middleware chain has returned.
            request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = request_id
        return True
