"""Turning DRF validation errors into the two APIs' item formats, and parsing at the edge."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rest_framework import serializers
from rest_framework.settings import api_settings

from errors.exceptions import RequestValidationError

_INVALID_KINDS = (
    (serializers.EmailField, "email"),
    (serializers.URLField, "url"),
    (serializers.UUIDField, "uuid"),
    (serializers.IntegerField, "integer"),
    (serializers.FloatField, "float"),
    (serializers.DecimalField, "decimal"),
    (serializers.BooleanField, "bool"),
    (serializers.DateTimeField, "datetime"),
    (serializers.DateField, "date"),
)
_LATENTGEO_FIXED = {
    "missing": ("field required", "value_error.missing"),
    "integer": ("value is not a valid integer", "type_error.integer"),
    "none": ("none is not an allowed value", "type_error.none.not_allowed"),
}
_GEOG_MESSAGES = {
    "missing": "Field is required",
    "none": "Must not be null",
    "integer": "Must be an integer",
    "email": "Must be a valid email address",
    "url": "Must be a valid URL",
}


@dataclass(frozen=True)
class ValidationItem:
    path: tuple[str | int, ...]
    kind: str
    message: str


def _field_kind(field, code: str) -> str:
    if code == "required":
        return "missing"
    if code == "null":
        return "none"
    if code == "invalid_choice":
        return "choice"
    if isinstance(field, serializers.IntegerField) and code in ("invalid", "max_string_length"):
        return "integer"
    if code == "invalid":
        for field_class, kind in _INVALID_KINDS:
            if isinstance(field, field_class):
                return kind
    return code


def _child(field, key):
    if isinstance(field, serializers.ListSerializer):
        return field.child
    if isinstance(field, serializers.Serializer):
        return field.fields.get(key)
    if isinstance(field, (serializers.ListField, serializers.DictField)):
        return field.child
    return None


def validation_items(errors, serializer=None) -> Iterator[ValidationItem]:
    """Flatten a DRF error structure into items with a path, a kind and a message."""

    def walk(node, path: tuple, field) -> Iterator[ValidationItem]:
        if isinstance(node, dict):
            for key, sub in node.items():
                if key == api_settings.NON_FIELD_ERRORS_KEY:
                    yield from walk(sub, path, field)
                else:
                    yield from walk(sub, (*path, key), _child(field, key))
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                if isinstance(sub, (dict, list)):
                    if sub:
                        yield from walk(sub, (*path, index), _child(field, index))
                else:
                    code = getattr(sub, "code", "invalid") or "invalid"
                    yield ValidationItem(path, _field_kind(field, code), str(sub))
        else:
            code = getattr(node, "code", "invalid") or "invalid"
            yield ValidationItem(path, _field_kind(field, code), str(node))

    yield from walk(errors, (), serializer)


def latentgeo_validation_body(exc: RequestValidationError) -> dict:
    """The 422 body: `{"detail": [{"loc", "msg", "type"}, ...]}`."""
    detail = []
    for item in validation_items(exc.errors, exc.serializer):
        msg, type_ = _LATENTGEO_FIXED.get(item.kind, (item.message, f"value_error.{item.kind}"))
        detail.append({"loc": [exc.source, *item.path], "msg": msg, "type": type_})
    return {"detail": detail}


def geog_validation_details(exc: RequestValidationError) -> list[dict]:
    """The envelope's `details`: `[{"field": "location.lat", "message": ...}, ...]`."""
    details = []
    for item in validation_items(exc.errors, exc.serializer):
        field = ".".join(str(part) for part in item.path) or exc.source
        details.append({"field": field, "message": _GEOG_MESSAGES.get(item.kind, item.message)})
    return details


def body_validate(serializer_class, request, *, context: dict | None = None, **kwargs) -> dict:
    """Validate the JSON body with `serializer_class`; 422/`VALIDATION_ERROR` when invalid."""
    return _validated(serializer_class, request.data, "body", context, kwargs)


def query_validate(serializer_class, request, *, context: dict | None = None) -> dict:
    """Validate the query string with `serializer_class`."""
    return _validated(serializer_class, request.query_params, "query", context, {})


def path_validate(serializer_class, **values: str) -> dict:
    """Validate path parameters with `serializer_class`; 422 with `loc` `["path", name]`."""
    return _validated(serializer_class, values, "path", None, {})


def text_storable(value: str) -> bool:
    """True when `value` holds no control character (NUL, C0, DEL, C1) nor lone surrogate."""
    # PostgreSQL refuses NUL in text and the UTF-8 codec refuses surrogates: such a value can
    # name no stored row, and letting it reach the database is a 500.
    return not _UNSTORABLE.search(value)


_UNSTORABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class _PathIntegerField(serializers.IntegerField):
    # `int()` strips whitespace, so "12\n" would be audit 12: any control character is
    # simply not an integer.
    def to_internal_value(self, data):
        if isinstance(data, str) and not text_storable(data):
            self.fail("invalid")
        return super().to_internal_value(data)


def path_int(name: str, value: str) -> int:
    """A path parameter that must be an integer id; 422 with `loc` `["path", name]` otherwise."""
    serializer_class = type(
        "PathParameters", (serializers.Serializer,), {name: _PathIntegerField()}
    )
    return _validated(serializer_class, {name: value}, "path", None, {})[name]


def _validated(serializer_class, data, source: str, context, kwargs) -> dict:
    serializer = serializer_class(data=data, context=context or {}, **kwargs)
    if not serializer.is_valid():
        raise RequestValidationError(source=source, errors=serializer.errors, serializer=serializer)
    return serializer.validated_data
