"""KPI attainment as of a date: latest measurement against the printed target, and
its pace towards it while the target year is still ahead (analysis/pace.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nq57.analysis.labels import kpi_label
from nq57.analysis.pace import Pace, kpi_pace
from nq57.model.targets import Target, meets, parse_target, progress

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.entities import Kpi, Measurement


@dataclass(frozen=True)
class KpiState:
    kpi: Kpi
    target: Target
    latest: Measurement | None
    meets: bool | None  # None: no measurement, qualitative target, or undecidable
    progress: float | None  # fraction of the way from baseline to target
    pace: Pace = Pace("unknown")
    year_over: bool = True  # the as-of date is past the end of the target year
    year_ahead: bool = False  # the as-of date is before the target year begins

    @property
    def off_track(self) -> bool:
        """Behind: behind its trajectory, or short of the target once its year is over.
        A KPI measured short of a 2030 target in 2025 with no line to judge it on is not."""
        if self.pace.status in ("ahead", "on_track", "met"):
            return False
        if self.pace.status == "behind":
            return True
        return self.latest is not None and self.meets is False and self.year_over

    @property
    def klass(self) -> str:
        """The assessment as a code: met; until the target year is over, on_pace or
        behind_pace when a trajectory judges it (never "not met" before its year); not_met
        once the year is over (or in it, short of the target with no trajectory);
        undecided (no verdict) or no_data."""
        if self.latest is None:
            return "no_data"
        if self.meets is None:
            return "undecided"
        if self.meets:
            return "met"
        if self.year_over:
            return "not_met"
        if self.pace.status == "behind":
            return "behind_pace"
        if self.pace.status in ("ahead", "on_track", "met"):
            return "on_pace"
        # Short of its target with no trajectory to judge it on: in the target year that is
        # "not met (yet)"; before the year no verdict can be given.
        return "undecided" if self.year_ahead else "not_met"

    @property
    def label(self) -> str:
        """The assessment in the current language: 'Đạt' / 'Met' ..."""
        return kpi_label(self.klass)


def assess(kpi: Kpi, as_of: dt.date) -> KpiState:
    target = parse_target(kpi.target or "")
    known = [m for m in kpi.measurements if m.date <= as_of]
    latest = max(known, key=lambda m: m.date) if known else None
    year_over = as_of > dt.date(kpi.year, 12, 31)
    year_ahead = as_of.year < kpi.year
    pace = kpi_pace(kpi, as_of)
    if latest is None:
        return KpiState(kpi, target, None, None, None, pace, year_over, year_ahead)
    ok = meets(target, float(latest.value), latest.label)
    base = float(kpi.baseline.value) if kpi.baseline else None
    gain = progress(target, base, float(latest.value), latest.label)
    return KpiState(kpi, target, latest, ok, gain, pace, year_over, year_ahead)
