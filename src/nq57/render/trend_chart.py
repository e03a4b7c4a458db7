"""The site index's trend: month-end counts as the geometry of a small inline SVG.

:func:`trend_chart` turns the trend rows of the index (``date``, ``overdue``, ``open``,
``done``) into one polyline per series in a fixed view box, with the axis ends as text.
Pure and deterministic (coordinates rounded to 0.1).
"""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT = 480, 150
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 8, 18  # room for the counts left, the dates below
SERIES = ("overdue", "open", "done")  # drawn in this order, coloured by the site's classes


def trend_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The chart of the trend rows, or None with fewer than two month-ends."""
    if len(rows) < 2:
        return None
    high = max(1, *(int(r[key]) for r in rows for key in SERIES))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / (len(rows) - 1)

    def point(i: int, value: int) -> str:
        x, y = LEFT + step * i, TOP + inner_h * (1 - value / high)
        return f"{round(x, 1):g},{round(y, 1):g}"

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"x": LEFT, "y": TOP, "w": inner_w, "h": inner_h},
        "lines": [
            {"key": key, "points": " ".join(point(i, int(r[key])) for i, r in enumerate(rows))}
            for key in SERIES
        ],
        "high": high,
        "first": rows[0]["date"],
        "last": rows[-1]["date"],
    }
