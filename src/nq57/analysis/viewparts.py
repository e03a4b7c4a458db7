"""The views of `nq57 query` split by what the as-of date changes (pure, like
:mod:`nq57.analysis.views`, whose results these give back exactly).

:func:`stored_views` holds what no date changes: every column of ``decisions`` and
``agencies``; the task, update and measurement rows with their plain columns and what a
date is applied to (the file's status and completion, the first cancellation, the due
date of a task that does not recur, the reporting period's kind, ...). :class:`Dated`
holds, for the few things worked out in Python on each date, the models they need: the
recurring tasks, the KPIs, the decisions (filings), the parent-child trees (progress).
`nq57.render.sqlstore` keeps both in the user cache folder and applies a date in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nq57.analysis.progress import CANCELLED, DONE, NOTHING, Progress, rollup
from nq57.analysis.scope import select_tasks
from nq57.analysis.stale import reporting_frequency
from nq57.analysis.tasks import classify_in
from nq57.analysis.views import (
    SCHEMA,
    View,
    _agencies,
    _decisions,
    _filings,
    _kpis,
    _Paths,
    task_columns,
)
from nq57.model.agencies import AgencyIndex
from nq57.model.dataset import DataSet
from nq57.model.deadlines import RECURRENCES, parse_deadline
from nq57.model.entities import Decision, Kpi, Task

_TASK_PLAIN = {name: kind for name, kind in SCHEMA["tasks"]}
# The stored task columns: the view's columns that no date changes, then what a date is
# applied to. One row per task, in the view's order (``nr``).
STORED_TASKS: tuple[tuple[str, str], ...] = (
    ("nr", "INTEGER"),
    *(
        (name, _TASK_PLAIN[name])
        for name in (
            "id", "decision", "plan_number", "ref", "section", "title", "lead",
            "lead_agency", "support", "output", "approver", "deadline", "recurrence",
        )
    ),
    ("status0", "VARCHAR"),  # the file's status and completion date
    ("completed0", "DATE"),
    ("first_cancel", "DATE"),  # the earliest update with status cancelled
    ("due0", "DATE"),  # the due date of a task that does not recur
    ("recurring", "BOOLEAN"),  # classified in Python (Dated.recurring)
    *((name, _TASK_PLAIN[name]) for name in ("parent", "weight", "kpis")),
    ("is_parent", "BOOLEAN"),  # some task names it as parent
    ("in_tree", "BOOLEAN"),  # a parent or a child of one: progress rolled up in Python
    ("issued", "DATE"),  # its decision's, NULL when the decision is not in the data
    ("quarterly", "BOOLEAN"),  # its decision reports quarterly (stale.reporting_frequency)
    ("path", "VARCHAR"),
)  # fmt: skip
# Every update and measurement (a date keeps those on or before it), in the view's
# order (``seq``); ``sort_key`` orders a task's updates by (date, place in the file).
STORED_UPDATES: tuple[tuple[str, str], ...] = (
    ("seq", "INTEGER"),
    ("nr", "INTEGER"),
    ("sort_key", "INTEGER"),
    *SCHEMA["updates"],
)
STORED_MEASUREMENTS: tuple[tuple[str, str], ...] = (("seq", "INTEGER"), *SCHEMA["measurements"])


@dataclass
class Dated:
    """What the Python side needs on each date, pickled beside the stored tables."""

    recurring: list[tuple[int, Task]]  # (row, task) of the tasks classified in Python
    decisions: dict[str, Decision]
    kpis: dict[str, Kpi]
    agencies: AgencyIndex
    kpi_paths: dict[str, str | None]
    children: dict[str, list[str]]  # DataSet.children()
    weights: dict[str, float | None]  # of the tasks in a tree
    tree: list[tuple[str, int]]  # (id, row) of the tasks in a tree, by id
    invalid: int  # files left out (errors)
    numbers: dict[str, str] = field(default_factory=dict)


def _view(name: str, columns: tuple[tuple[str, str], ...], rows: list[tuple[Any, ...]]) -> View:
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    assert len(values) == len(columns), name
    return View(name, columns, values)


def recurs(task: Task) -> bool:
    """Is the task classified as a recurring one (tasks.classify)? Date-independent."""
    deadline = parse_deadline(task.deadline)
    return task.due is None and deadline.kind == "recurring" and deadline.recurrence in RECURRENCES


def stored_views(
    data: DataSet, listing: dict[str, set[str]] | None = None
) -> tuple[dict[str, View], Dated]:
    """The date-independent tables (``tasks``, ``updates``, ``measurements`` in the
    stored shape above; ``decisions`` and ``agencies`` as the views) and the Python part."""
    numbers = {d.id: d.number for d in data.decisions.values()}
    paths = _Paths(data, listing)
    children = data.children()
    tasks = select_tasks(data)
    in_tree = set(children)
    for kids in children.values():
        in_tree.update(kids)
    agencies: dict[tuple[Any, ...], str | None] = {}
    task_rows: list[tuple[Any, ...]] = []
    update_rows: list[tuple[Any, ...]] = []
    recurring: list[tuple[int, Task]] = []
    tree: list[tuple[str, int]] = []
    for row, task in enumerate(tasks):
        deadline = parse_deadline(task.deadline)
        explicit = task.due
        loops = recurs(task)
        if loops:
            recurring.append((row, task))
        if task.id in in_tree:
            tree.append((task.id, row))
        cancels = [u.date for u in task.updates if u.status == "cancelled"]
        decision = data.decisions.get(task.decision)
        task_rows.append(
            (
                row,
                *task_columns(data, task, numbers, agencies),
                deadline.recurrence if explicit is None else None,
                task.status,
                task.completed,
                min(cancels) if cancels else None,
                None if loops else (explicit if explicit is not None else deadline.due),
                loops,
                task.parent,
                None if task.weight is None else float(task.weight),
                list(task.kpis),
                task.id in children,
                task.id in in_tree,
                decision.issued if decision else None,
                reporting_frequency(decision) == "quarterly" if decision else False,
                paths("task", task.id),
            )
        )
        order = sorted(range(len(task.updates)), key=lambda i: (task.updates[i].date, i))
        first = len(update_rows)
        keys = {i: first + rank for rank, i in enumerate(order)}
        update_rows += [
            (len(update_rows) + i, row, keys[i], task.id, task.decision, u.date, u.status,
             u.progress, u.note)
            for i, u in enumerate(task.updates)
        ]  # fmt: skip
    measurements = [
        (kpi.id, kpi.decision, m.date, float(m.value), m.label, m.source, m.note)
        for kpi in sorted(data.kpis.values(), key=lambda k: k.id)
        for m in kpi.measurements
    ]
    tables = {
        "tasks": _view("tasks", STORED_TASKS, task_rows),
        "updates": _view("updates", STORED_UPDATES, update_rows),
        "measurements": _view(
            "measurements", STORED_MEASUREMENTS, [(i, *m) for i, m in enumerate(measurements)]
        ),
        "decisions": _decisions(data, paths),
        "agencies": _agencies(data),
    }
    dated = Dated(
        recurring=recurring,
        decisions=data.decisions,
        kpis=data.kpis,
        agencies=data.agencies,
        kpi_paths={k: paths("kpi", k) for k in data.kpis},
        children=children,
        weights={t.id: t.weight for t in tasks if t.id in in_tree},
        tree=tree,
        invalid=len(data.invalid_files),
        numbers=numbers,
    )
    return tables, dated


def recurring_rows(dated: Dated, as_of: dt.date, within: int) -> list[tuple[Any, ...]]:
    """(row, due, class, days_overdue, days_left, missed_from, missed_to) of each
    recurring task as of ``as_of`` (tasks.classify, as the ``tasks`` view has them)."""
    rows = []
    for row, task in dated.recurring:
        s = classify_in(task, as_of, within, dated.decisions)
        missed = s.missed_period or (None, None)
        rows.append((row, s.due, s.klass, s.days_overdue, s.days_left, missed[0], missed[1]))
    return rows


def tree_progress(
    dated: Dated, status: dict[int, str], reported: dict[int, int | None]
) -> list[tuple[int, int | None, str]]:
    """(row, progress, source) of every task in a tree, rolled up as
    progress.task_progress does; ``status`` and ``reported`` by row: the task's status as
    of the date and its latest reported figure on or before it."""
    rows = dict(dated.tree)

    def own(task_id: str) -> Progress | None:
        state = status[rows[task_id]]
        return CANCELLED if state == "cancelled" else DONE if state == "done" else None

    def leaf(task_id: str) -> Progress:
        value = reported[rows[task_id]]
        return NOTHING if value is None else Progress(value, "reported")

    found = rollup(rows, dated.children, dated.weights, own, leaf)
    return [(rows[task_id], p.value, p.source) for task_id, p in found.items()]


def dated_views(dated: Dated, as_of: dt.date) -> dict[str, View]:
    """The ``kpis`` and ``filings`` views as of ``as_of``, from the stored models."""
    data = DataSet(roots=[], decisions=dated.decisions, kpis=dated.kpis, agencies=dated.agencies)

    def paths(kind: str, kpi_id: str) -> str | None:
        return dated.kpi_paths.get(kpi_id)

    return {
        "kpis": _kpis(data, as_of, dated.numbers, paths),
        "filings": _filings(data, as_of, dated.numbers),
    }
