"""OpenAPI descriptions of both error styles, derived from what each operation can raise.

An operation's documented errors are those its authentication, permission and throttle
classes declare in `raises`, plus those its handler declares through `operation(...)`; the
schema class below adds them in the style of the operation's API, so they cannot drift.
The apps' schema modules declare their operations with `operation`, `operation_group` and
`answer`, so each declaration holds only what is its own.
"""

from collections.abc import Callable, Sequence
from http import HTTPStatus

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers

from errors import catalog
from errors.apis import GEOG_PREFIX
from errors.catalog import ErrorSpec


class LatentgeoErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class LatentgeoLocPartField(serializers.Field):
    """A source or field name, or the integer index of a list item."""


class LatentgeoValidationItemSerializer(serializers.Serializer):
    loc = serializers.ListField(
        child=LatentgeoLocPartField(), help_text="[source, field, ...]; list indexes are integers"
    )
    msg = serializers.CharField()
    type = serializers.CharField()


class LatentgeoValidationErrorSerializer(serializers.Serializer):
    detail = LatentgeoValidationItemSerializer(many=True)


class GeogErrorSerializer(serializers.Serializer):
    success = serializers.BooleanField(default=False)
    error = serializers.CharField(help_text="HTTP reason phrase of the status")
    message = serializers.CharField()
    code = serializers.CharField()


class GeogValidationDetailSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class GeogValidationErrorSerializer(GeogErrorSerializer):
    details = GeogValidationDetailSerializer(many=True)


class GeogRateLimitErrorSerializer(GeogErrorSerializer):
    retryAfter = serializers.IntegerField()  # noqa: N815 - contract field name


# Values for the placeholders of catalog messages in documentation examples.
_EXAMPLE_PARAMS = {
    "provider": "github",
    "provider_name": "GitHub",
    "status": "pending",
    "limit": 5,
    "run": 2,
    "window": 60,
    "scope": "tiles:read",
    "z": 3,
    "x": 9,
    "y": 4,
    "name": "places",
    "id": "geonames:2988507",
    "seconds": 120,
    "media_type": "text/plain",
    "setting": "GITHUB_CLIENT_ID",
}


def latentgeo_responses(*specs: ErrorSpec, validation: bool = False) -> dict:
    """Error responses of a LatentGEO operation, one per status, with an example per message."""
    responses: dict = {}
    for status, group in _by_status(specs).items():
        examples = [
            OpenApiExample(
                spec.code,
                value={"detail": spec.latentgeo_message.format(**_EXAMPLE_PARAMS)},
                response_only=True,
                status_codes=[str(status)],
            )
            for spec in group
        ]
        responses[status] = OpenApiResponse(
            LatentgeoErrorSerializer,
            description=HTTPStatus(status).phrase,
            examples=examples,
        )
    if validation:
        responses[422] = OpenApiResponse(
            LatentgeoValidationErrorSerializer,
            description="Validation error",
            examples=[
                OpenApiExample(
                    "value_error.missing",
                    value={
                        "detail": [
                            {
                                "loc": ["body", "code"],
                                "msg": "field required",
                                "type": "value_error.missing",
                            }
                        ]
                    },
                    response_only=True,
                    status_codes=["422"],
                )
            ],
        )
    return responses


def geog_responses(*specs: ErrorSpec, validation: bool = False) -> dict:
    """Error responses of a Geog operation, in the envelope, with an example per code."""
    responses: dict = {}
    for status, group in _by_status(specs).items():
        serializer = (
            GeogRateLimitErrorSerializer
            if any(spec.code == catalog.GEOG_RATE_LIMIT_EXCEEDED.code for spec in group)
            else GeogErrorSerializer
        )
        examples = [
            OpenApiExample(
                f"{spec.code} ({spec.message[:40]})",
                value=_geog_example(spec),
                response_only=True,
                status_codes=[str(status)],
            )
            for spec in group
        ]
        responses[status] = OpenApiResponse(
            serializer, description=HTTPStatus(status).phrase, examples=examples
        )
    if validation:
        responses[400] = OpenApiResponse(
            GeogValidationErrorSerializer,
            description="Validation error",
            examples=[
                OpenApiExample(
                    "VALIDATION_ERROR",
                    value={
                        "success": False,
                        "error": "Bad Request",
                        "message": "Validation failed",
                        "code": "VALIDATION_ERROR",
                        "details": [
                            {
                                "field": "ttl",
                                "message": "Ensure this value is less than or equal to 14400.",
                            }
                        ],
                    },
                    response_only=True,
                    status_codes=["400"],
                )
            ],
        )
    return responses


def _geog_example(spec: ErrorSpec) -> dict:
    body = {
        "success": False,
        "error": HTTPStatus(spec.status).phrase,
        "message": spec.message.format(**_EXAMPLE_PARAMS),
        "code": spec.code,
    }
    if spec.code == catalog.GEOG_RATE_LIMIT_EXCEEDED.code:
        body["retryAfter"] = 120
    return body


def _by_status(specs: tuple[ErrorSpec, ...]) -> dict[int, list[ErrorSpec]]:
    grouped: dict[int, list[ErrorSpec]] = {}
    for spec in specs:
        grouped.setdefault(spec.status, []).append(spec)
    return grouped


def operation(
    *, errors: tuple[ErrorSpec, ...] = (), validation: bool = False, **schema
) -> Callable:
    """`extend_schema(**schema)` for a handler that also raises `errors` (and 422/400 lists).

    A handler that reads a JSON body (its `request` is a serializer) can also answer that the
    body is malformed.
    """
    if schema.get("request") is not None:
        errors = (catalog.MALFORMED_JSON, *errors)

    def decorate(handler: Callable) -> Callable:
        handler = extend_schema(**schema)(handler)
        handler.documented_errors = errors
        handler.documents_validation = validation
        return handler

    return decorate


def operation_group(
    *,
    tags: list[str],
    parameters: Sequence = (),
    errors: tuple[ErrorSpec, ...] = (),
    validation: bool = False,
) -> Callable[..., Callable]:
    """`operation` for a group of endpoints, with the tags, parameters and errors they share.

    A member's own parameters and errors follow the group's; it may set `validation` itself.
    """
    shared_parameters, shared_errors, shared_validation = parameters, errors, validation

    def member(
        *,
        parameters: Sequence = (),
        errors: tuple[ErrorSpec, ...] = (),
        validation: bool = shared_validation,
        **schema,
    ) -> Callable:
        return operation(
            tags=tags,
            parameters=[*shared_parameters, *parameters],
            errors=(*shared_errors, *errors),
            validation=validation,
            **schema,
        )

    return member


def answer(
    body, description: str, *, status: int | tuple[int, str] = 200, examples: dict | None = None
) -> dict:
    """`responses` of an operation with one documented answer besides its errors.

    `examples` maps each example's name to the body it shows.
    """
    shown = [
        OpenApiExample(name, value=value, response_only=True)
        for name, value in (examples or {}).items()
    ]
    return {status: OpenApiResponse(body, description=description, examples=shown)}


def operation_errors(view, method: str) -> list[ErrorSpec]:
    """Every error an operation can answer: its classes' `raises` and its handler's own."""
    classes = [*view.authentication_classes, *view.permission_classes, *view.throttle_classes]
    specs = [
        spec
        for cls in classes
        if method.upper() in getattr(cls, "methods", (method.upper(),))
        for spec in getattr(cls, "raises", ())
    ]
    handler = getattr(view, method.lower(), None)
    specs.extend(getattr(handler, "documented_errors", ()))
    return list(dict.fromkeys(specs))


class ErrorDocumentingAutoSchema(AutoSchema):
    """Documents each operation's errors, in its API's style, from the code that raises them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        specs = operation_errors(self.view, self.method)
        handler = getattr(self.view, self.method.lower(), None)
        validation = getattr(handler, "documents_validation", False)
        style = geog_responses if self.path.startswith(GEOG_PREFIX) else latentgeo_responses
        for code, answer in style(*specs, validation=validation).items():
            # Declared bodies of the same status win; the derived ones fill every gap.
            responses.setdefault(
                str(code),
                self._get_response_for_code(answer, str(code), ["application/json"], direction),
            )
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        headers = [
            header
            for throttle in self.view.throttle_classes
            if self.method.upper() in getattr(throttle, "methods", (self.method.upper(),))
            for header in getattr(throttle, "response_headers", ())
        ]
        parameters.extend(
            OpenApiParameter(
                name,
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=True,
                description=f"{description} (counted requests only)",
            )
            for name, description in headers
        )
        if any(spec.status == 429 for spec in operation_errors(self.view, self.method)):
            parameters.append(
                OpenApiParameter(
                    "Retry-After",
                    OpenApiTypes.INT,
                    OpenApiParameter.HEADER,
                    response=[429],
                    description="Seconds until the window resets",
                )
            )
        return parameters
