"""The status overview: every number `nq57 status` shows, computed in one place."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

from nq57.analysis.filings import Filing, filings
from nq57.analysis.groups import GroupCounts, class_counts, group_counts
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.progress import Progress, attach_progress, mean_progress
from nq57.analysis.scope import (
    agencies_of,
    lead_group,
    plan_family,
    select_kpis,
    select_tasks,
)
from nq57.analysis.stale import stale_kpis, stale_tasks
from nq57.analysis.tasks import TaskState, classify_all, records_progress
from nq57.model.dataset import DataSet

_klass = attrgetter("klass")


@dataclass
class StatusReport:
    as_of: dt.date
    within: int
    states: list[TaskState]
    kpis: list[KpiState]
    filings: list[Filing]
    invalid_files: list[str]
    by_agency: list[GroupCounts]
    by_plan: list[GroupCounts]
    # Some task in scope records progress (an update, a completion, a status set):
    # without any, "overdue" only says that printed deadlines have passed.
    progress_recorded: bool = True
    stale: list[TaskState] = field(default_factory=list)  # by id
    stale_kpis: list[KpiState] = field(default_factory=list)  # by id

    @property
    def counts(self) -> dict[str, int]:
        return class_counts(list(map(_klass, self.states)), len(self.upcoming), len(self.stale))

    @property
    def overdue(self) -> list[TaskState]:
        rows = [s for s in self.states if s.klass == "overdue"]
        return sorted(rows, key=lambda s: (-(s.days_overdue or 0), s.task.id))

    @property
    def upcoming(self) -> list[TaskState]:
        rows = [s for s in self.states if s.klass == "due_soon"]
        return sorted(rows, key=lambda s: (s.due or dt.date.max, s.task.id))

    @property
    def kpis_off_track(self) -> list[KpiState]:
        return [k for k in self.kpis if k.off_track]


def agency_members(data: DataSet, report: StatusReport) -> dict[str, list[TaskState]]:
    """The tasks each agency answers for, by the rule `report --org` uses (agencies_of: its
    own, its merged predecessors' and its units'; a task of several leads is in each)."""
    members: dict[str, list[TaskState]] = {}
    for s in report.states:
        for name in agencies_of(data, s.task) or {lead_group(data, s.task)}:
            members.setdefault(name, []).append(s)
    return members


def member_counts(name: str, mine: list[TaskState], stale: set[str]) -> GroupCounts:
    """An agency's row over the tasks :func:`agency_members` gives it."""
    return GroupCounts(
        name,
        Counter(s.klass for s in mine),
        sum(s.task.id in stale for s in mine),
        mean_progress([Progress(s.progress, "none") for s in mine]),
    )


def build_status(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    decision: str | None = None,
    lead: str | None = None,
) -> StatusReport:
    tasks = select_tasks(data, decision, lead)
    states = classify_all(tasks, as_of, within, data.decisions)
    kpis = [assess(k, as_of) for k in select_kpis(data, decision, lead)]
    plans = sorted(plan_family(data, decision)) if decision else sorted(data.decisions)
    decisions = [data.decisions[p] for p in plans if p in data.decisions]
    issuers = {d.id: d.issuer for d in data.decisions.values()}
    groups: dict[
        tuple[str | None, str | None], str
    ] = {}  # (first lead, issuer) -> agency; few distinct pairs
    agencies = []
    for s in states:
        task = s.task
        where = (task.lead[0] if task.lead else None, issuers.get(task.decision))
        agency = groups.get(where)
        if agency is None:
            agency = groups[where] = lead_group(data, task)
        agencies.append(agency)
    attach_progress(states, data, as_of)
    stale = set(stale_tasks(data, as_of))
    ids = [s.task.id for s in states]
    is_stale = list(map(stale.__contains__, ids))
    klasses = [s.klass for s in states]
    progress = [s.progress for s in states]
    plans_of = [s.task.decision for s in states]
    by_agency, by_plan = group_counts(agencies, plans_of, klasses, progress, is_stale)
    late_kpis = set(stale_kpis(data, as_of))
    return StatusReport(
        as_of=as_of,
        within=within,
        states=states,
        kpis=kpis,
        filings=filings(decisions, as_of),
        invalid_files=data.invalid_files,
        by_agency=by_agency,
        by_plan=by_plan,
        progress_recorded=any(records_progress(t) for t in tasks),
        stale=list(compress(states, is_stale)),
        stale_kpis=[k for k in kpis if k.kpi.id in late_kpis],
    )
