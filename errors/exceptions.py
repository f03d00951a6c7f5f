"""The exception every app raises for an expected error: a catalog entry plus context."""

from rest_framework.exceptions import APIException

from errors.catalog import ErrorSpec


class ApiError(APIException):
    """An error from the catalog; the shared handler renders it in the caller's API style.

    `headers` are added to the response (e.g. `Retry-After`); `extra` adds members to the
    Geog envelope (e.g. `retryAfter`); `detail_extra` makes the LatentGEO `detail` an object,
    `{"message": ..., **detail_extra}`, for clients that read more than the message; keyword
    arguments fill the message placeholders.
    """

    def __init__(
        self,
        spec: ErrorSpec,
        *,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
        detail_extra: dict | None = None,
        **params,
    ) -> None:
        self.spec = spec
        self.status_code = spec.status
        self.params = params
        self.headers = headers or {}
        self.extra = extra or {}
        self.detail_extra = detail_extra
        super().__init__(detail=spec.message.format(**params), code=spec.code)

    @property
    def geog_message(self) -> str:
        return self.spec.message.format(**self.params)

    @property
    def latentgeo_message(self) -> str:
        return self.spec.latentgeo_message.format(**self.params)


class RequestValidationError(APIException):
    """Invalid input from one source of the request (`body`, `query` or `path`).

    `errors` is a DRF error structure (`serializer.errors`); `serializer` lets the
    renderer tell what kind of field failed (integer, email, url...).
    """

    status_code = 422

    def __init__(self, *, source: str, errors, serializer=None) -> None:
        self.source = source
        self.errors = errors
        self.serializer = serializer
        super().__init__(detail="Validation failed", code="invalid")
