"""Formatting helpers for the templates: text cut into marked pieces, places onto a small map.

They only rearrange what a data function returned (offsets, coordinates); they never query.
A piece's text stays plain text: the templates escape it like everything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

MAP_WIDTH = 320
MAP_HEIGHT = 200
_MAP_PADDING = 24
_MIN_SPAN_DEGREES = 2.0
_GRID_STEPS = (1, 2, 5, 10, 20, 30, 45)


@dataclass
class Piece:
    text: str
    kinds: list[str] = field(default_factory=list)
    """What covers this piece: ``speaker``, ``cue``, ``content``, ``hedge``, ``place``."""
    claims: list[str] = field(default_factory=list)
    """Ids of the claims whose content covers this piece, the innermost first."""


def claim_marks(claim: dict) -> list[tuple[int, int, str, str | None]]:
    """(start, end, kind, claim id for content) of every highlighted part of a claim."""
    marks = []
    for kind in ("speaker", "cue"):
        part = claim[kind]
        if part.get("start") is not None and part.get("end") is not None:
            marks.append((part["start"], part["end"], kind, None))
    content = claim["content"]
    marks.append((content["start"], content["end"], "content", claim["id"]))
    marks += [(h["start"], h["end"], "hedge", None) for h in claim["hedges"]]
    marks += [(p["start"], p["end"], "place", None) for p in claim["places"]]
    return marks


def pieces(text: str, offset: int, marks: list[tuple[int, int, str, str | None]]) -> list[Piece]:
    """``text`` (found at ``offset`` in its document) cut wherever a mark begins or ends."""
    end_of_text = offset + len(text)
    inside = [(max(s, offset), min(e, end_of_text), k, c) for s, e, k, c in marks
              if s < end_of_text and e > offset and s < e]
    cuts = sorted({offset, end_of_text, *(s for s, *_ in inside), *(e for _, e, *_ in inside)})
    found = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [(k, c, e - s) for s, e, k, c in inside if s <= start and end <= e]
        kinds = sorted({k for k, _, _ in covering})
        # The innermost claim first: a piece links to it, so a claim nested in another's
        # content can still be reached from the text.
        innermost = sorted((length, c) for _, c, length in covering if c)
        claim_ids = list(dict.fromkeys(c for _, c in innermost))
        found.append(Piece(text[start - offset : end - offset], kinds, claim_ids))
    return found


def here(request: Any, drop: tuple[str, ...] = (), **changes: str) -> str:
    """This page's path and query (relative: never the Host header), with ``drop`` removed
    and ``changes`` set."""
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in drop and k not in changes]
    params += [(k, v) for k, v in changes.items() if v is not None]
    return request.url.path + (f"?{urlencode(params)}" if params else "")


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None: an article's ``javascript:`` is not a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@dataclass
class MapPoint:
    name: str
    kind: str
    lat: float
    lon: float
    x: float
    y: float

    @property
    def label_left(self) -> bool:
        """Whether the name goes left of the point (it would run off the right edge)."""
        return self.x > MAP_WIDTH * 0.6


def place_map(places: list[dict]) -> dict | None:
    """Places (lat/lon) as points on a small equirectangular plot; None if there are none.

    No base map: an offline outline set would have to ship with a package, and a grid with
    the coordinates is honest about what is known (named places, never finer positions).
    """
    unique = {(p["name"], p["lat"], p["lon"]): p for p in places}
    if not unique:
        return None
    lats = [p["lat"] for p in unique.values()]
    lons = [p["lon"] for p in unique.values()]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    squeeze = max(math.cos(math.radians(mid_lat)), 0.2)  # degrees of longitude are shorter
    span_lat = max(max(lats) - min(lats), _MIN_SPAN_DEGREES)
    span_lon = max((max(lons) - min(lons)) * squeeze, _MIN_SPAN_DEGREES)
    scale = min((MAP_WIDTH - 2 * _MAP_PADDING) / span_lon,
                (MAP_HEIGHT - 2 * _MAP_PADDING) / span_lat)
    points = [
        MapPoint(p["name"], p["kind"], p["lat"], p["lon"],
                 round(MAP_WIDTH / 2 + (p["lon"] - mid_lon) * squeeze * scale, 1),
                 round(MAP_HEIGHT / 2 - (p["lat"] - mid_lat) * scale, 1))
        for p in unique.values()
    ]
    visible_degrees = max(MAP_HEIGHT / scale, MAP_WIDTH / scale / squeeze)
    step = next((s for s in _GRID_STEPS if visible_degrees / s <= 8), _GRID_STEPS[-1])
    lat_lines = [
        (lat, round(MAP_HEIGHT / 2 - (lat - mid_lat) * scale, 1))
        for lat in range(math.floor(mid_lat - MAP_HEIGHT / scale / 2),
                         math.ceil(mid_lat + MAP_HEIGHT / scale / 2) + 1)
        if lat % step == 0
    ]
    lon_lines = [
        (lon, round(MAP_WIDTH / 2 + (lon - mid_lon) * squeeze * scale, 1))
        for lon in range(math.floor(mid_lon - MAP_WIDTH / scale / squeeze / 2),
                         math.ceil(mid_lon + MAP_WIDTH / scale / squeeze / 2) + 1)
        if lon % step == 0
    ]
    return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "points": points,
            "lat_lines": [g for g in lat_lines if 0 <= g[1] <= MAP_HEIGHT],
            "lon_lines": [g for g in lon_lines if 0 <= g[1] <= MAP_WIDTH]}
