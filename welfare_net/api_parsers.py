"""The API's one JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

Its own module: DRF's ``APIView`` reads the parser setting while it loads, and
``welfare_net.api`` imports DRF's views, so the parser cannot live there.
"""

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers
from rest_framework.utils.json import strict_constant

# How deep a body may nest: the deepest the API reads is a list of objects in an object (3).
MAX_JSON_DEPTH = 32
# A lone surrogate (U+D800..U+DFFF on its own, e.g. the escape "\\ud800") is not text: it
# cannot be written to the database, a log line or an answer as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")

BODY_TOO_DEEP = _(
    "The request could not be read: its data is nested too deeply (at most %(limit)d levels)."
)
BODY_NOT_TEXT = _("The request could not be read: it holds characters that are not valid text.")


class UnreadableBody(exceptions.ParseError):
    """A body the API will not read, with the reason in plain words (the handler keeps it)."""


def _check_readable(data: Any) -> None:
    """Every key and string of ``data`` is valid text, and it nests at most MAX_JSON_DEPTH
    levels. Iterative, so that no depth of input can exhaust the stack."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise UnreadableBody(BODY_NOT_TEXT)
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise UnreadableBody(BODY_TOO_DEEP % {"limit": MAX_JSON_DEPTH})
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which reads only what is plain JSON text (``DEFAULT_PARSER_CLASSES``).

    JSON between systems is UTF-8 (RFC 8259), whatever charset the request names. A body that
    is not UTF-8, not JSON, nested deeper than ``MAX_JSON_DEPTH`` (Python's decoder recurses
    once per level: thousands of ``[`` were a RecursionError) or holding a lone surrogate in
    any key or value is a ``ParseError``: a 400 in the error shape, before any view sees it.
    """

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise UnreadableBody(BODY_NOT_TEXT) from None
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:
            raise UnreadableBody(BODY_TOO_DEEP % {"limit": MAX_JSON_DEPTH}) from None
        except ValueError:
            raise exceptions.ParseError() from None
        _check_readable(data)
        return data
