"""Data for `list` and `show`: filtered states and one entity's full picture."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.progress import attach_progress
from nq57.analysis.scope import select_kpis, select_tasks
from nq57.analysis.tasks import CLASSES, TaskState, classify_all, classify_in
from nq57.model.dataset import DataSet
from nq57.model.entities import Decision, Kpi, Task

__all__ = ["CLASSES", "task_states", "kpi_states", "detail", "close_ids", "Detail"]


def task_states(
    data: DataSet,
    as_of: dt.date,
    within: int,
    decision: str | None,
    lead: str | None,
    klass: str | None,
) -> list[TaskState]:
    states = classify_all(select_tasks(data, decision, lead), as_of, within, data.decisions)
    states = [s for s in states if klass is None or s.klass == klass]
    attach_progress(states, data, as_of)
    return states


def kpi_states(
    data: DataSet, as_of: dt.date, decision: str | None, lead: str | None
) -> list[KpiState]:
    return [assess(k, as_of) for k in select_kpis(data, decision, lead)]


@dataclass
class Detail:
    kind: str  # "task" | "kpi" | "decision"
    entity: Task | Kpi | Decision
    path: str
    state: TaskState | KpiState | None = None
    chain: list[str] = field(default_factory=list)  # parent chain, nearest first
    children: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    related: dict[str, list[str]] = field(default_factory=dict)


def detail(data: DataSet, entity_id: str, as_of: dt.date, kind: str | None = None) -> Detail | None:
    """Everything about one entity. ``kind`` ("task", "kpi", "decision") picks one when a
    task and a KPI share an id (71/NQ-CP numbers both from 1); default: task, KPI, decision."""
    builders: dict[str, tuple[Mapping[str, object], Callable[[], Detail | None]]] = {
        "task": (data.tasks, lambda: _task_detail(data, entity_id, as_of)),
        "kpi": (data.kpis, lambda: _kpi_detail(data, entity_id, as_of)),
        "decision": (data.decisions, lambda: _decision_detail(data, entity_id)),
    }
    for name in [kind] if kind else list(builders):
        table, build = builders[name]
        if entity_id in table:
            return build()
    return None


def _task_detail(data: DataSet, entity_id: str, as_of: dt.date) -> Detail:
    task = data.tasks[entity_id]
    state = classify_in(task, as_of, 30, data.decisions)
    attach_progress([state], data, as_of)
    chain = _chain(data.tasks, task.parent)
    top = data.tasks[chain[-1]] if chain and chain[-1] in data.tasks else task
    chain += _decision_chain(data, top.decision)
    children = data.children().get(entity_id, [])
    return Detail(
        "task", task, _path(data, "task", entity_id), state, chain, children, list(task.kpis)
    )


def _kpi_detail(data: DataSet, entity_id: str, as_of: dt.date) -> Detail:
    kpi = data.kpis[entity_id]
    children = sorted(k.id for k in data.kpis.values() if k.parent == entity_id)
    tasks = sorted(t.id for t in data.tasks.values() if entity_id in t.kpis)
    return Detail(
        "kpi",
        kpi,
        _path(data, "kpi", entity_id),
        assess(kpi, as_of),
        _chain(data.kpis, kpi.parent),
        children,
        tasks,
    )


def _decision_detail(data: DataSet, entity_id: str) -> Detail:
    decision = data.decisions[entity_id]
    others = data.decisions.values()
    related = {
        "implemented_by": sorted(x.id for x in others if entity_id in x.implements),
        "superseded_by": sorted(x.id for x in others if entity_id in x.supersedes),
        "amended_by": sorted(x.id for x in others if entity_id in x.amends),
    }
    tasks = sorted(t.id for t in data.tasks.values() if t.decision == entity_id)
    kpis = sorted(k.id for k in data.kpis.values() if k.decision == entity_id)
    return Detail(
        "decision",
        decision,
        _path(data, "decision", entity_id),
        None,
        _decision_chain(data, entity_id),
        tasks,
        kpis,
        related,
    )


def _chain(table: Mapping[str, Task] | Mapping[str, Kpi], start: str | None) -> list[str]:
    chain: list[str] = []
    node = start
    while node and node not in chain:
        chain.append(node)
        node = table[node].parent if node in table else None
    return chain


def _decision_chain(data: DataSet, decision_id: str) -> list[str]:
    """The plans a decision implements, up to the resolution (first listed path)."""
    chain: list[str] = [decision_id]
    node = data.decisions.get(decision_id)
    while node and node.implements:
        nxt = node.implements[0]
        if nxt in chain:
            break
        chain.append(nxt)
        node = data.decisions.get(nxt)
    return chain


def _path(data: DataSet, kind: str, entity_id: str) -> str:
    source = data.file_of(kind, entity_id)
    return source.display if source else ""


def close_ids(data: DataSet, entity_id: str) -> list[str]:
    """Ids close to ``entity_id`` among tasks, KPIs and decisions (one list)."""
    ids = sorted({*data.tasks, *data.kpis, *data.decisions})  # a task and a KPI may share an id
    return close_ids_among(entity_id, ids, limit=3)


def close_ids_among(wanted: str, known: list[str], limit: int = 5) -> list[str]:
    """Ids close to ``wanted``: same id in other case, the same key in any decision
    ("16" -> "71-NQ-CP-2025/16"), then spelling neighbours (keys compared within the
    same decision, so the shared "DEC/" prefix does not make every id look close)."""
    found = [i for i in known if i.lower() == wanted.lower() and i != wanted]
    decision, _, key = wanted.rpartition("/")
    found += [i for i in known if i.rpartition("/")[2].lower() == key.lower()]
    same_decision = [i for i in known if "/" in i and i.rpartition("/")[0] == decision]
    if same_decision:
        keys = {i.rpartition("/")[2]: i for i in same_decision}
        found += [keys[k] for k in difflib.get_close_matches(key, list(keys), n=3, cutoff=0.6)]
    else:
        scored = sorted((difflib.SequenceMatcher(None, wanted, i).ratio(), i) for i in known)
        best = scored[-1][0] if scored else 0.0
        found += [i for ratio, i in reversed(scored) if ratio >= max(0.6, best - 0.05)][:3]
    unique = list(dict.fromkeys(i for i in found if i != wanted))
    return unique[:limit]
