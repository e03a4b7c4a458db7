"""`nq57 status` output: JSON (a contract), CSV, and rich tables for people."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from nq57.analysis.status import StatusReport
from nq57.analysis.tasks import TaskState
from nq57.render import jsontext
from nq57.render.records import filing_record, kpi_record, task_record

if TYPE_CHECKING:  # rich is imported for tables only: JSON and CSV do without it
    from rich.console import Console
    from rich.table import Table

WIDTH = 100
FREQUENCY = {
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "semiannual": "6 tháng",
    "annual": "hằng năm",
}


def as_json(report: StatusReport) -> str:
    payload = {
        "as_of": report.as_of.isoformat(),
        "within_days": report.within,
        "counts": report.counts,
        "overdue": [task_record(s) for s in report.overdue],
        "upcoming": [task_record(s) for s in report.upcoming],
        "kpis_off_track": [kpi_record(k) for k in report.kpis_off_track],
        "filings": [filing_record(f) for f in report.filings],
        "invalid_files": report.invalid_files,
    }
    return jsontext.dumps(payload) + "\n"


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


def tasks_csv(states: list[TaskState]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
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


def _tasks_table(title: str, rows: list[TaskState], days_label: str, limit: int) -> Table:
    from rich import box
    from rich.table import Table

    # One line per task: ids and dates whole, title and lead cut with an ellipsis.
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    id_width = max([len("Mã nhiệm vụ"), *(len(s.task.id) for s in rows[: limit or None])])
    fixed = [id_width, 12, len(days_label)]
    title_width, lead_width = _share(WIDTH - sum(fixed) - _overhead(5), 0.68)
    table.add_column("Mã nhiệm vụ", no_wrap=True, width=id_width)
    table.add_column("Nội dung", no_wrap=True, overflow="ellipsis", width=title_width)
    table.add_column("Chủ trì", no_wrap=True, overflow="ellipsis", width=lead_width)
    table.add_column("Hạn", no_wrap=True, width=12)
    table.add_column(days_label, justify="right", no_wrap=True, width=len(days_label))
    shown = rows if limit <= 0 else rows[:limit]
    for s in shown:
        days = s.days_overdue if s.days_overdue is not None else s.days_left
        # A recurring task is late for the period it missed, not the current one.
        due = s.missed_period[1] if s.missed_period else s.due
        table.add_row(
            s.task.id,
            s.task.title,
            "; ".join(s.task.lead) or "—",
            _date(due) + (" ↻" if s.recurrence in ("annual", "quarterly", "monthly") else ""),
            str(days if days is not None else ""),
        )
    if len(shown) < len(rows):
        table.caption = (
            f"… và {len(rows) - len(shown)} nhiệm vụ khác "
            "(--limit 0: xem tất cả; --format csv: xuất bảng). ↻ = định kỳ"
        )
    return table


def render_table(report: StatusReport, console: Console, limit: int = 20) -> None:
    c = report.counts
    if report.invalid_files:
        console.print(
            f"[bold red]Tệp lỗi ({len(report.invalid_files)})[/] — bỏ qua, chạy "
            "`nq57 validate` để xem chi tiết:"
        )
        for path in report.invalid_files:
            console.print(f"  [red]✗[/] {path}")
    console.print(
        f"[bold]Tình hình ngày {_date(report.as_of)}[/]: {c['total']} nhiệm vụ · "
        f"[red]{c['overdue']} quá hạn[/] · [yellow]{c['due_soon']} đến hạn trong "
        f"{report.within} ngày[/] · {c['on_track']} trong hạn · "
        f"[green]{c['done']} hoàn thành[/] ({c['done_late']} trễ hạn) · "
        f"{c['no_deadline']} thường xuyên/chưa có hạn · {c['cancelled']} đã hủy"
    )
    if report.overdue:
        console.print(
            _tasks_table(
                f"Nhiệm vụ quá hạn ({len(report.overdue)})",
                report.overdue,
                "Trễ (ngày)",
                limit,
            )
        )
    if report.upcoming:
        console.print(
            _tasks_table(
                f"Sắp đến hạn trong {report.within} ngày ({len(report.upcoming)})",
                report.upcoming,
                "Còn (ngày)",
                limit,
            )
        )
    console.print(_groups_table("Theo đơn vị chủ trì", report.by_agency, limit))
    if len(report.by_plan) > 1:
        console.print(_groups_table("Theo kế hoạch", report.by_plan, 0))
    if report.kpis_off_track:
        console.print(_kpi_table(report))
    if report.filings:
        console.print(_filings_table(report))


def _groups_table(title: str, groups, limit: int) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    labels = ("Tổng", "Quá hạn", "Sắp hạn", "Trong hạn", "Thường xuyên", "Xong")
    name_width = WIDTH - sum(map(len, labels)) - _overhead(len(labels) + 1)
    table.add_column("Đơn vị / kế hoạch", no_wrap=True, overflow="ellipsis", width=name_width)
    for label in labels:
        table.add_column(label, justify="right", no_wrap=True, width=len(label))
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
        )
    if len(shown) < len(groups):
        table.caption = f"… và {len(groups) - len(shown)} đơn vị khác"
    return table


def _kpi_table(report: StatusReport) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=f"Chỉ tiêu chưa đạt ({len(report.kpis_off_track)})",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("Mã chỉ tiêu", no_wrap=True)
    table.add_column("Chỉ tiêu")
    table.add_column("Mục tiêu", no_wrap=True)
    table.add_column("Gần nhất", no_wrap=True)
    for k in report.kpis_off_track:
        latest = k.latest
        value = f"{latest.value} ({_date(latest.date)})" if latest else "—"
        table.add_row(k.kpi.id, _short(k.kpi.name, 50), k.kpi.target or "", value)
    return table


def _filings_table(report: StatusReport) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title="Báo cáo định kỳ", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    fixed = [18, 10, 10, 31]
    table.add_column("Kế hoạch", no_wrap=True, overflow="ellipsis", width=18)
    table.add_column("Kỳ", no_wrap=True, width=10)
    table.add_column(
        "Gửi", no_wrap=True, overflow="ellipsis", width=WIDTH - sum(fixed) - _overhead(5)
    )
    table.add_column("Hạn tới", no_wrap=True, width=10)
    table.add_column("Kỳ trước (hạn)", no_wrap=True, width=31)
    for f in report.filings:
        previous = "—"
        if f.last_due:
            previous = (
                f"[red]chưa ghi nhận nộp ({_date(f.last_due)})[/]"
                if f.last_late
                else f"đã nộp ({_date(f.last_due)})"
            )
        table.add_row(
            f.decision.id,
            FREQUENCY.get(f.obligation.frequency, ""),
            f.obligation.to or "",
            _date(f.next_due),
            previous,
        )
    return table

