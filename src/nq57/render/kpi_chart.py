"""A KPI's measurements against its trajectory, as the geometry of a small inline SVG.

:func:`pace_chart` turns a :class:`~nq57.analysis.kpis.KpiState` (its pace carries the
trajectory, see :mod:`nq57.analysis.pace`) into plain numbers and texts for the site's
template: polylines in a fixed view box, one dot per measurement, the axis ends. Pure
and deterministic (coordinates rounded to 0.1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nq57.analysis.kpis import KpiState
from nq57.analysis.labels import pace_label, trend_label
from nq57.analysis.report import fmt_date, fmt_number

WIDTH, HEIGHT = 240, 90
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 6, 14  # room for the value labels left, years below


def _xy(points: list[tuple[dt.date, float]], box: tuple) -> list[tuple[float, float]]:
    first, last, low, high = box
    days = max((last - first).days, 1)
    span = (high - low) or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    return [
        (
            round(LEFT + inner_w * (day - first).days / days, 1),
            round(TOP + inner_h * (1 - (value - low) / span), 1),
        )
        for day, value in points
    ]


def _polyline(xy: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in xy)


def pace_chart(state: KpiState, as_of: dt.date) -> dict[str, Any] | None:
    """The chart of one KPI, or None when there is neither a trajectory nor two
    measurements to draw. Measurements are those of the part the pace judges."""
    pace = state.pace
    label = state.latest.label if state.latest else None
    measured = sorted(
        (m.date, float(m.value))
        for m in state.kpi.measurements
        if m.date <= as_of and m.label == label
    )
    trajectory = list(pace.trajectory)
    if len(trajectory) < 2 and len(measured) < 2:
        return None
    everything = trajectory + measured
    dates = [d for d, _ in everything]
    values = [v for _, v in everything]
    box = (min(dates), max(dates), min(values), max(values))
    dots = _xy(measured, box)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"x": LEFT, "y": TOP, "w": WIDTH - LEFT - RIGHT, "h": HEIGHT - TOP - BOTTOM},
        "trajectory": _polyline(_xy(trajectory, box)) if len(trajectory) >= 2 else "",
        "measured": _polyline(dots) if len(dots) >= 2 else "",
        "dots": [
            {"x": f"{x:g}", "y": f"{y:g}", "title": f"{fmt_date(day)}: {fmt_number(value)}"}
            for (x, y), (day, value) in zip(dots, measured, strict=True)
        ],
        "first": str(box[0].year),
        "last": str(box[1].year),
        "low": fmt_number(box[2]),
        "high": fmt_number(box[3]),
        "pace": pace.status,
        "pace_label": pace_label(pace.status),
        "trend": trend_label(pace.trend),
        "expected": "" if pace.expected is None else fmt_number(round(pace.expected, 1)),
    }
