"""Counts per class and per group (agency, plan) of the status, from plain columns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not

from nq57.analysis.progress import round_half_up
from nq57.analysis.tasks import CLASSES


@dataclass
class GroupCounts:
    name: str
    counts: Counter[str] = field(default_factory=Counter)
    stale: int = 0  # tasks with no update in the current reporting period
    progress: int | None = None  # mean progress, cancelled tasks left out

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def class_counts(klasses: list[str], upcoming: int, stale: int) -> dict[str, int]:
    """The "counts" of the status: totals, then one per class."""
    c = Counter(klasses)
    counts = {
        "total": len(klasses),
        "done": c["done_on_time"] + c["done_late"],
        "overdue": c["overdue"],
        "upcoming": upcoming,
        "stale": stale,
    }
    counts.update({k: c[k] for k in CLASSES})
    return counts


def group_counts(
    agencies: list[str],
    plans: list[str],
    klasses: list[str],
    progress: list[int | None],
    stale: list[bool],
) -> tuple[list[GroupCounts], list[GroupCounts]]:
    """The agency rows (most overdue first) and the plan rows (by id) of the status."""
    by_agency = _groups(agencies, klasses, progress, stale)
    by_plan = _groups(plans, klasses, progress, stale)
    return (
        sorted(by_agency.values(), key=lambda g: (-g.counts["overdue"], -g.total, g.name)),
        sorted(by_plan.values(), key=lambda g: g.name),
    )


def _groups(
    names: list[str], klasses: list[str], progress: list[int | None], stale: list[bool]
) -> dict[str, GroupCounts]:
    """Counts, stale tasks and mean progress per group, in order of first appearance
    (the lists run over the same tasks; counted in C where it can be)."""
    groups: dict[str, GroupCounts] = {}
    for (name, klass), count in Counter(zip(names, klasses, strict=True)).items():
        groups.setdefault(name, GroupCounts(name)).counts[klass] = count
    for name, count in Counter(compress(names, stale)).items():
        groups[name].stale = count
    figures: dict[str, list[int]] = {name: [] for name in groups}  # known progress
    known = list(map(is_not, progress, repeat(None)))  # cancelled: left out, as mean_progress
    for name, value in zip(compress(names, known), compress(progress, known), strict=True):
        figures[name].append(value)  # type: ignore[arg-type]  # compress keeps the ints
    for name, group in groups.items():
        values = figures[name]
        group.progress = round_half_up(sum(values) / len(values)) if values else None
    return groups
