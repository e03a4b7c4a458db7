"""How the numbers moved: the status counts at the end of each period, as recorded.

For each date the data is read as it was committed at that moment (the last
first-parent commit dated on or before it, see :mod:`nq57.io.gitstore`) and classified
as of that date with :func:`nq57.analysis.status.build_status`, so a point agrees with
``nq57 status --as-of DATE`` run on that commit. ``as_now`` classifies today's data at
each date instead (also what a folder outside git gets).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from nq57.analysis.groups import GroupCounts
from nq57.analysis.scope import select_kpis, select_tasks
from nq57.analysis.status import agency_members, build_status, member_counts
from nq57.analysis.tasks import CLASSES
from nq57.check.pipeline import load
from nq57.check.revision import Revisions
from nq57.io.gitstore import GitStore
from nq57.model.dataset import DataSet

STEPS = ("month", "quarter")
WITHIN = 30  # the status command's default "due soon" window


@dataclass(frozen=True)
class Point:
    date: dt.date
    commit: str | None  # None with as_now or without git (or before the first commit)
    counts: dict[str, int]  # the keys of `nq57 status --format json` "counts"
    recorded: bool = True  # False before the data's first commit: nothing to count yet


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` -> the first day of that month (ValueError when it is not one)."""
    year, _, month = text.strip().partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return dt.date(int(year), int(month), 1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_ends(start: str, end: str, step: str = "month") -> list[dt.date]:
    """The last day of every month (or quarter) from ``start`` through ``end``
    (``YYYY-MM``); a quarter counts when one of its months is in the range."""
    if step not in STEPS:
        raise ValueError(step)
    first, last = parse_month(start), parse_month(end)
    ends: list[dt.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if step == "quarter":
            month = (month - 1) // 3 * 3 + 3
        ends.append(month_end(dt.date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


def counts_at(
    data: DataSet, day: dt.date, leads: list[str] | None = None, decision: str | None = None
) -> dict[str, int]:
    """The status counts of ``data`` as of ``day``, in the scope asked for."""
    leads = leads or []
    if len(leads) <= 1:
        return build_status(data, day, WITHIN, decision, leads[0] if leads else None).counts
    tasks = {t.id: t for lead in leads for t in select_tasks(data, decision, lead)}
    kpis = {k.id: k for lead in leads for k in select_kpis(data, decision, lead)}
    return build_status(replace(data, tasks=tasks, kpis=kpis), day, WITHIN).counts


def empty_counts() -> dict[str, int]:
    """The counts of a folder with nothing in it yet (same keys as a status)."""
    return counts_at(DataSet(roots=[]), dt.date(2000, 1, 1))


def history_points(
    data_dir: Path,
    dates: list[dt.date],
    *,
    as_now: bool = False,
    leads: list[str] | None = None,
    decision: str | None = None,
) -> list[Point]:
    """One point per date: the data as committed then, classified as of that date."""
    store = None if as_now else GitStore.open(data_dir)
    if store is None:
        data = load([data_dir], warnings=False)
        return [Point(day, None, counts_at(data, day, leads, decision)) for day in dates]
    revisions = Revisions(data_dir, store)
    points = []
    try:
        for day in dates:
            commit = store.commit_at(day)
            if commit is None:
                points.append(Point(day, None, empty_counts(), recorded=False))
                continue
            data = revisions.dataset(commit.sha)
            points.append(Point(day, commit.sha, counts_at(data, day, leads, decision)))
    finally:
        revisions.save()
    return points


def month_ends_before(as_of: dt.date, count: int = 12) -> list[dt.date]:
    """The last ``count`` month-ends on or before ``as_of``, oldest first."""
    ends: list[dt.date] = []
    day = month_end(as_of)
    if day > as_of:
        day = as_of.replace(day=1) - dt.timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]


def group_counts(group: GroupCounts) -> dict[str, int]:
    """A per-agency row of a status as counts with the keys of the status counts."""
    c = group.counts
    counts = {
        "total": group.total,
        "done": c["done_on_time"] + c["done_late"],
        "overdue": c["overdue"],
        "upcoming": c["due_soon"],
        "stale": group.stale,
    }
    counts.update({k: c[k] for k in CLASSES})
    return counts


def agency_history(data_dir: Path, dates: list[dt.date]) -> dict[str, list[Point]]:
    """Per agency, its counts (over the tasks of its site page and `report --org`) at each
    date as recorded; see :func:`site_history`."""
    return site_history(data_dir, dates)[1]


def site_history(
    data_dir: Path, dates: list[dt.date]
) -> tuple[list[Point], dict[str, list[Point]]]:
    """The whole data's counts and each agency's (over the tasks of its site page and
    `report --org`; a task of several agencies counts for each, so the agencies do not
    add up to the whole) at each date, as recorded. Dates before the first commit are left
    out, and without git there is no history at all (empty)."""
    store = GitStore.open(data_dir)
    if store is None:
        return [], {}
    revisions = Revisions(data_dir, store)
    overall: list[Point] = []
    found: dict[str, list[Point]] = {}
    try:
        for day in dates:
            commit = store.commit_at(day)
            if commit is None:
                continue
            data = revisions.dataset(commit.sha)
            report = build_status(data, day, WITHIN)
            overall.append(Point(day, commit.sha, report.counts))
            zero = {k: 0 for k in empty_counts()}
            seen = set()
            members = agency_members(data, report)  # the rule of the agency pages
            stale = {s.task.id for s in report.stale}
            for group in report.by_agency:
                seen.add(group.name)
                counts = member_counts(group.name, members.get(group.name, []), stale)
                point = Point(day, commit.sha, group_counts(counts))
                found.setdefault(group.name, []).append(point)
            for name, points in found.items():  # an agency with no task at that date
                if name not in seen:
                    points.append(Point(day, commit.sha, dict(zero)))
    finally:
        revisions.save()
    for points in found.values():
        points.sort(key=lambda p: p.date)
    return overall, found
