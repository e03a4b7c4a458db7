"""Task classes as of a date: a pure function of the data and the date.

The classes follow what ministries report: hoàn thành đúng hạn / quá hạn
(done_on_time / done_late), đang thực hiện trong hạn / quá hạn (on_track,
due_soon / overdue), chưa đến hạn, plus tasks without a date and cancelled ones.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nq57.model.deadlines import (
    RECURRENCES,
    Deadline,
    ended_owed_periods,
    owed_period,
    owed_span,
    parse_deadline,
    period_bounds,
)

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.entities import Decision, Task

# Every class, in the order tables show them: what needs attention first.
CLASSES = (
    "overdue",
    "due_soon",
    "on_track",
    "no_deadline",
    "done_on_time",
    "done_late",
    "cancelled",
)


@dataclass(slots=True)  # not frozen: built 30,000 times per run, frozen init is slow
class TaskState:
    """A task with its computed due date and class as of a date."""

    task: Task
    deadline: Deadline
    # The one due date every output shows. Recurring: the end of the earliest owed period
    # with no update (overdue since then), else the end of the owed period holding as_of.
    due: dt.date | None
    klass: str
    recurrence: str | None
    days_overdue: int | None = None
    days_left: int | None = None
    missed_period: tuple[dt.date, dt.date] | None = None  # recurring: first unreported period
    owed: tuple[dt.date, dt.date | None] | None = None  # recurring: first and last day owed
    periods_complete: bool = False  # recurring: past the plan's horizon, every period reported
    progress: int | None = None  # set by nq57.analysis.progress.attach_progress
    progress_source: str | None = None

    @property
    def is_done(self) -> bool:
        return self.klass in ("done_on_time", "done_late")


def classify(
    task: Task,
    as_of: dt.date,
    within: int = 30,
    issued: dt.date | None = None,
    horizon: int | None = None,
) -> TaskState:
    """Classify one task as of ``as_of``; ``issued`` is its decision's date and
    ``horizon`` the last year its plan covers (``period.end``).

    ``due_soon`` means due from ``as_of`` (included) through ``as_of + within``.
    A recurring task is overdue when an owed period (docs/data-format.md §4) that
    ended before ``as_of`` has no update dated inside it.
    """
    task = as_of_task(task, as_of)
    deadline = parse_deadline(task.deadline)
    explicit = task.due  # an explicit date overrides the printed deadline
    recurrence = deadline.recurrence if explicit is None else None
    if explicit is None and deadline.kind == "recurring" and recurrence in RECURRENCES:
        return _classify_recurring(task, deadline, recurrence, as_of, within, issued, horizon)
    due = explicit if explicit is not None else deadline.due
    if task.status == "cancelled":
        return TaskState(task, deadline, due, "cancelled", recurrence)
    if task.status == "done":
        late = due is not None and task.completed is not None and task.completed > due
        return TaskState(task, deadline, due, "done_late" if late else "done_on_time", recurrence)
    if due is None:
        return TaskState(task, deadline, due, "no_deadline", recurrence)
    days = (due - as_of).days
    if days < 0:
        return TaskState(task, deadline, due, "overdue", recurrence, days_overdue=-days)
    klass = "due_soon" if days <= within else "on_track"
    return TaskState(task, deadline, due, klass, recurrence, days_left=days)


def as_of_task(task: Task, as_of: dt.date) -> Task:
    """The task as it stood on ``as_of``: a completion or cancellation recorded after that
    day is undone, so status, lists, the site and the report agree for a past date."""
    if task.status == "done" and task.completed and task.completed > as_of:
        return task.model_copy(update={"status": "in_progress", "completed": None})
    if task.status == "cancelled":
        cancels = [u.date for u in task.updates if u.status == "cancelled"]
        if cancels and min(cancels) > as_of:
            return task.model_copy(update={"status": "in_progress"})
    return task


def _classify_recurring(
    task: Task,
    deadline: Deadline,
    recurrence: str,
    as_of: dt.date,
    within: int,
    issued: dt.date | None,
    horizon: int | None,
) -> TaskState:
    reported = sorted(u.date for u in task.updates)
    found = recurring_class(
        task.status, reported, recurrence, deadline.start, issued, horizon, as_of, within
    )
    return TaskState(task, deadline, recurrence=recurrence, **found.__dict__)


@dataclass
class RecurringClass:
    """What :func:`recurring_class` finds: the TaskState fields of a recurring task."""

    due: dt.date | None
    klass: str
    owed: tuple[dt.date, dt.date | None]
    days_overdue: int | None = None
    days_left: int | None = None
    missed_period: tuple[dt.date, dt.date] | None = None
    periods_complete: bool = False


def recurring_class(
    status: str,
    reported: list[dt.date],
    recurrence: str,
    start: dt.date | None,
    issued: dt.date | None,
    horizon: int | None,
    as_of: dt.date,
    within: int,
) -> RecurringClass:
    """Class a recurring task from its status as of the date and its update dates
    (sorted); the rule is :func:`classify`'s, over plain values (the status index
    calls it without a model)."""
    owed = owed_span(recurrence, start, issued, horizon)
    if owed is None:  # nothing dates the first period: only the one that ended last counts
        current = period_bounds(recurrence, as_of) or (as_of, as_of)
        before = current[0] - dt.timedelta(days=1) if current[0] > dt.date.min else current[0]
        owed = ((period_bounds(recurrence, before) or current)[0], None)
    period = owed_period(recurrence, owed, as_of)
    found = RecurringClass(period[1] if period else None, "on_track", owed)
    if status in ("cancelled", "done"):
        found.klass = "cancelled" if status == "cancelled" else "done_on_time"
        return found
    for first, end in ended_owed_periods(recurrence, owed, as_of):
        first_after = bisect_left(reported, first)  # the first update on or after first
        if first_after == len(reported) or reported[first_after] > end:
            found.klass, found.due, found.missed_period = "overdue", end, (first, end)
            found.days_overdue = (as_of - end).days
            return found
    if found.due is not None and found.due < as_of:  # past the horizon, all reported
        found.periods_complete = True
        return found
    days = (found.due - as_of).days if found.due else 0
    found.klass = "due_soon" if days <= within else "on_track"
    found.days_left = days
    return found


def classify_all(
    tasks: list[Task], as_of: dt.date, within: int, decisions: Mapping[str, Decision]
) -> list[TaskState]:
    """Classify tasks, each with its own decision's issue date and horizon."""
    return [classify_in(t, as_of, within, decisions) for t in tasks]


def classify_in(
    task: Task, as_of: dt.date, within: int, decisions: Mapping[str, Decision]
) -> TaskState:
    """:func:`classify` with the issue date and horizon of the task's decision."""
    decision = decisions.get(task.decision)
    if decision is None:
        return classify(task, as_of, within)
    horizon = decision.period.end if decision.period else None
    return classify(task, as_of, within, decision.issued, horizon)


def records_progress(task: Task) -> bool:
    """Does the task record any progress (an update, a completion, a status set)? Without
    any in scope, "overdue" only says that printed deadlines have passed."""
    return bool(task.updates) or task.completed is not None or task.status != "not_started"
