"""KPI pace: is the latest value on the way to the target, judged at its date?

A KPI whose target year is still ahead is not "not met": it is ahead of, on, or behind
the trajectory from its starting point to its targets. The trajectory is piecewise
linear: from the baseline (or the first measurement) to each interim target at the end
of its year, then to the final target at the end of ``year``. Interim targets come from
the ``targets`` list, or from a target printed per year ("2030: ≥ 3; 2045: ≥ 5").
The rule is documented in docs/data-format.md (KPI pace).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nq57.model.targets import Comparison, Target, meets, parse_target

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.entities import Kpi, Measurement

PACES = ("ahead", "on_track", "behind", "met", "unknown")
TOLERANCE = 0.05  # within 5% of the whole way from start to target counts as on track
TREND_POINTS = 3  # the trend looks at the last three measurements


@dataclass(frozen=True)
class Goal:
    year: int
    comparison: Comparison

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class Pace:
    status: str  # one of PACES
    expected: float | None = None  # the trajectory's value at the latest measurement's date
    target: float | None = None  # the bound aimed at: the next goal after that date
    target_year: int | None = None
    trend: str | None = None  # up | down | flat, over the last measurements
    trajectory: tuple[tuple[dt.date, float], ...] = ()  # start, then one point per goal


def kpi_pace(kpi: Kpi, as_of: dt.date, label: str | None = None) -> Pace:
    """The pace of ``kpi`` as of ``as_of``, for the part ``label`` of a multi-part target
    (default: the part the latest measurement names)."""
    known = sorted((m for m in kpi.measurements if m.date <= as_of), key=lambda m: m.date)
    if label is None and known:
        label = known[-1].label
    known = [m for m in known if m.label == label]
    goals = _goals(kpi, label)
    if not goals:
        return Pace("unknown", trend=_trend(known))
    start = _start(kpi, known)
    trajectory = _trajectory(start, goals)
    final = goals[-1]
    if not known:
        return Pace(
            "unknown", target=final.comparison.value, target_year=final.year, trajectory=trajectory
        )
    latest = known[-1]
    value = float(latest.value)
    goal = next((g for g in goals if g.date >= latest.date), final)
    pace = Pace("unknown", None, goal.comparison.value, goal.year, _trend(known), trajectory)
    final_target = Target(kpi.target or "", (final.comparison,))
    if meets(final_target, value) is True:
        return _with(pace, "met")
    if as_of > final.date:
        return _with(pace, "behind")
    if start is None or start[0] >= latest.date or len(trajectory) < 2:
        return pace  # nothing to draw a line from
    expected = _at(trajectory, latest.date)
    span = abs(trajectory[-1][1] - trajectory[0][1]) or abs(trajectory[-1][1]) or 1.0
    lower = _lower_is_better(final.comparison, trajectory[0][1])
    gap = (expected - value if lower else value - expected) / span
    status = "ahead" if gap > TOLERANCE else "behind" if gap < -TOLERANCE else "on_track"
    return Pace(status, round(expected, 4), pace.target, pace.target_year, pace.trend, trajectory)


def _with(pace: Pace, status: str) -> Pace:
    return Pace(status, pace.expected, pace.target, pace.target_year, pace.trend, pace.trajectory)


def _single(target: Target, label: str | None) -> Comparison | None:
    """The one numeric bound that applies (for ``label``), or None."""
    if target.qualitative:
        return None
    found = [c for c in target.comparisons if label is None or c.label in (None, label)]
    if len(found) != 1 and label is None:
        found = [c for c in found if c.label is None]
    return found[0] if len(found) == 1 else None


def _goals(kpi: Kpi, label: str | None) -> list[Goal]:
    """Interim and final targets in year order; the last one is the KPI's target."""
    goals: dict[int, Comparison] = {}
    for interim in kpi.targets:
        comparison = _single(parse_target(interim.target), label)
        if comparison is not None:
            goals[interim.year] = comparison
    printed = parse_target(kpi.target or "")
    by_year = [c for c in printed.comparisons if c.label and _is_year(c.label)]
    if printed.comparisons and len(by_year) == len(printed.comparisons):
        for c in by_year:  # "2030: ≥ 3; 2045: ≥ 5"
            goals[int(c.label or 0)] = Comparison(c.op, c.value, c.high)
    else:
        final = _single(printed, label)
        if final is not None:
            goals[kpi.year] = final
    return [Goal(year, goals[year]) for year in sorted(goals)]


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2200


def _start(kpi: Kpi, known: list[Measurement]) -> tuple[dt.date, float] | None:
    """Where the line starts: the baseline when it is dated, else the first measurement
    (an undated baseline cannot be placed on the time axis)."""
    if kpi.baseline is not None and kpi.baseline.date is not None:
        return kpi.baseline.date, float(kpi.baseline.value)
    if known:
        return known[0].date, float(known[0].value)
    return None


def _trajectory(
    start: tuple[dt.date, float] | None, goals: list[Goal]
) -> tuple[tuple[dt.date, float], ...]:
    if start is None:
        return ()
    points = [start]
    for goal in goals:
        if goal.date > start[0]:
            points.append((goal.date, _aim(goal.comparison, start[1])))
    return tuple(points)


def _aim(c: Comparison, start: float) -> float:
    """The value a comparison asks for; for a range, its nearer end."""
    if c.op == "range" and c.high is not None and start > c.high:
        return c.high
    return c.value


def _lower_is_better(c: Comparison, start: float) -> bool:
    if c.op in ("<=", "<"):
        return True
    return c.op == "range" and c.high is not None and start > c.high


def expected_on(pace: Pace, day: dt.date) -> float | None:
    """The trajectory's value on ``day``; None before it starts or without one."""
    if len(pace.trajectory) < 2 or day < pace.trajectory[0][0]:
        return None
    return round(_at(pace.trajectory, day), 4)


def _at(trajectory: tuple[tuple[dt.date, float], ...], day: dt.date) -> float:
    """The trajectory's value on ``day`` (straight lines between its points)."""
    for (d0, v0), (d1, v1) in itertools.pairwise(trajectory):
        if day <= d1:
            share = (day - d0).days / max((d1 - d0).days, 1)
            return v0 + (v1 - v0) * max(share, 0.0)
    return trajectory[-1][1]


def _trend(known: list[Measurement]) -> str | None:
    last = known[-TREND_POINTS:]
    if len(last) < 2:
        return None
    first, latest = float(last[0].value), float(last[-1].value)
    if abs(latest - first) <= 1e-9 * max(abs(first), 1.0):
        return "flat"
    return "up" if latest > first else "down"
