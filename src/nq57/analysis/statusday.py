"""The status overview for any date, from a date-independent index of the data.

`nq57 status --format json` on unchanged data with a new ``--as-of`` date would load
every model again and classify every task (a second at 30,000 tasks). Most of that
does not depend on the date: who leads a task, its due date when it has a fixed one,
the dates its updates carry, its children. :mod:`nq57.analysis.statusindex` gathers
those once, as plain columns stored beside the snapshot; :func:`index_day` computes
the day's classes, progress and stale flags with the rules of
:mod:`~nq57.analysis.tasks`, :mod:`~nq57.analysis.progress` and
:mod:`~nq57.analysis.stale`, over the columns (recurring tasks through
:func:`~nq57.analysis.tasks.recurring_class`, the rule ``classify`` uses). KPIs and
decisions are few: they are kept as :class:`Plain` copies of their models and go
through :func:`~nq57.analysis.kpis.assess` and :func:`~nq57.analysis.filings.filings`
themselves. Nothing here imports pydantic or a
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
from nq57.analysis.tasks import RecurringClass, recurring_class


class Plain(SimpleNamespace):
    """A model's fields as attributes (nested models too), read without pydantic."""


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
    rollup_work: list[int]  # children before parents; only tasks not simply 0, "none"
    changeable: list[int]  # done or cancelled on a recorded date: not so before it
    progress_days: list[tuple[int, ...]]  # updates stating progress, by date (stable)
    progress_values: list[tuple[int, ...]]
    update_days: list[tuple[int, ...]]  # every update, sorted
    scope: list[int]
    decision_of: list[str]  # of each task in scope
    agency_of: list[str]
    is_parent: list[bool]
    due: list[int | None]  # fixed tasks: the due date; recurring: unused
    # scope position -> (recurrence, stated start, its plan's issue date, horizon year)
    recurring: dict[int, tuple[str, int | None, int | None, int | None]]
    decisions: dict[str, Any]  # Plain copies, read as Decision
    plans: list[str]  # the decisions whose filings are listed
    kpis: list[Any]  # Plain copies, read as Kpi
    invalid_files: list[str]
    progress_recorded: bool = True  # some task in scope records progress (records_progress)
    extra: dict[str, Any] = field(default_factory=dict)  # for the renderer (record texts)


@dataclass
class StatusDay:
    """:class:`~nq57.analysis.status.StatusReport` of one date, in columns over the scope.
    ``states`` holds what the recurring tasks were found (by scope position)."""

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
    states: dict[int, RecurringClass]
    counts: dict[str, int]
    kpis: list[KpiState]
    stale_kpis: list[KpiState]
    filings: list[Filing]
    by_agency: list[GroupCounts]
    by_plan: list[GroupCounts]


def _statuses(index: StatusIndex, day: int) -> tuple[list[str], list[int | None]]:
    """Every task's status and completion as it stood on ``day`` (as_of_task): only
    a completion or cancellation recorded later changes anything."""
    status, completed = index.task_status.copy(), index.task_completed.copy()
    for i in index.changeable:
        if status[i] == "done":
            if completed[i] > day:  # type: ignore[operator]  # changeable: dated
                status[i], completed[i] = "in_progress", None
        elif index.task_cancel_from[i] > day:  # type: ignore[operator]
            status[i] = "in_progress"
    return status, completed


def _progress(
    index: StatusIndex, status: list[str], day: int
) -> tuple[list[int | None], list[str]]:
    """Every task's progress and its source on ``day`` (nq57.analysis.progress); a task
    with no children, no stated progress, neither done nor cancelled has 0, "none"."""
    count = len(index.task_ids)
    value: list[int | None] = [0] * count
    source = ["none"] * count
    children, progress_days = index.children, index.progress_days
    for i in index.rollup_work:
        state = status[i]
        if state == "cancelled":
            value[i] = None
            continue
        if state == "done":
            value[i], source[i] = 100, "done"
            continue
        total = weights = 0.0
        for child, weight in children[i]:
            figure = value[child]
            if figure is not None:
                total += weight * figure
                weights += weight
        if weights > 0:
            value[i], source[i] = round_half_up(total / weights), "children"
            continue
        last = bisect_right(progress_days[i], day)
        if last:
            value[i], source[i] = index.progress_values[i][last - 1], "reported"
    return value, source


def index_day(index: StatusIndex, as_of: dt.date, within: int = 30) -> StatusDay:
    """The status of ``as_of``: what ``build_status`` computes, in columns."""
    day = as_of.toordinal()
    status_all, completed_all = _statuses(index, day)
    value, source = _progress(index, status_all, day)
    periods = decision_periods(index.decisions.values(), as_of)
    default = reporting_period(None, as_of)
    in_period = {  # decision -> its current period as days; None: not yet issued
        name: None if p is None else (p[0].toordinal(), p[1].toordinal())
        for name, p in periods.items()
    }
    no_period = (default[0].toordinal(), default[1].toordinal())
    scope, due, recurring = index.scope, index.due, index.recurring
    is_parent, decision_of, update_days = index.is_parent, index.decision_of, index.update_days
    size = len(scope)
    klass = [""] * size
    days: list[int | None] = [None] * size
    stale: list[int] = []
    states: dict[int, RecurringClass] = {}
    status = [status_all[i] for i in scope]
    completed = [completed_all[i] for i in scope]
    for n, i in enumerate(scope):
        st = status[n]
        if n in recurring:
            recurrence, start, issued, horizon = recurring[n]
            reported = list(map(dt.date.fromordinal, update_days[i]))
            found = states[n] = recurring_class(
                st, reported, recurrence, _date(start), _date(issued), horizon, as_of, within
            )
            klass[n] = found.klass
            days[n] = found.days_overdue if found.klass == "overdue" else found.days_left
        elif st == "cancelled":
            klass[n] = "cancelled"
        elif st == "done":
            ends, finished = due[n], completed[n]
            late = ends is not None and finished is not None and finished > ends
            klass[n] = "done_late" if late else "done_on_time"
        elif (ends := due[n]) is None:
            klass[n] = "no_deadline"
        else:
            left = ends - day
            if left < 0:
                klass[n], days[n] = "overdue", -left
            else:
                klass[n], days[n] = ("due_soon" if left <= within else "on_track"), left
        if is_parent[n] or st == "done" or st == "cancelled":
            continue
        period = in_period.get(decision_of[n], no_period)
        if period is not None:
            dated = update_days[i]
            first = bisect_left(dated, period[0])
            if first == len(dated) or dated[first] > period[1]:
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


def _date(day: int | None) -> dt.date | None:
    return None if day is None else dt.date.fromordinal(day)


def _due_of(index: StatusIndex, states: dict[int, RecurringClass], n: int) -> int:
    state = states.get(n)
    due = index.due[n] if state is None else (None if state.due is None else state.due.toordinal())
    return _MAX_DAY if due is None else due
