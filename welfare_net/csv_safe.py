"""CSV for spreadsheets, safe from formula injection (OWASP "CSV Injection").

Staff open every export of the platform in a spreadsheet program, which runs a cell that
begins with ``= + - @`` (or a tab or carriage return before one) as a formula: a project
title ``=HYPERLINK(...)`` becomes a link that sends the sheet's data away. Every export
writes through ``writer`` (or, for a django-import-export dataset, ``neutralise_row``), which
puts an apostrophe before such a cell: the program shows the text and runs nothing. Numbers
stay numbers (``-5`` is not a formula). ``restore`` takes the apostrophe off again when a file
that went out is imported back.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

from django.http import HttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A plain signed number is data, not a formula, whatever its first character.
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: Any) -> Any:
    """The cell as it can be written: text a spreadsheet would run gets a leading apostrophe;
    numbers and anything else are left as they are. Lazy translations are made text."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return QUOTE + value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def restore(value: str) -> str:
    """A cell read back from a file this module wrote: without the apostrophe it added."""
    if value.startswith(QUOTE) and neutralise(value[1:]) == value:
        return value[1:]
    return value


class SafeWriter:
    """``csv.writer`` with every cell passed through ``neutralise``."""

    def __init__(self, file: _Writable, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file: _Writable, **options: Any) -> SafeWriter:
    """The only CSV writer of the platform's exports (a test forbids a bare ``csv.writer``)."""
    return SafeWriter(file, **options)


def attachment(filename: str) -> HttpResponse:
    """An empty CSV download named ``filename``, begun with the byte order mark (spreadsheet
    programs in Korean then read the file as UTF-8); write to it with ``writer``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response


__all__ = ["FORMULA_STARTS", "attachment", "neutralise", "neutralise_row", "restore", "writer"]
