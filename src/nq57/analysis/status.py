"""The status overview: every number `nq57 status` shows, computed in one place."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from nq57.analysis.filings import Filing, filings
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.scope import lead_group, plan_family, select_kpis, select_tasks
from nq57.analysis.tasks import CLASSES, TaskState, classify_all
from nq57.dataset import DataSet


@dataclass
class GroupCounts:
    name: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(s.klass for s in self.states)
        counts = {
            "total": len(self.states),
            "done": c["done_on_time"] + c["done_late"],
            "overdue": c["overdue"],
            "upcoming": len(self.upcoming),
        }
        counts.update({k: c[k] for k in CLASSES})
        return counts

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


def build_status(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    decision: str | None = None,
    lead: str | None = None,
) -> StatusReport:
    tasks = select_tasks(data, decision, lead)
    issued = {d.id: d.issued for d in data.decisions.values()}
    states = classify_all(tasks, as_of, within, issued)
    kpis = [assess(k, as_of) for k in select_kpis(data, decision, lead)]
    plans = sorted(plan_family(data, decision)) if decision else sorted(data.decisions)
    decisions = [data.decisions[p] for p in plans if p in data.decisions]
    by_agency: dict[str, GroupCounts] = {}
    by_plan: dict[str, GroupCounts] = {}
    groups: dict[tuple, str] = {}  # (first lead, issuer) -> agency; few distinct pairs
    for s in states:
        task = s.task
        where = (task.lead[0] if task.lead else None, data.issuer_of(task.decision))
        agency = groups.get(where)
        if agency is None:
            agency = groups[where] = lead_group(data, task)
        for table, name in ((by_agency, agency), (by_plan, task.decision)):
            group = table.get(name)
            if group is None:
                group = table[name] = GroupCounts(name)
            group.counts[s.klass] += 1
    return StatusReport(
        as_of=as_of,
        within=within,
        states=states,
        kpis=kpis,
        filings=filings(decisions, as_of),
        invalid_files=data.invalid_files,
        by_agency=sorted(
            by_agency.values(), key=lambda g: (-g.counts["overdue"], -g.total, g.name)
        ),
        by_plan=sorted(by_plan.values(), key=lambda g: g.name),
    )
