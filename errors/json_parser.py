"""The JSON body parser of both APIs: bodies nested too deeply are malformed, never a 500."""

import codecs
import json
import re
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

# A complete string, or an unterminated one up to the end (so a bad body costs one pass).
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_OPENERS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth_exceeds(text: str, *, limit: int) -> bool:
    """True when arrays and objects in `text` nest deeper than `limit` (no recursion)."""
    # Depth can only exceed the limit when there are more opening brackets than that.
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKETS.sub("", _STRING.sub("", text))
    return max(accumulate(map(_OPENERS.__getitem__, map(ord, brackets))), default=0) > limit


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than `REQUEST_MAX_JSON_DEPTH`."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        limit = settings.REQUEST_MAX_JSON_DEPTH
        if json_depth_exceeds(text, limit=limit):
            raise ParseError(f"JSON parse error - Nesting deeper than {limit} levels")
        try:
            parse_constant = drf_json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
