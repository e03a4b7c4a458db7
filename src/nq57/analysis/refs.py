"""How a task is cited in reports and on the site: plan number, then where it is printed.

"71/NQ-CP, nhiệm vụ 89, điểm (37)", "3392/QĐ-BKHCN, mục I, nhiệm vụ 1",
"1754/QĐ-BTC, Phụ lục 02, mục I, nhiệm vụ 1.1". Never an internal key (``pl02-3.1-1``)
and never empty. The rule (docs/data-format.md, "Citing a task"):

- the plan's printed number (its id when there is no decision file);
- the appendix, when the plan's tasks sit in more than one appendix;
- the section (``mục``), when a number is printed twice in one appendix of the plan
  under the same parent row (numbering restarts in each section);
- the printed numbers of the task's parent rows in the same plan, top first
  ("nhiệm vụ 89"), then the task's own ("điểm (37)"; "nhiệm vụ 1" when it has no
  parent row);
- a row printed without a number: "nhiệm vụ không đánh số" and its line in the source.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from nq57.i18n import t
from nq57.model.dataset import DataSet
from nq57.model.entities import Task


def _number(ref: str) -> str:
    return ref.strip().rstrip(".").strip()


class References:
    """Task references for one data set (the per-plan facts are computed once)."""

    def __init__(self, data: DataSet):
        self.data = data
        appendices: dict[str, set[str | None]] = {}
        printed: Counter[tuple[Any, ...]] = Counter()
        for task in data.tasks.values():
            appendices.setdefault(task.decision, set()).add(task.appendix)
            printed[self._place(task)] += 1
        self._many_appendices = {d for d, found in appendices.items() if len(found) > 1}
        self._sections = {place[0] for place, count in printed.items() if count > 1}

    def _in_plan_parent(self, task: Task) -> Task | None:
        parent = self.data.tasks.get(task.parent) if task.parent else None
        return parent if parent is not None and parent.decision == task.decision else None

    def _place(self, task: Task) -> tuple[Any, ...]:
        parent = self._in_plan_parent(task)
        return (task.decision, task.appendix, parent.id if parent else None, _number(task.ref))

    def plan(self, decision_id: str) -> str:
        decision = self.data.decisions.get(decision_id)
        return decision.number if decision else decision_id

    def of(self, task: Task) -> str:
        """The reference of ``task`` in the current language."""
        return ", ".join([self.plan(task.decision), *self.within(task)])

    def within(self, task: Task) -> list[str]:
        """The reference's parts after the plan number ("mục I", "nhiệm vụ 1"): where
        the task is printed in its plan, for a table that names the plan in its own column."""
        chain = [task]
        seen = {task.id}
        while (parent := self._in_plan_parent(chain[-1])) is not None and parent.id not in seen:
            seen.add(parent.id)
            chain.append(parent)
        chain.reverse()
        top = chain[0]
        parts: list[str] = []
        if task.decision in self._many_appendices and top.appendix:
            parts.append(top.appendix)
        if task.decision in self._sections and top.section:
            section = _number(top.section)
            parts.append(
                t("filing.ref.body")
                if section == "body"
                else t("filing.ref.section", section=section)
            )
        for depth, row in enumerate(chain):
            number = _number(row.ref)
            if not number:
                where = row.source_line
                parts.append(
                    t("filing.ref.unnumbered_line", line=where)
                    if where
                    else t("filing.ref.unnumbered")
                )
                continue
            parts.append(t("filing.ref.task" if depth == 0 else "filing.ref.point", ref=number))
        return parts


def task_reference(data: DataSet, task: Task) -> str:
    """The one way a task is cited: "71/NQ-CP, nhiệm vụ 89, điểm (37)" (see the module).
    For many tasks, build one :class:`References` and call its ``of``."""
    return References(data).of(task)
