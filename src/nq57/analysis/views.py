"""The tables `nq57 query` and `nq57 export --format parquet|json` offer: plain columns
computed from a loaded data set as of a date (pure; nothing is validated again).

Each view is a name, its columns (name and SQL type) and its values column by column.
The columns are a contract documented in docs/query.md: :data:`SCHEMA_VERSION` changes
whenever a column is added, removed, renamed or changes meaning or type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nq57.analysis.filings import filings
from nq57.analysis.kpis import assess
from nq57.analysis.progress import NOTHING, task_progress
from nq57.analysis.scope import select_kpis, select_tasks
from nq57.analysis.stale import stale_kpis, stale_tasks
from nq57.analysis.tasks import classify_all
from nq57.model.dataset import DataSet
from nq57.model.entities import Task

SCHEMA_VERSION = 1

# view -> ((column, SQL type), ...). The order is the order of the columns.
SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "tasks": (
        ("id", "VARCHAR"),
        ("decision", "VARCHAR"),
        ("plan_number", "VARCHAR"),
        ("ref", "VARCHAR"),
        ("section", "VARCHAR"),
        ("title", "VARCHAR"),
        ("lead", "VARCHAR[]"),
        ("lead_agency", "VARCHAR"),
        ("support", "VARCHAR[]"),
        ("output", "VARCHAR"),
        ("approver", "VARCHAR"),
        ("deadline", "VARCHAR"),
        ("due", "DATE"),
        ("recurrence", "VARCHAR"),
        ("status", "VARCHAR"),
        ("class", "VARCHAR"),
        ("days_overdue", "INTEGER"),
        ("days_left", "INTEGER"),
        ("missed_from", "DATE"),
        ("missed_to", "DATE"),
        ("completed", "DATE"),
        ("progress", "INTEGER"),
        ("progress_source", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("weight", "DOUBLE"),
        ("kpis", "VARCHAR[]"),
        ("stale", "BOOLEAN"),
        ("last_update", "DATE"),
        ("path", "VARCHAR"),
    ),
    "updates": (
        ("task_id", "VARCHAR"),
        ("decision", "VARCHAR"),
        ("date", "DATE"),
        ("status", "VARCHAR"),
        ("progress", "INTEGER"),
        ("note", "VARCHAR"),
    ),
    "kpis": (
        ("id", "VARCHAR"),
        ("decision", "VARCHAR"),
        ("plan_number", "VARCHAR"),
        ("ref", "VARCHAR"),
        ("name", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("target", "VARCHAR"),
        ("year", "INTEGER"),
        ("owner", "VARCHAR"),
        ("owner_agency", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("target_op", "VARCHAR"),
        ("target_value", "DOUBLE"),
        ("target_high", "DOUBLE"),
        ("target_label", "VARCHAR"),
        ("target_parts", "INTEGER"),
        ("target_qualitative", "BOOLEAN"),
        ("baseline", "DOUBLE"),
        ("baseline_date", "DATE"),
        ("latest_value", "DOUBLE"),
        ("latest_date", "DATE"),
        ("latest_label", "VARCHAR"),
        ("meets", "BOOLEAN"),
        ("assessment", "VARCHAR"),
        ("attainment", "DOUBLE"),
        ("pace", "VARCHAR"),
        ("pace_expected", "DOUBLE"),
        ("pace_target", "DOUBLE"),
        ("pace_target_year", "INTEGER"),
        ("pace_trend", "VARCHAR"),
        ("off_track", "BOOLEAN"),
        ("stale", "BOOLEAN"),
        ("path", "VARCHAR"),
    ),
    "measurements": (
        ("kpi_id", "VARCHAR"),
        ("decision", "VARCHAR"),
        ("date", "DATE"),
        ("value", "DOUBLE"),
        ("label", "VARCHAR"),
        ("source", "VARCHAR"),
        ("note", "VARCHAR"),
    ),
    "decisions": (
        ("id", "VARCHAR"),
        ("number", "VARCHAR"),
        ("type", "VARCHAR"),
        ("issuer", "VARCHAR"),
        ("issued", "DATE"),
        ("title", "VARCHAR"),
        ("signer", "VARCHAR"),
        ("implements", "VARCHAR[]"),
        ("supersedes", "VARCHAR[]"),
        ("amends", "VARCHAR[]"),
        ("period_start", "INTEGER"),
        ("period_end", "INTEGER"),
        ("tasks", "INTEGER"),
        ("kpis", "INTEGER"),
        ("path", "VARCHAR"),
    ),
    "agencies": (
        ("name", "VARCHAR"),
        ("short", "VARCHAR"),
        ("aliases", "VARCHAR[]"),
        ("kind", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("successor", "VARCHAR"),
        ("current", "VARCHAR"),
    ),
    "filings": (
        ("decision", "VARCHAR"),
        ("plan_number", "VARCHAR"),
        ("frequency", "VARCHAR"),
        ("recipient", "VARCHAR"),
        ("via", "VARCHAR"),
        ("next_due", "DATE"),
        ("last_due", "DATE"),
        ("late", "BOOLEAN"),
        ("days_late", "INTEGER"),
        ("filed", "DATE[]"),
    ),
}
VIEWS = tuple(SCHEMA)
PathOf = Callable[[str, str], str | None]  # (kind, id) -> the file, relative to its folder


@dataclass(frozen=True)
class View:
    """One table: its name, columns (name, SQL type) and values column by column."""

    name: str
    columns: tuple[tuple[str, str], ...]
    values: list[list[Any]]  # one list per column, all of the same length

    @property
    def rows(self) -> int:
        return len(self.values[0]) if self.values else 0


def _view(name: str, rows: list[tuple[Any, ...]]) -> View:
    columns = SCHEMA[name]
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    assert len(values) == len(columns), name
    return View(name, columns, values)


class _Paths:
    """The file of each entity, relative to its data folder. The path decides the id
    (docs/data-format.md §1), so the listing of the entity folders
    (:func:`nq57.io.listing.entity_files`) finds it; the files the loader kept
    (unpickled from the snapshot on first use: slow at 30,000 tasks) only when it does not."""

    def __init__(self, data: DataSet, listing: dict[str, set[str]] | None):
        self.data = data
        self.names = listing or {}

    def __call__(self, kind: str, entity_id: str) -> str | None:
        folder = {"task": "tasks", "kpi": "kpis", "decision": "decisions"}[kind]
        parent, _, stem = f"{folder}/{entity_id}".rpartition("/")
        names = self.names.get(parent, ())
        for suffix in (".yaml", ".yml"):
            if stem + suffix in names:
                return f"{parent}/{stem}{suffix}"
        source = self.data.file_of(kind, entity_id)
        return source.rel if source else None


def build_views(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    listing: dict[str, set[str]] | None = None,
) -> dict[str, View]:
    """Every view as of ``as_of`` (updates and measurements dated after it are left out:
    the tables say what was known that day). ``listing``: the file names of the entity
    folders, to find each entity's file quickly."""
    numbers = {d.id: d.number for d in data.decisions.values()}
    paths = _Paths(data, listing)
    return {
        "tasks": _tasks(data, as_of, within, numbers, paths),
        "updates": _updates(data, as_of),
        "kpis": _kpis(data, as_of, numbers, paths),
        "measurements": _measurements(data, as_of),
        "decisions": _decisions(data, paths),
        "agencies": _agencies(data),
        "filings": _filings(data, as_of, numbers),
    }


def task_columns(
    data: DataSet, task: Task, numbers: dict[str, str], agencies: dict[tuple[Any, ...], Any]
) -> tuple[Any, ...]:
    """The first columns of the ``tasks`` table, which no date changes: id to deadline text
    (the stored tables of nq57.analysis.viewparts start the same). ``agencies`` caches
    (first lead, issuer) -> the lead's current name."""
    issuer = data.issuer_of(task.decision)
    where = (task.lead[0] if task.lead else None, issuer)
    if where not in agencies:
        agencies[where] = data.agencies.current(where[0], issuer) if where[0] else None
    return (
        task.id,
        task.decision,
        numbers.get(task.decision),
        task.ref,
        task.section,
        task.title,
        list(task.lead),
        agencies[where],
        list(task.support),
        task.output,
        task.approver,
        None if task.deadline is None else str(task.deadline),
    )


def _tasks(
    data: DataSet, as_of: dt.date, within: int, numbers: dict[str, str], paths: _Paths
) -> View:
    states = classify_all(select_tasks(data), as_of, within, data.decisions)
    progress = task_progress(data, as_of)
    stale = set(stale_tasks(data, as_of))
    agencies: dict[tuple[Any, ...], str | None] = {}  # (first lead, issuer) -> current name
    rows = []
    for s in states:
        task = s.task
        figure = progress.get(task.id, NOTHING)
        dates = [u.date for u in task.updates if u.date <= as_of]
        missed = s.missed_period or (None, None)
        rows.append(
            (
                *task_columns(data, task, numbers, agencies),
                s.due,
                s.recurrence,
                task.status,
                s.klass,
                s.days_overdue,
                s.days_left,
                missed[0],
                missed[1],
                task.completed,
                figure.value,
                figure.source,
                task.parent,
                None if task.weight is None else float(task.weight),
                list(task.kpis),
                task.id in stale,
                max(dates) if dates else None,
                paths("task", task.id),
            )
        )
    return _view("tasks", rows)


def _updates(data: DataSet, as_of: dt.date) -> View:
    rows = [
        (task.id, task.decision, u.date, u.status, u.progress, u.note)
        for task in sorted(data.tasks.values(), key=lambda t: t.id)
        for u in task.updates
        if u.date <= as_of
    ]
    return _view("updates", rows)


def _kpis(data: DataSet, as_of: dt.date, numbers: dict[str, str], paths: PathOf) -> View:
    stale = set(stale_kpis(data, as_of))
    rows = []
    for kpi in select_kpis(data):
        k = assess(kpi, as_of)
        first = k.target.comparisons[0] if k.target.comparisons else None
        latest = k.latest
        owner = (
            data.agencies.current(kpi.owner, data.issuer_of(kpi.decision)) if kpi.owner else None
        )
        rows.append(
            (
                kpi.id,
                kpi.decision,
                numbers.get(kpi.decision),
                kpi.ref,
                kpi.name,
                kpi.unit,
                kpi.target,
                kpi.year,
                kpi.owner,
                owner,
                kpi.parent,
                first.op if first else None,
                first.value if first else None,
                first.high if first else None,
                first.label if first else None,
                len(k.target.comparisons),
                k.target.qualitative,
                float(kpi.baseline.value) if kpi.baseline else None,
                kpi.baseline.date if kpi.baseline else None,
                float(latest.value) if latest else None,
                latest.date if latest else None,
                latest.label if latest else None,
                k.meets,
                k.klass,
                k.progress,
                k.pace.status,
                k.pace.expected,
                k.pace.target,
                k.pace.target_year,
                k.pace.trend,
                k.off_track,
                kpi.id in stale,
                paths("kpi", kpi.id),
            )
        )
    return _view("kpis", rows)


def _measurements(data: DataSet, as_of: dt.date) -> View:
    rows = [
        (kpi.id, kpi.decision, m.date, float(m.value), m.label, m.source, m.note)
        for kpi in sorted(data.kpis.values(), key=lambda k: k.id)
        for m in kpi.measurements
        if m.date <= as_of
    ]
    return _view("measurements", rows)


def _decisions(data: DataSet, paths: PathOf) -> View:
    tasks: dict[str, int] = {}
    for task in data.tasks.values():
        tasks[task.decision] = tasks.get(task.decision, 0) + 1
    kpis: dict[str, int] = {}
    for kpi in data.kpis.values():
        kpis[kpi.decision] = kpis.get(kpi.decision, 0) + 1
    rows = [
        (
            d.id,
            d.number,
            d.type,
            d.issuer,
            d.issued,
            d.title,
            d.signer,
            list(d.implements),
            list(d.supersedes),
            list(d.amends),
            d.period.start if d.period else None,
            d.period.end if d.period else None,
            tasks.get(d.id, 0),
            kpis.get(d.id, 0),
            paths("decision", d.id),
        )
        for d in sorted(data.decisions.values(), key=lambda d: d.id)
    ]
    return _view("decisions", rows)


def _agencies(data: DataSet) -> View:
    index = data.agencies
    rows = [
        (a.name, a.short, list(a.aliases), a.kind, a.parent, a.successor, index.current(a.name))
        for a in sorted(index.agencies.values(), key=lambda a: a.name)
    ]
    return _view("agencies", rows)


def _filings(data: DataSet, as_of: dt.date, numbers: dict[str, str]) -> View:
    decisions = [data.decisions[d] for d in sorted(data.decisions)]
    rows = [
        (
            f.decision.id,
            numbers.get(f.decision.id),
            f.obligation.frequency,
            f.obligation.to,
            f.obligation.via,
            f.next_due,
            f.last_due,
            f.last_late,
            f.days_late,
            sorted(day for day in f.obligation.filed if day <= as_of),
        )
        for f in filings(decisions, as_of)
    ]
    return _view("filings", rows)
