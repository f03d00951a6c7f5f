"""Bounds on audit results, so that one audit cannot make its PDF report arbitrarily expensive."""

from rest_framework import serializers

MAX_SCORE_CATEGORIES = 50
MAX_CATEGORY_NAME_CHARS = 64
MAX_FINDINGS = 500
MAX_SUMMARY_CHARS = 10_000
MAX_FINDING_FIELD_CHARS = 2_000
MAX_FINDING_TEXT_CHARS = 10_000


class ScoresField(serializers.DictField):
    """Scores by category (0..100): at most 50 categories, names up to 64 characters."""

    default_error_messages = {
        "max_length": f"Ensure there are no more than {MAX_SCORE_CATEGORIES} score categories.",
        "key_too_long": (
            f"Ensure category names have no more than {MAX_CATEGORY_NAME_CHARS} characters."
        ),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.IntegerField(min_value=0, max_value=100), **kwargs)

    def to_internal_value(self, data):
        # Checked before the values, so a huge mapping is refused without walking it.
        if isinstance(data, dict):
            if len(data) > MAX_SCORE_CATEGORIES:
                self.fail("max_length")
            long_names = [str(key) for key in data if len(str(key)) > MAX_CATEGORY_NAME_CHARS]
            if long_names:
                message = self.error_messages["key_too_long"]
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail(message, code="max_length")]
                        for name in long_names
                    }
                )
        return super().to_internal_value(data)
