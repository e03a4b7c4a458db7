"""What a unit's monthly form holds (``nq57 form``) and what ``nq57 ingest`` compares with.

A form is for one or more lead agencies as of a date: the tasks they lead that are
neither done nor cancelled as of that date (sorted by due date), the KPIs they own, and
the filing deadline of each plan involved. Pure functions of (data, date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from nq57.analysis.filings import due_dates
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.progress import latest_update, reported_progress
from nq57.analysis.scope import is_collective, led_by, plan_family, reaches, select_kpis
from nq57.analysis.tasks import TaskState, as_of_task, classify_in
from nq57.model.dataset import DataSet
from nq57.model.entities import Decision, Kpi, Reporting, Task, Update


@dataclass(frozen=True)
class FormTask:
    state: TaskState
    plan: str  # the decision's printed number
    latest: Update | None  # the latest update on or before the date
    reported: int | None  # the latest progress reported on or before the date
    rev: str  # fingerprint of the task as the form saw it


@dataclass(frozen=True)
class FormKpi:
    state: KpiState
    rev: str


@dataclass(frozen=True)
class FilingDeadline:
    decision: Decision
    obligation: Reporting
    due: dt.date


@dataclass(frozen=True)
class Form:
    leads: tuple[str, ...]
    as_of: dt.date
    decision: str | None
    tasks: list[FormTask]
    kpis: list[FormKpi]
    deadlines: list[FilingDeadline]


def fingerprint(entity: Task | Kpi) -> str:
    """A short digest of a task's or KPI's content: ingest compares it with the one the
    form carries to tell whether the file changed after the form was made."""
    # Fields left at their default are left out: a new optional field keeps old forms valid.
    fields = entity.model_dump(mode="json", exclude_defaults=True)
    dump = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()[:12]


def _leads_exactly(data: DataSet, task: Task, agency: str) -> bool:
    issuer = data.issuer_of(task.decision)
    return any(data.agencies.current(name, issuer) == agency for name in task.lead)


def _open(data: DataSet, task: Task, as_of: dt.date) -> bool:
    decision = data.decisions.get(task.decision)
    if decision is not None and decision.issued > as_of:
        return False
    return as_of_task(task, as_of).status not in ("done", "cancelled")


def build_form(
    data: DataSet,
    as_of: dt.date,
    leads: list[str],
    decision: str | None = None,
    *,
    exact: bool = False,
) -> Form:
    """The form of ``leads`` (agency names as resolved by the --lead rules: aliases,
    successors, sub-units; with ``exact``, only tasks and KPIs whose lead or owner is
    one of them by its current name)."""
    family = plan_family(data, decision) if decision else None
    tasks: list[FormTask] = []
    for task in sorted(data.tasks.values(), key=lambda t: t.id):
        if family is not None and not reaches(data, task, family):
            continue
        if exact:
            mine = any(_leads_exactly(data, task, lead) for lead in leads)
        else:
            mine = any(led_by(data, task, lead) for lead in leads)
        if not mine or not _open(data, task, as_of):
            continue
        state = classify_in(task, as_of, 30, data.decisions)
        d = data.decisions.get(task.decision)
        plan = d.number if d else task.decision
        latest, reported = latest_update(task, as_of), reported_progress(task, as_of)
        tasks.append(FormTask(state, plan, latest, reported, fingerprint(task)))
    tasks.sort(key=lambda f: (f.state.due is None, f.state.due or as_of, f.state.task.id))
    kpis: list[FormKpi] = []
    for kpi in select_kpis(data, decision, None):
        issuer = data.issuer_of(kpi.decision)
        if not kpi.owner:
            continue
        if exact:
            mine = any(data.agencies.current(kpi.owner, issuer) == lead for lead in leads)
        else:
            mine = any(data.agencies.matches(lead, kpi.owner, issuer) for lead in leads)
        if mine:
            kpis.append(FormKpi(assess(kpi, as_of), fingerprint(kpi)))
    plans = sorted({f.state.task.decision for f in tasks} | {k.state.kpi.decision for k in kpis})
    deadlines = [
        found
        for p in plans
        if p in data.decisions
        for found in [next_filing(data.decisions[p], as_of)]
        if found is not None
    ]
    return Form(tuple(leads), as_of, decision, tasks, kpis, deadlines)


def next_filing(decision: Decision, as_of: dt.date) -> FilingDeadline | None:
    """The earliest filing due on or after ``as_of`` among the decision's obligations: the
    filing a form dated ``as_of`` feeds (whatever period that report covers, ``for_period``;
    the date ``status`` gives as the next filing)."""
    best: FilingDeadline | None = None
    for obligation in decision.reporting:
        days = [
            day
            for year in (as_of.year, as_of.year + 1)
            for day in due_dates(obligation, year)
            if day >= as_of and day >= decision.issued
        ]
        if days and (best is None or min(days) < best.due):
            best = FilingDeadline(decision, obligation, min(days))
    return best


def lead_agencies(data: DataSet, as_of: dt.date, decision: str | None = None) -> list[str]:
    """Every agency (current name) that leads an open task or owns a KPI in the scope,
    collective leads ("Các bộ, ngành, địa phương") included."""
    family = plan_family(data, decision) if decision else None
    names: set[str] = set()
    for task in data.tasks.values():
        if (family is None or reaches(data, task, family)) and _open(data, task, as_of):
            issuer = data.issuer_of(task.decision)
            names.update(data.agencies.current(name, issuer) for name in task.lead)
    for kpi in select_kpis(data, decision, None):
        if kpi.owner:
            names.add(data.agencies.current(kpi.owner, data.issuer_of(kpi.decision)))
    return sorted(names)


def changed_since(entity: Task | Kpi, as_of: dt.date, rev: str | None) -> bool:
    """Did the task or KPI change after a form of ``as_of`` that saw it as ``rev``?
    Without a fingerprint: is anything dated after ``as_of`` recorded?"""
    if rev:
        return fingerprint(entity) != rev
    if isinstance(entity, Task):
        dates = [u.date for u in entity.updates] + [entity.completed] * bool(entity.completed)
    else:
        dates = [m.date for m in entity.measurements]
    return any(day is not None and day > as_of for day in dates)


def form_recipients(
    data: DataSet, as_of: dt.date, decision: str | None = None
) -> tuple[list[str], list[str]]:
    """(the agencies a form goes to, the collective leads of the scope): a lead that names
    many bodies at once has no one to send its form to (a form for it is asked for by
    name, with ``--lead``)."""
    names = lead_agencies(data, as_of, decision)
    collective = [name for name in names if is_collective(data, name)]
    return [name for name in names if name not in collective], collective
