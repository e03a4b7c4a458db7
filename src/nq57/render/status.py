"""`nq57 status` output: JSON (a contract), CSV, and rich tables for people."""

from __future__ import annotations

import csv
import gc
import io
import os
import shutil
import sys
from typing import TYPE_CHECKING

from nq57.analysis.labels import frequency_label
from nq57.i18n import t
from nq57.render import jsontext
from nq57.render.records import filing_record, group_record, kpi_record, task_record

if TYPE_CHECKING:  # rich is imported for tables only: JSON and CSV do without it
    from rich.console import Console
    from rich.table import Table

    from nq57.analysis.status import StatusReport  # (which imports the models)
    from nq57.analysis.tasks import TaskState

DEFAULT_WIDTH = 100  # output into a pipe or a file, when COLUMNS does not say
MIN_WIDTH = 60  # narrower, the tables would be unreadable: they wrap instead


def terminal_width() -> int:
    """The width tables are laid out for: COLUMNS when set, else the terminal's,
    else (piped) DEFAULT_WIDTH; never under MIN_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif sys.stdout is not None and sys.stdout.isatty():
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    else:
        width = DEFAULT_WIDTH
    return max(MIN_WIDTH, width)


def make_console() -> Console:
    """A rich console as wide as :func:`terminal_width`."""
    from rich.console import Console

    return Console(width=terminal_width(), highlight=False)


def as_json(report: StatusReport) -> str:
    return as_json_bytes(report).decode("utf-8", "surrogatepass")


def as_json_bytes(report: StatusReport) -> bytes:
    """:func:`as_json` as UTF-8: 19 MB at 30,000 tasks need not be decoded and encoded."""
    # Tens of thousands of records and text pieces, none in a reference cycle: the cyclic
    # garbage collector would only rescan them as they pile up (~0.05 s at 30,000 tasks).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _json(report)
    finally:
        if collecting:
            gc.enable()


def _json(report: StatusReport) -> bytes:
    records: dict[int, dict] = {}  # a task both overdue and stale: one record, written once

    def record(s: TaskState) -> dict:
        found = records.get(id(s))
        if found is None:
            found = records[id(s)] = task_record(s)
        return found

    payload = {
        "as_of": report.as_of.isoformat(),
        "within_days": report.within,
        "counts": report.counts,
        "overdue": [record(s) for s in report.overdue],
        "upcoming": [record(s) for s in report.upcoming],
        "kpis_off_track": [kpi_record(k) for k in report.kpis_off_track],
        "filings": [filing_record(f) for f in report.filings],
        "invalid_files": report.invalid_files,
        "stale": [record(s) for s in report.stale],
        "stale_kpis": [kpi_record(k) for k in report.stale_kpis],
        "by_agency": [group_record(g) for g in report.by_agency],
        "by_plan": [group_record(g) for g in report.by_plan],
    }
    return jsontext.dumpb(payload) + b"\n"


CSV_FIELDS = [
    "id",
    "decision",
    "ref",
    "title",
    "lead",
    "deadline",
    "due",
    "recurrence",
    "status",
    "class",
    "days_overdue",
    "days_left",
]
STATUS_CSV_FIELDS = [*CSV_FIELDS, "progress", "progress_source"]


def tasks_csv(states: list[TaskState]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=STATUS_CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for s in states:
        row = task_record(s)
        row["lead"] = "; ".join(row["lead"])
        writer.writerow(row)
    return buf.getvalue()


def as_csv(report: StatusReport) -> str:
    return tasks_csv(sorted(report.states, key=lambda s: s.task.id))


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _date(d) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def _overhead(columns: int) -> int:
    """Characters a SIMPLE_HEAD table adds around its cells (separators and edges)."""
    return 3 * (columns - 1) + 2


def _share(space: int, first: float) -> tuple[int, int]:
    """Split the free width of a table between two flexible columns."""
    a = max(10, int(space * first))
    return a, max(8, space - a)


def _tasks_table(
    title: str, rows: list[TaskState], days_label: str, limit: int, width: int
) -> Table:
    from rich import box
    from rich.table import Table

    # One line per task: ids and dates whole, title and lead cut with an ellipsis.
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    id_width = max([len(t("status.col.task_id")), *(len(s.task.id) for s in rows[: limit or None])])
    # the header wraps in a narrow terminal
    days_width = len(days_label) if width >= 90 else min(len(days_label), 6)
    fixed = [id_width, 12, days_width]
    # A narrow terminal shows the lead under the title rather than cut both to nothing.
    narrow = width - sum(fixed) - _overhead(5) < 40
    if narrow:
        title_width, lead_width = width - sum(fixed) - _overhead(4), 0
    else:
        title_width, lead_width = _share(width - sum(fixed) - _overhead(5), 0.68)
    table.add_column(t("status.col.task_id"), no_wrap=True, width=id_width, min_width=id_width)
    table.add_column(t("status.col.title"), no_wrap=True, overflow="ellipsis", width=title_width)
    if not narrow:
        table.add_column(t("status.col.lead"), no_wrap=True, overflow="ellipsis", width=lead_width)
    table.add_column(t("status.col.due"), no_wrap=True, width=12, min_width=12)
    table.add_column(days_label, justify="right", width=days_width, min_width=days_width)
    shown = rows if limit <= 0 else rows[:limit]
    for s in shown:
        days = s.days_overdue if s.days_overdue is not None else s.days_left
        due = s.due  # recurring and late: the end of the earliest period missed
        lead = "; ".join(s.task.lead) or "—"
        table.add_row(
            s.task.id,
            *([f"{s.task.title}\n[dim]{lead}[/]"] if narrow else [s.task.title, lead]),
            _date(due) + (" ↻" if s.recurrence in ("annual", "quarterly", "monthly") else ""),
            str(days if days is not None else ""),
        )
    if len(shown) < len(rows):
        table.caption = t("status.more_tasks", count=len(rows) - len(shown))
    return table


def render_table(report: StatusReport, console: Console, limit: int = 20) -> None:
    c = report.counts
    if report.invalid_files:
        console.print(
            f"[bold red]{t('status.invalid_files', count=len(report.invalid_files))}[/] — "
            + t("status.invalid_files_hint")
        )
        for path in report.invalid_files:
            console.print(f"  [red]✗[/] {path}")
    console.print(
        f"[bold]{t('status.summary.as_of', date=_date(report.as_of))}[/]: "
        f"{t('status.summary.total', count=c['total'])} · "
        f"[red]{t('status.summary.overdue', count=c['overdue'])}[/] · "
        f"[yellow]{t('status.summary.due_soon', count=c['due_soon'], days=report.within)}[/] · "
        f"{t('status.summary.on_track', count=c['on_track'])} · "
        f"[green]{t('status.summary.done', count=c['done'])}[/] "
        f"{t('status.summary.done_late', count=c['done_late'])} · "
        f"{t('status.summary.no_deadline', count=c['no_deadline'])} · "
        f"{t('status.summary.cancelled', count=c['cancelled'])} · "
        f"[magenta]{t('cycle.summary.stale', count=c['stale'])}[/]"
    )
    if report.overdue:
        console.print(
            _tasks_table(
                t("status.overdue_title", count=len(report.overdue)),
                report.overdue,
                t("status.col.days_late"),
                limit,
                console.width,
            )
        )
    if not report.progress_recorded and report.states:
        console.print(t("status.no_progress_recorded"), style="italic")
    if report.upcoming:
        console.print(
            _tasks_table(
                t("status.upcoming_title", days=report.within, count=len(report.upcoming)),
                report.upcoming,
                t("status.col.days_left"),
                limit,
                console.width,
            )
        )
    console.print(_groups_table(t("status.by_agency"), report.by_agency, limit, console.width))
    if len(report.by_plan) > 1:
        console.print(_groups_table(t("status.by_plan"), report.by_plan, 0, console.width))
    if report.kpis_off_track:
        console.print(_kpi_table(report))
    if report.stale_kpis:
        console.print(f"[magenta]{t('status.stale_kpis_line', count=len(report.stale_kpis))}[/]")
    if report.filings:
        console.print(_filings_table(report, console.width))


def _groups_table(title: str, groups, limit: int, width: int) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    labels = (
        t("status.col.total"),
        t("status.col.overdue"),
        t("status.col.due_soon"),
        t("status.col.on_track"),
        t("status.col.no_deadline"),
        t("status.col.done"),
        t("cycle.col.stale"),
        t("cycle.col.progress"),
    )
    # Counts are never cut: in a narrow terminal their headers wrap; names wrap too.
    label_widths = [
        len(label) if width >= 90 else max(4, *(len(word) for word in label.split()))
        for label in labels
    ]
    name_width = max(8, width - sum(label_widths) - _overhead(len(labels) + 1))
    table.add_column(t("status.col.group"), width=name_width)
    for label, label_width in zip(labels, label_widths, strict=True):
        table.add_column(label, justify="right", width=label_width, min_width=label_width)
    shown = groups if limit <= 0 else groups[:limit]
    for g in shown:
        n = g.counts
        table.add_row(
            g.name,
            str(g.total),
            str(n["overdue"]),
            str(n["due_soon"]),
            str(n["on_track"]),
            str(n["no_deadline"]),
            str(n["done_on_time"] + n["done_late"]),
            str(g.stale),
            "—" if g.progress is None else f"{g.progress}%",
        )
    if len(shown) < len(groups):
        table.caption = t("status.more_groups", count=len(groups) - len(shown))
    return table


def _kpi_table(report: StatusReport) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=t("status.kpis_off_track", count=len(report.kpis_off_track)),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column(t("status.col.kpi_id"), no_wrap=True)
    table.add_column(t("status.col.kpi"))
    table.add_column(t("status.col.target"))
    table.add_column(t("status.col.latest"), min_width=12)  # wraps before the date
    for k in report.kpis_off_track:
        latest = k.latest
        value = f"{latest.value} ({_date(latest.date)})" if latest else "—"
        table.add_row(k.kpi.id, _short(k.kpi.name, 50), k.kpi.target or "", value)
    return table


def _filings_table(report: StatusReport, width: int) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=t("status.filings"), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    # Dates are never cut; a narrow terminal leaves out the recipient and wraps the
    # last column.
    narrow = width < 90
    fixed = [18 if not narrow else 15, 10, 10, 31]
    table.add_column(t("status.col.plan"), no_wrap=True, overflow="ellipsis", width=fixed[0])
    table.add_column(t("status.col.frequency"), width=10)
    if not narrow:
        to_width = max(6, width - sum(fixed) - _overhead(5))
        table.add_column(t("status.col.to"), no_wrap=True, overflow="ellipsis", width=to_width)
    table.add_column(t("status.col.next_due"), no_wrap=True, width=10, min_width=10)
    previous_width = 31 if not narrow else width - sum(fixed[:3]) - _overhead(4)
    table.add_column(t("status.col.previous"), width=previous_width)
    for f in report.filings:
        previous = "—"
        if f.last_due:
            previous = (
                f"[red]{t('status.filing.late', date=_date(f.last_due))}[/]"
                if f.last_late
                else t("status.filing.filed", date=_date(f.last_due))
            )
        table.add_row(
            f.decision.id,
            frequency_label(f.obligation.frequency, ""),
            *([] if narrow else [f.obligation.to or ""]),
            _date(f.next_due),
            previous,
        )
    return table
