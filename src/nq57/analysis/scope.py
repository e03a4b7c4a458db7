"""Which tasks and KPIs a question is about: --decision and --lead filters."""

from __future__ import annotations

from nq57.i18n import t
from nq57.model.dataset import DataSet
from nq57.model.entities import Kpi, Task


def plan_family(data: DataSet, decision_id: str) -> set[str]:
    """The decision and every plan that implements it, directly or through others."""
    family = {decision_id}
    changed = True
    while changed:
        changed = False
        for d in data.decisions.values():
            if d.id not in family and family.intersection(d.implements):
                family.add(d.id)
                changed = True
    return family


def reaches(data: DataSet, task: Task, family: set[str]) -> bool:
    """Does the task's ``parent`` chain reach a task of one of the plans?"""
    seen: set[str] = set()
    node: Task | None = task
    while node is not None and node.id not in seen:
        if node.decision in family:
            return True
        seen.add(node.id)
        node = data.tasks.get(node.parent) if node.parent else None
    return False


def led_by(data: DataSet, task: Task, agency: str) -> bool:
    """Is the task led by the agency (aliases, merged predecessors, sub-units)?"""
    issuer = data.issuer_of(task.decision)
    return any(data.agencies.matches(agency, name, issuer) for name in task.lead)


def select_tasks(data: DataSet, decision: str | None = None, lead: str | None = None) -> list[Task]:
    tasks = sorted(data.tasks.values(), key=lambda t: t.id)
    if decision:
        family = plan_family(data, decision)
        tasks = [t for t in tasks if reaches(data, t, family)]
    if lead:
        tasks = [t for t in tasks if led_by(data, t, lead)]
    return tasks


def select_kpis(data: DataSet, decision: str | None = None, lead: str | None = None) -> list[Kpi]:
    kpis = sorted(data.kpis.values(), key=lambda k: k.id)
    if decision:
        family = plan_family(data, decision)
        kpis = [
            k
            for k in kpis
            if k.decision in family or (k.parent and k.parent.split("/")[0] in family)
        ]
    if lead:
        kpis = [
            k
            for k in kpis
            if k.owner and data.agencies.matches(lead, k.owner, data.issuer_of(k.decision))
        ]
    return kpis


def lead_group(data: DataSet, task: Task) -> str:
    """The agency a task is counted under in per-agency tables (first lead, current name)."""
    if not task.lead:
        return t("label.no_lead")
    return data.agencies.current(task.lead[0], data.issuer_of(task.decision))
