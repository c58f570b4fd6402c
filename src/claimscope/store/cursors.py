"""Keyset cursors: the sort key of the last row of a page, as an opaque url-safe string.

A cursor names its sort order, so one handed out for one order is refused for another; a
string this module did not make is refused with :class:`InvalidCursor`, never an error of
the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_


class InvalidCursor(ValueError):
    """A cursor that this view did not hand out (or one for another sort order)."""


def after(keys: list[tuple[Any, str, bool]], values: list[Any]) -> ColumnElement:
    """Rows after ``values`` in the order of ``keys``: the keyset condition, spelled out.

    A NULL sorts below every value, as SQLite orders it (last when descending)."""
    alternatives = []
    for i, (col, _, descending) in enumerate(keys):
        equal = [keys[j][0].is_(None) if values[j] is None else keys[j][0] == values[j]
                 for j in range(i)]
        alternatives.append(and_(*equal, _beyond(col, values[i], descending)))
    return or_(*alternatives)


def _beyond(col: Any, value: Any, descending: bool) -> ColumnElement:
    if value is None:
        return false() if descending else col.is_not(None)
    if descending:
        return or_(col < value, col.is_(None))
    return col > value


def encode(order: str, row: Any, keys: list[tuple[Any, str, bool]]) -> str:
    return pack(order, [getattr(row, attribute) for _, attribute, _ in keys])


def pack(order: str, values: list[Any]) -> str:
    raw = json.dumps([order, *values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, order: str, size: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("not a cursor of this list") from error
    if (
        not isinstance(values, list)
        or len(values) != size + 1
        or values[0] != order
        or not all(v is None or isinstance(v, (str, int, float)) and not isinstance(v, bool)
                   for v in values[1:])
    ):
        raise InvalidCursor("not a cursor of this list (or of another sort order)")
    return values[1:]
