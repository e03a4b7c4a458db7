"""Task classes as of a date: a pure function of the data and the date.

The classes follow what ministries report: hoàn thành đúng hạn / quá hạn
(done_on_time / done_late), đang thực hiện trong hạn / quá hạn (on_track,
due_soon / overdue), chưa đến hạn, plus tasks without a date and cancelled ones.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from nq57.model.deadlines import Deadline, ended_periods, parse_deadline, period_bounds
from nq57.model.entities import Task

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
    due: dt.date | None  # recurring: end of the current period
    klass: str
    recurrence: str | None
    days_overdue: int | None = None
    days_left: int | None = None
    missed_period: tuple[dt.date, dt.date] | None = None  # recurring: first unreported period
    progress: int | None = None  # set by nq57.analysis.progress.attach_progress
    progress_source: str | None = None

    @property
    def is_done(self) -> bool:
        return self.klass in ("done_on_time", "done_late")


def classify(
    task: Task, as_of: dt.date, within: int = 30, issued: dt.date | None = None
) -> TaskState:
    """Classify one task as of ``as_of``; ``issued`` is its decision's date.

    ``due_soon`` means due from ``as_of`` (included) through ``as_of + within``.
    A recurring task is overdue when a period that ended before ``as_of`` (and
    not before the decision was issued) has no update dated inside it.
    """
    task = as_of_task(task, as_of)
    deadline = parse_deadline(task.deadline)
    explicit = task.due  # an explicit date overrides the printed deadline
    recurring = explicit is None and deadline.kind == "recurring"
    recurrence = deadline.recurrence if explicit is None else None
    due = explicit if explicit is not None else deadline.due
    if recurring and recurrence:
        due = period_bounds(recurrence, as_of)[1]

    if task.status == "cancelled":
        return TaskState(task, deadline, due, "cancelled", recurrence)
    if task.status == "done":
        late = (
            due is not None
            and task.completed is not None
            and task.completed > due
            and not recurring
        )
        return TaskState(task, deadline, due, "done_late" if late else "done_on_time", recurrence)
    if recurring and recurrence:
        return _classify_recurring(task, deadline, recurrence, as_of, within, issued)
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


def _classify_recurring(task, deadline, recurrence, as_of, within, issued) -> TaskState:
    due = period_bounds(recurrence, as_of)[1]
    known = [d for d in (deadline.start, issued) if d is not None]
    # Without a start, count from the decision's date; if that is unknown too,
    # only the period that ended last is checked.
    first_day = max(known) if known else period_bounds(recurrence, as_of)[0] - dt.timedelta(1)
    reported = sorted(u.date for u in task.updates)
    for start, end in ended_periods(recurrence, first_day, as_of):
        first_after = bisect_left(reported, start)  # the first update on or after start
        if first_after == len(reported) or reported[first_after] > end:
            missed = (start, end)
            days = (as_of - end).days
            return TaskState(
                task, deadline, due, "overdue", recurrence, days_overdue=days, missed_period=missed
            )
    days = (due - as_of).days
    klass = "due_soon" if days <= within else "on_track"
    return TaskState(task, deadline, due, klass, recurrence, days_left=days)


def classify_all(
    tasks: list[Task], as_of: dt.date, within: int, issued: dict[str, dt.date]
) -> list[TaskState]:
    return [classify(t, as_of, within, issued.get(t.decision)) for t in tasks]
