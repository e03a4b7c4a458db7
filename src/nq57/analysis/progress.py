"""Task progress as of a date, rolled up from children (the formula is in docs/data-format.md).

- cancelled (as of the date): no progress;
- done (as of the date): 100;
- a task with non-cancelled children: the weighted mean of their progress (each child's
  ``weight``, default 1), rounded half up to a whole number;
- otherwise: the ``progress`` of the latest update on or before the date that has one, else 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from nq57.analysis.tasks import TaskState, as_of_task

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.dataset import DataSet
    from nq57.model.entities import Task, Update

Source = Literal["reported", "done", "children", "none"]


@dataclass(frozen=True)
class Progress:
    """A task's progress (0..100, None when cancelled) and where the figure comes from."""

    value: int | None
    source: Source


CANCELLED = Progress(None, "none")
DONE = Progress(100, "done")
NOTHING = Progress(0, "none")


def latest_update(task: Task, as_of: dt.date) -> Update | None:
    """The latest update dated on or before ``as_of`` (of two on one day, the later listed)."""
    best: Update | None = None
    for update in task.updates:
        if update.date <= as_of and (best is None or update.date >= best.date):
            best = update
    return best


def reported_progress(task: Task, as_of: dt.date) -> int | None:
    """The progress of the latest update on or before ``as_of`` that states one."""
    best: Update | None = None
    for update in task.updates:
        if (
            update.progress is not None
            and update.date <= as_of
            and (best is None or update.date >= best.date)
        ):
            best = update
    return best.progress if best is not None else None


def round_half_up(value: float) -> int:
    return int(value + 0.5)


def _own_progress(task: Task, as_of: dt.date) -> Progress | None:
    """Cancelled or done as of the date; None when neither."""
    state = as_of_task(task, as_of)
    if state.status == "cancelled":
        return CANCELLED
    if state.status == "done":
        return DONE
    return None


def task_progress(data: DataSet, as_of: dt.date) -> dict[str, Progress]:
    """Every task's progress as of ``as_of`` (see the module docstring for the formula)."""
    tasks = data.tasks
    children = data.children()
    return rollup(
        sorted(tasks),
        children,
        {child: tasks[child].weight for kids in children.values() for child in kids},
        lambda task_id: _own_progress(tasks[task_id], as_of),
        lambda task_id: _leaf(tasks[task_id], as_of),
    )


def _leaf(task: Task, as_of: dt.date) -> Progress:
    value = reported_progress(task, as_of)
    return NOTHING if value is None else Progress(value, "reported")


def rollup(
    order: Iterable[str],
    children: Mapping[str, Sequence[str]],
    weights: Mapping[str, float | None],
    own: Callable[[str], Progress | None],
    leaf: Callable[[str], Progress],
) -> dict[str, Progress]:
    """The progress of each task of ``order`` (and of the children it reaches): ``own``
    (cancelled or done as of the date, else None), else the weighted mean of its
    children's figures, else ``leaf`` (its reported figure). One rule for every caller:
    :func:`task_progress`, and `nq57 query`'s stored tables, which give it only the tasks
    of parent-child trees (nq57.render.sqlstore)."""
    result: dict[str, Progress] = {}
    visiting: set[str] = set()

    def compute(task_id: str) -> Progress:
        known = result.get(task_id)
        if known is not None:
            return known
        visiting.add(task_id)  # a parent cycle (an error `validate` reports) ends here
        progress = own(task_id) or _from_children(task_id) or leaf(task_id)
        visiting.discard(task_id)
        result[task_id] = progress
        return progress

    def _from_children(task_id: str) -> Progress | None:
        total = weights_sum = 0.0
        for child_id in children.get(task_id, ()):
            if child_id in visiting:
                continue
            child = compute(child_id)
            if child.value is None:
                continue
            weight = weights[child_id]
            weight = 1 if weight is None else weight
            total += weight * child.value
            weights_sum += weight
        if weights_sum <= 0:
            return None
        return Progress(round_half_up(total / weights_sum), "children")

    for task_id in order:
        compute(task_id)
    return result


def mean_progress(values: list[Progress]) -> int | None:
    """The plain mean of the figures that exist (cancelled left out), rounded half up."""
    known = [p.value for p in values if p.value is not None]
    return round_half_up(sum(known) / len(known)) if known else None


def attach_progress(states: list[TaskState], data: DataSet, as_of: dt.date) -> dict[str, Progress]:
    """Set ``progress`` and ``progress_source`` on each state; return every task's figure."""
    progress = task_progress(data, as_of)
    for state in states:
        figure = progress.get(state.task.id, NOTHING)
        state.progress, state.progress_source = figure.value, figure.source
    return progress
