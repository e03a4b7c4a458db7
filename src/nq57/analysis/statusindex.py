"""The date-independent index of the status (:mod:`nq57.analysis.statusday`), built
from a loaded data set."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from nq57.analysis.scope import lead_group, plan_family, select_kpis, select_tasks
from nq57.analysis.statusday import Plain, StatusIndex
from nq57.analysis.tasks import records_progress
from nq57.model.dataset import DataSet
from nq57.model.deadlines import RECURRENCES, parse_deadline
from nq57.model.entities import Task


def _weight(weight: int | float | None) -> int | float:
    return 1 if weight is None else weight


def build_index(
    data: DataSet, decision: str | None = None, lead: str | None = None
) -> StatusIndex | None:
    """The date-independent part of ``build_status(data, *, within, decision, lead)``;
    None when the parent links form a cycle (`validate` reports it; the status is then
    computed the ordinary way)."""
    tasks = sorted(data.tasks.values(), key=lambda t: t.id)
    position = {t.id: i for i, t in enumerate(tasks)}
    kids: list[list[tuple[int, int | float]]] = [[] for _ in tasks]
    for parent, members in data.children().items():
        if parent in position:
            kids[position[parent]] = [(position[c], _weight(data.tasks[c].weight)) for c in members]
    order = _rollup_order(kids)
    if order is None:
        return None
    issuers = {d.id: d.issuer for d in data.decisions.values()}
    parents = set(data.children())
    index = StatusIndex(
        task_ids=[t.id for t in tasks],
        task_status=[t.status for t in tasks],
        task_completed=[_day(t.completed) for t in tasks],
        task_cancel_from=[_cancel_from(t) for t in tasks],
        children=[tuple(k) for k in kids],
        rollup_work=[],
        changeable=[
            i
            for i, t in enumerate(tasks)
            if (t.status == "done" and t.completed is not None)
            or (t.status == "cancelled" and _cancel_from(t) is not None)
        ],
        progress_days=[],
        progress_values=[],
        update_days=[tuple(sorted(u.date.toordinal() for u in t.updates)) for t in tasks],
        scope=[],
        decision_of=[],
        agency_of=[],
        is_parent=[],
        due=[],
        recurring={},
        decisions={k: plain(d) for k, d in data.decisions.items()},
        plans=sorted(plan_family(data, decision)) if decision else sorted(data.decisions),
        kpis=[plain(k) for k in select_kpis(data, decision, lead)],
        invalid_files=data.invalid_files,
    )
    for t in tasks:
        stated = sorted(
            ((u.date.toordinal(), u.progress) for u in t.updates if u.progress is not None),
            key=lambda pair: pair[0],  # stable: of two on one day, the later listed last
        )
        index.progress_days.append(tuple(d for d, _ in stated))
        index.progress_values.append(tuple(v for _, v in stated))
    index.rollup_work = [
        i
        for i in order
        if index.children[i] or index.progress_days[i] or tasks[i].status in ("done", "cancelled")
    ]
    groups: dict[tuple[str | None, str | None], str] = {}
    recorded = False
    for n, task in enumerate(select_tasks(data, decision, lead)):
        index.scope.append(position[task.id])
        index.decision_of.append(task.decision)
        where = (task.lead[0] if task.lead else None, issuers.get(task.decision))
        if where not in groups:
            groups[where] = lead_group(data, task)
        index.agency_of.append(groups[where])
        index.is_parent.append(task.id in parents)
        recorded = recorded or records_progress(task)
        deadline = parse_deadline(task.deadline)
        if task.due is None and deadline.kind == "recurring" and deadline.recurrence in RECURRENCES:
            decision_of = data.decisions.get(task.decision)
            issued = horizon = None
            if decision_of is not None:  # classify_in: the plan's issue date and horizon
                issued = decision_of.issued
                horizon = decision_of.period.end if decision_of.period else None
            index.recurring[n] = (deadline.recurrence, _day(deadline.start), _day(issued), horizon)
            index.due.append(None)
        else:
            index.due.append(_day(task.due if task.due is not None else deadline.due))
    index.progress_recorded = recorded
    return index


def _day(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _cancel_from(task: Task) -> int | None:
    cancels = [u.date for u in task.updates if u.status == "cancelled"]
    return min(cancels).toordinal() if cancels else None


def _rollup_order(kids: list[list[tuple[int, Any]]]) -> list[int] | None:
    """Every position, each after all its children; None on a cycle."""
    order: list[int] = []
    state = [0] * len(kids)  # 0 new, 1 on the path, 2 done
    for root in range(len(kids)):
        if state[root]:
            continue
        stack = [(root, iter(kids[root]))]
        state[root] = 1
        while stack:
            node, pending = stack[-1]
            for child, _ in pending:
                if state[child] == 1:
                    return None
                if state[child] == 0:
                    state[child] = 1
                    stack.append((child, iter(kids[child])))
                    break
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
    return order


def plain(value: Any) -> Any:
    """``value`` with every model in it as a :class:`Plain` of its fields."""
    if isinstance(value, BaseModel):
        return Plain(**{name: plain(v) for name, v in value.__dict__.items()})
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
