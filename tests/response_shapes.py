"""Whether a document built without a serializer has the shape its serializer documents.

Hot paths (places, TileJSON) build their bodies as plain dicts because a serializer pass would
cost more than the rest of the request. The OpenAPI schema still comes from the serializer, so
these checks hold the two together: every key the serializer declares is there when it is
required, no other key is, `null` only where the field allows it, and each value has the
field's JSON type, nested documents and list items included.
"""

from datetime import datetime

from rest_framework import serializers

# Most specific first: URLField and ChoiceField are CharFields, BooleanField stands alone.
_SCALAR_TYPES: tuple[tuple[type, tuple[type, ...]], ...] = (
    (serializers.BooleanField, (bool,)),
    (serializers.IntegerField, (int,)),
    (serializers.FloatField, (int, float)),
    (serializers.DateTimeField, (datetime, str)),
    (serializers.CharField, (str,)),
    (serializers.ChoiceField, (str,)),
)


def shape_mismatches(document, field: serializers.Field, path: str = "$") -> list[str]:
    """Every place where `document` departs from `field` (a serializer or one of its fields)."""
    if document is None:
        return [] if field.allow_null else [f"{path}: null, but the field does not allow null"]
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        if not isinstance(document, list):
            return [f"{path}: {type(document).__name__}, not a list"]
        return [
            mismatch
            for index, item in enumerate(document)
            for mismatch in shape_mismatches(item, field.child, f"{path}[{index}]")
        ]
    if isinstance(field, serializers.Serializer):
        return _object_mismatches(document, field, path)
    if isinstance(field, serializers.DictField):
        if not isinstance(document, dict):
            return [f"{path}: {type(document).__name__}, not an object"]
        return [
            mismatch
            for key, value in document.items()
            for mismatch in shape_mismatches(value, field.child, f"{path}.{key}")
        ]
    return _scalar_mismatches(document, field, path)


def _object_mismatches(document, serializer: serializers.Serializer, path: str) -> list[str]:
    if not isinstance(document, dict):
        return [f"{path}: {type(document).__name__}, not an object"]
    fields = {name: field for name, field in serializer.fields.items() if not field.write_only}
    mismatches = [f"{path}.{key}: not in the serializer" for key in document.keys() - fields]
    for name, field in fields.items():
        if name in document:
            mismatches += shape_mismatches(document[name], field, f"{path}.{name}")
        elif field.required:
            mismatches.append(f"{path}.{name}: required, but missing")
    return mismatches


def _scalar_mismatches(value, field: serializers.Field, path: str) -> list[str]:
    for field_class, python_types in _SCALAR_TYPES:
        if isinstance(field, field_class):
            # bool is an int to Python, never a number to JSON.
            if isinstance(value, bool) and bool not in python_types:
                return [f"{path}: a boolean, the field is a {field_class.__name__}"]
            if not isinstance(value, python_types):
                return [f"{path}: {type(value).__name__}, the field is a {field_class.__name__}"]
            if isinstance(field, serializers.ChoiceField) and value not in field.choices:
                return [f"{path}: {value!r} is none of the field's choices"]
            return []
    # JSONField and an unspecified list or dict child hold any JSON value.
    return []
