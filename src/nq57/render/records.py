"""Plain-dict views of computed states, shared by the JSON and CSV outputs."""

from __future__ import annotations

import datetime as dt

from nq57.analysis.filings import Filing
from nq57.analysis.groups import GroupCounts
from nq57.analysis.kpis import KpiState
from nq57.analysis.pace import Pace
from nq57.analysis.tasks import CLASSES, RecurringClass, TaskState


def task_record(s: TaskState) -> dict:
    """A task as the JSON contract describes it (status, list, report)."""
    t = s.task
    record = {
        "id": t.id,
        "decision": t.decision,
        "ref": t.ref,
        "title": t.title,
        "lead": list(t.lead),
        "deadline": None if t.deadline is None else str(t.deadline),
        "due": s.due.isoformat() if s.due else None,
        "recurrence": s.recurrence,
        "status": t.status,
        "class": s.klass,
    }
    if s.progress_source is not None:  # computed: docs/data-format.md §9.1
        record["progress"] = s.progress
        record["progress_source"] = s.progress_source
    return dated_fields(record, s, t.completed)


def dated_fields(record: dict, s: TaskState | RecurringClass, completed: dt.date | None) -> dict:
    """``record`` with the fields a task's record has only on some days, in the order of
    the JSON contract (also for the status index: nq57.render.status_day)."""
    if s.days_overdue is not None:
        record["days_overdue"] = s.days_overdue
    if s.days_left is not None:
        record["days_left"] = s.days_left
    if s.missed_period:
        record["missed_period"] = [d.isoformat() for d in s.missed_period]
    if s.periods_complete:
        record["periods_complete"] = True
    if completed:
        record["completed"] = completed.isoformat()
    return record


def kpi_record(k: KpiState) -> dict:
    latest = k.latest
    return {
        "id": k.kpi.id,
        "name": k.kpi.name,
        "target": k.kpi.target,
        "unit": k.kpi.unit,
        "year": k.kpi.year,
        "owner": k.kpi.owner,
        "latest": None
        if latest is None
        else {"date": latest.date.isoformat(), "value": latest.value, "label": latest.label},
        "meets": k.meets,
        "progress": None if k.progress is None else round(k.progress, 4),
        **pace_record(k.pace),
    }


def pace_record(p: Pace) -> dict:
    """The pace fields of a KPI record (docs/data-format.md, KPI pace)."""
    return {
        "pace": p.status,
        "expected": p.expected,
        "pace_target": p.target,
        "pace_target_year": p.target_year,
        "trend": p.trend,
        "trajectory": [{"date": d.isoformat(), "value": v} for d, v in p.trajectory],
    }


def filing_record(f: Filing) -> dict:
    return {
        "decision": f.decision.id,
        "frequency": f.obligation.frequency,
        "to": f.obligation.to,
        "next_due": f.next_due.isoformat() if f.next_due else None,
        "last_due": f.last_due.isoformat() if f.last_due else None,
        "late": f.last_late,
        "days_late": f.days_late,
    }


def group_record(g: GroupCounts) -> dict:
    """One agency or plan of the status tables: counts per class, stale tasks, mean progress."""
    return {
        "name": g.name,
        "total": g.total,
        "counts": {k: g.counts[k] for k in CLASSES},
        "stale": g.stale,
        "progress": g.progress,
    }
