"""A proposition's timeline laid out for an inline SVG: who said it when.

Like the place map (:mod:`.marks`) it only rearranges what the data function returned: one
row per speaker (in order of their first dated claim), one point per claim at its document's
publication time. Undated claims are not placed at all (the page lists them apart, "date
unknown"): a point needs a time that was published, not the time claimscope read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIDTH = 760
LABEL_WIDTH = 190
RIGHT_PAD = 24
TOP = 14
ROW = 26
AXIS = 34
MAX_TICKS = 6
MAX_LABEL = 28


@dataclass
class TimelinePoint:
    claim: str
    x: float
    y: float
    stance: str
    title: str


def _utc(iso: str) -> datetime:
    value = datetime.fromisoformat(iso)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def timeline_chart(timeline: dict) -> dict | None:
    """Rows, points and day ticks for the dated entries of a timeline; None if none is dated."""
    dated = timeline["dated"]
    if not dated:
        return None
    times = [_utc(e["published_at"]) for e in dated]
    start, end = min(times), max(times)
    if end - start < timedelta(days=1):
        start, end = start - timedelta(hours=12), end + timedelta(hours=12)
    span = (end - start).total_seconds()
    plot = WIDTH - LABEL_WIDTH - RIGHT_PAD
    x_of = lambda t: round(LABEL_WIDTH + (t - start).total_seconds() / span * plot, 1)
    speakers = list(dict.fromkeys(e["speaker"] for e in dated))
    y_of = {s: TOP + ROW * i + ROW / 2 for i, s in enumerate(speakers)}
    points = [
        TimelinePoint(e["claim"], x_of(t), y_of[e["speaker"]], e["stance"],
                      f"{e['speaker']} · {e['outlet'] or 'outlet unknown'} · "
                      f"{e['published_at'][:16].replace('T', ' ')} · {e['stance']}")
        for e, t in zip(dated, times)
    ]
    height = TOP + ROW * len(speakers) + AXIS
    days = max((end - start).days, 1)
    step = max(1, -(-days // MAX_TICKS))
    first = datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    ticks = []
    day = first if first >= start else first + timedelta(days=1)
    while day <= end:
        ticks.append((day.date().isoformat(), x_of(day)))
        day += timedelta(days=step)
    if not ticks:  # within one day: its start and end
        ticks = [(t.isoformat()[:16].replace("T", " "), x_of(t)) for t in (start, end)]
    return {
        "width": WIDTH, "height": height, "label_width": LABEL_WIDTH,
        "axis_y": height - AXIS + 6, "right": WIDTH - RIGHT_PAD,
        "rows": [(_short(s), s, y_of[s]) for s in speakers],
        "points": points, "ticks": ticks,
    }
