"""The shape check finds each way a built body can depart from its serializer."""

from rest_framework import serializers

from tests.response_shapes import shape_mismatches


def _point_serializer(**kwargs) -> serializers.Serializer:
    fields = {"lat": serializers.FloatField(), "lon": serializers.FloatField()}
    return type("PointSerializer", (serializers.Serializer,), fields)(**kwargs)


class ThingSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    kind = serializers.ChoiceField(choices=["a", "b"])
    count = serializers.IntegerField(min_value=0)
    note = serializers.CharField(required=False)
    active = serializers.BooleanField(help_text="Whether it is on")
    parent = serializers.IntegerField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    point = _point_serializer()
    points = _point_serializer(many=True)
    extra = serializers.DictField(child=serializers.IntegerField())
    anything = serializers.JSONField()


def _thing(**changes) -> dict:
    thing = {
        "name": "x",
        "count": 1,
        "active": True,
        "kind": "a",
        "parent": None,
        "tags": ["t"],
        "point": {"lat": 1.5, "lon": 2},
        "points": [{"lat": 0.0, "lon": 0.0}],
        "extra": {"k": 3},
        "anything": [{"free": None}],
    }
    thing.update(changes)
    return {key: value for key, value in thing.items() if value is not ...}


def test_a_matching_document_has_no_mismatch():
    assert shape_mismatches(_thing(), ThingSerializer()) == []
    assert shape_mismatches(_thing(note="n"), ThingSerializer()) == []


def test_missing_and_unknown_keys_are_found():
    assert shape_mismatches(_thing(name=...), ThingSerializer()) == [
        "$.name: required, but missing"
    ]
    assert shape_mismatches(_thing(other=1), ThingSerializer()) == [
        "$.other: not in the serializer"
    ]


def test_null_where_the_field_does_not_allow_it_is_found():
    assert shape_mismatches(_thing(count=None), ThingSerializer()) == [
        "$.count: null, but the field does not allow null"
    ]


def test_wrong_types_are_found_in_nested_documents_lists_and_dicts():
    document = _thing(
        active=1,
        count=True,
        kind="c",
        tags=[1],
        points=[{"lat": "0", "lon": 0}],
        extra={"k": 1.5},
        point=[],
    )
    assert shape_mismatches(document, ThingSerializer()) == [
        "$.kind: 'c' is none of the field's choices",
        "$.count: a boolean, the field is a IntegerField",
        "$.active: int, the field is a BooleanField",
        "$.tags[0]: int, the field is a CharField",
        "$.point: list, not an object",
        "$.points[0].lat: str, the field is a FloatField",
        "$.extra.k: float, the field is a IntegerField",
    ]
