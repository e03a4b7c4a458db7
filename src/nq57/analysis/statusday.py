"""The status overview for any date, from a date-independent index of the data.

`nq57 status --format json` on unchanged data with a new ``--as-of`` date would load
every model again and classify every task (a second at 30,000 tasks). Most of that
does not depend on the date: who leads a task, its due date when it has a fixed one,
the dates its updates carry, its children. :mod:`nq57.analysis.statusindex` gathers
those once, as plain columns stored beside the snapshot; :func:`index_day` computes
the day's classes, progress and stale flags with the rules of
:mod:`~nq57.analysis.tasks`, :mod:`~nq57.analysis.progress` and
:mod:`~nq57.analysis.stale`, over the columns. Recurring tasks, KPIs and decisions
are few: they are kept as :class:`Plain` copies of their models and go through
:func:`~nq57.analysis.tasks.classify_in`, :func:`~nq57.analysis.kpis.assess` and
:func:`~nq57.analysis.filings.filings` themselves. Nothing here imports pydantic or a
YAML library: a run with a new date starts in a fraction of a second. Equality with
:func:`~nq57.analysis.status.build_status` is tested over dates, windows and scopes
(tests/analysis/test_statusindex.py).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from nq57.analysis.filings import Filing, filings
from nq57.analysis.groups import GroupCounts, class_counts, group_counts
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.progress import round_half_up
from nq57.analysis.stale import decision_periods, reporting_period, stale_kpi_ids
from nq57.analysis.tasks import TaskState, classify_in


class Plain(SimpleNamespace):
    """A model's fields as attributes (nested models too), read without pydantic.
    ``model_copy`` is the one model method the analysis calls (as_of_task)."""

    def model_copy(self, update: dict[str, Any] | None = None) -> Plain:
        return Plain(**{**vars(self), **(update or {})})


_MAX_DAY = dt.date.max.toordinal()


@dataclass
class StatusIndex:
    """What the status of any date is computed from. Days are ordinals (``toordinal``).

    Columns of ``task_*`` run over every task of the data, in id order (progress rolls
    up through children outside the scope); ``scope`` lists the positions of the tasks
    in scope, in the order `status` lists them."""

    task_ids: list[str]
    task_status: list[str]
    task_completed: list[int | None]
    task_cancel_from: list[int | None]  # the first update that cancels it
    children: list[tuple[tuple[int, int | float], ...]]  # (position, weight)
    rollup_order: list[int]  # children before their parents
    progress_days: list[tuple[int, ...]]  # updates stating progress, by date (stable)
    progress_values: list[tuple[int, ...]]
    update_days: list[tuple[int, ...]]  # every update, sorted
    scope: list[int]
    decision_of: list[str]  # of each task in scope
    agency_of: list[str]
    is_parent: list[bool]
    due: list[int | None]  # fixed tasks: the due date; recurring: unused
    recurring: dict[int, Plain]  # scope position -> model, classified by classify_in
    decisions: dict[str, Plain]
    plans: list[str]  # the decisions whose filings are listed
    kpis: list[Plain]
    invalid_files: list[str]
    extra: dict[str, Any] = field(default_factory=dict)  # for the renderer (record texts)


@dataclass
class StatusDay:
    """:class:`~nq57.analysis.status.StatusReport` of one date, in columns over the scope.
    ``states`` holds the recurring tasks' own states (by scope position)."""

    as_of: dt.date
    within: int
    klass: list[str]
    status: list[str]
    completed: list[int | None]
    progress: list[int | None]
    source: list[str]
    days: list[int | None]  # days overdue (overdue) or days left (due soon, on track)
    stale: list[int]  # scope positions, in scope order
    overdue: list[int]  # scope positions, in the order status lists them
    upcoming: list[int]
    states: dict[int, TaskState]
    counts: dict[str, int]
    kpis: list[KpiState]
    stale_kpis: list[KpiState]
    filings: list[Filing]
    by_agency: list[GroupCounts]
    by_plan: list[GroupCounts]


def _status_on(index: StatusIndex, i: int, day: int) -> tuple[str, int | None]:
    """Status and completion of task ``i`` as it stood on ``day`` (as_of_task)."""
    status, completed = index.task_status[i], index.task_completed[i]
    if status == "done" and completed is not None and completed > day:
        return "in_progress", None
    if status == "cancelled":
        cancel = index.task_cancel_from[i]
        if cancel is not None and cancel > day:
            return "in_progress", completed
    return status, completed


def _progress(index: StatusIndex, day: int) -> tuple[list[int | None], list[str]]:
    """Every task's progress and its source on ``day`` (nq57.analysis.progress)."""
    count = len(index.task_ids)
    value: list[int | None] = [0] * count
    source = ["none"] * count
    for i in index.rollup_order:
        status, _ = _status_on(index, i, day)
        if status == "cancelled":
            value[i] = None
            continue
        if status == "done":
            value[i], source[i] = 100, "done"
            continue
        total = weights = 0.0
        for child, weight in index.children[i]:
            figure = value[child]
            if figure is not None:
                total += weight * figure
                weights += weight
        if weights > 0:
            value[i], source[i] = round_half_up(total / weights), "children"
            continue
        days = index.progress_days[i]
        last = bisect_right(days, day)
        if last:
            value[i], source[i] = index.progress_values[i][last - 1], "reported"
    return value, source


def index_day(index: StatusIndex, as_of: dt.date, within: int = 30) -> StatusDay:
    """The status of ``as_of``: what ``build_status`` computes, in columns."""
    day = as_of.toordinal()
    value, source = _progress(index, day)
    periods = decision_periods(index.decisions.values(), as_of)
    default = reporting_period(None, as_of)
    size = len(index.scope)
    klass = [""] * size
    status = [""] * size
    completed: list[int | None] = [None] * size
    days: list[int | None] = [None] * size
    stale: list[int] = []
    states: dict[int, TaskState] = {}
    for n, i in enumerate(index.scope):
        st, done_on = status[n], completed[n] = _status_on(index, i, day)
        recurring = index.recurring.get(n)
        if recurring is not None:
            state = states[n] = classify_in(recurring, as_of, within, index.decisions)
            klass[n] = state.klass
            days[n] = state.days_overdue if state.klass == "overdue" else state.days_left
        else:
            klass[n], days[n] = _classify(st, done_on, index.due[n], day, within)
        if index.is_parent[n] or st in ("done", "cancelled"):
            continue
        period = periods.get(index.decision_of[n], default)
        if period is not None and not _inside(index.update_days[i], period):
            stale.append(n)
    progress = [value[i] for i in index.scope]
    sources = [source[i] for i in index.scope]
    overdue = sorted(
        (n for n in range(size) if klass[n] == "overdue"),
        key=lambda n: (-(days[n] or 0), index.task_ids[index.scope[n]]),
    )
    upcoming = sorted(
        (n for n in range(size) if klass[n] == "due_soon"),
        key=lambda n: (_due_of(index, states, n), index.task_ids[index.scope[n]]),
    )
    kpis = [assess(k, as_of) for k in index.kpis]
    late_kpis = set(stale_kpi_ids(index.kpis, periods, default, as_of))
    is_stale = [False] * size
    for n in stale:
        is_stale[n] = True
    by_agency, by_plan = group_counts(index.agency_of, index.decision_of, klass, progress, is_stale)
    plans = [index.decisions[p] for p in index.plans if p in index.decisions]
    return StatusDay(
        as_of=as_of,
        within=within,
        klass=klass,
        status=status,
        completed=completed,
        progress=progress,
        source=sources,
        days=days,
        stale=stale,
        overdue=overdue,
        upcoming=upcoming,
        states=states,
        counts=class_counts(klass, len(upcoming), len(stale)),
        kpis=kpis,
        stale_kpis=[k for k in kpis if k.kpi.id in late_kpis],
        filings=filings(plans, as_of),
        by_agency=by_agency,
        by_plan=by_plan,
    )


def _classify(
    status: str, completed: int | None, due: int | None, day: int, within: int
) -> tuple[str, int | None]:
    """Class and days (overdue or left) of a task that does not recur (classify)."""
    if status == "cancelled":
        return "cancelled", None
    if status == "done":
        late = due is not None and completed is not None and completed > due
        return ("done_late" if late else "done_on_time"), None
    if due is None:
        return "no_deadline", None
    left = due - day
    if left < 0:
        return "overdue", -left
    return ("due_soon" if left <= within else "on_track"), left


def _due_of(index: StatusIndex, states: dict[int, TaskState], n: int) -> int:
    state = states.get(n)
    due = index.due[n] if state is None else (None if state.due is None else state.due.toordinal())
    return _MAX_DAY if due is None else due


def _inside(days: tuple[int, ...], period: tuple[dt.date, dt.date]) -> bool:
    first = bisect_left(days, period[0].toordinal())
    return first < len(days) and days[first] <= period[1].toordinal()
