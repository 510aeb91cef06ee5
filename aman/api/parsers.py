"""The one request parser of the API (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"])."""

import json
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from aman.api.errors import PayloadTooLarge

# No request to this API needs more: the largest valid report (5,000 characters of text and 20 links
# of 500) fits even when every character is sent as a \uXXXX escape.
MAX_BODY_BYTES = 128 * 1024


class BoundedJSONParser(JSONParser):
    """JSON only, at most MAX_BODY_BYTES, valid Unicode; deep nesting is a parse error rather than a crash."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:
            return {}
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
            # "\ud800" escapes decode to lone surrogates: not text, and they break any answer that echoes them.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError) as exc:
            raise ParseError() from exc
        return data


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not valid JSON")
