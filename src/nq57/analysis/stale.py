"""Who has not reported: tasks and KPIs with nothing dated in the current reporting period.

The period is the month containing the as-of date, or the quarter when the decision's
``reporting`` has a quarterly obligation and no monthly one (the rule is documented in
docs/data-format.md, "Who has not reported").

- A task is stale when, as of the date, it is neither done nor cancelled, has no child
  tasks, its decision was issued on or before the date, and none of its ``updates`` is
  dated inside the period.
- A KPI is stale when it has an ``owner``, its decision was issued on or before the date,
  its target year is not over (``year`` >= the as-of year), and none of its
  ``measurements`` is dated inside the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from nq57.analysis.tasks import as_of_task
from nq57.model.deadlines import period_bounds

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.dataset import DataSet
    from nq57.model.entities import Decision, Kpi


def reporting_frequency(decision: Decision | None) -> str:
    """``monthly`` unless the decision reports quarterly and never monthly."""
    frequencies = {r.frequency for r in decision.reporting} if decision else set()
    if "quarterly" in frequencies and "monthly" not in frequencies:
        return "quarterly"
    return "monthly"


def reporting_period(decision: Decision | None, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last) day of the reporting period containing ``as_of``."""
    bounds = period_bounds(reporting_frequency(decision), as_of)
    assert bounds is not None  # monthly and quarterly are known recurrences
    return bounds


Periods = dict[str, tuple[dt.date, dt.date] | None]


def decision_periods(decisions: Iterable[Decision], as_of: dt.date) -> Periods:
    """Decision id -> its current period; None for a decision issued after ``as_of``."""
    return {d.id: reporting_period(d, as_of) if d.issued <= as_of else None for d in decisions}


def _periods(data: DataSet, as_of: dt.date) -> Periods:
    return decision_periods(data.decisions.values(), as_of)


def _inside(dates: list[dt.date], period: tuple[dt.date, dt.date]) -> bool:
    first, last = period
    return any(first <= day <= last for day in dates)


def stale_tasks(data: DataSet, as_of: dt.date) -> list[str]:
    """Ids (sorted) of the tasks with no update in the current reporting period."""
    periods = _periods(data, as_of)
    parents = set(data.children())
    default = reporting_period(None, as_of)
    stale = []
    for task in data.tasks.values():
        if task.id in parents:
            continue
        period = periods.get(task.decision, default)
        if period is None or as_of_task(task, as_of).status in ("done", "cancelled"):
            continue
        if not _inside([u.date for u in task.updates], period):
            stale.append(task.id)
    return sorted(stale)


def stale_kpis(data: DataSet, as_of: dt.date) -> list[str]:
    """Ids (sorted) of the owned, running KPIs with no measurement in the current period."""
    periods = _periods(data, as_of)
    return stale_kpi_ids(data.kpis.values(), periods, reporting_period(None, as_of), as_of)


def stale_kpi_ids(
    kpis: Iterable[Kpi], periods: Periods, default: tuple[dt.date, dt.date], as_of: dt.date
) -> list[str]:
    """:func:`stale_kpis` over the given KPIs, with the decisions' periods."""
    stale = []
    for kpi in kpis:
        period = periods.get(kpi.decision, default)
        if not kpi.owner or period is None or kpi.year < as_of.year:
            continue
        if not _inside([m.date for m in kpi.measurements], period):
            stale.append(kpi.id)
    return sorted(stale)
