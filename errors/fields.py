"""How a response body carries the failure a row records.

Models store the error of an audit, a run, a PDF job, a webhook delivery or a HubSpot change
as blank text when there was none; the API answers null then, never "".
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "nullable": True})
class RecordedErrorField(serializers.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return value or None
