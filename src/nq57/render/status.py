"""`nq57 status` output: JSON (a contract), CSV, and rich tables for people."""

from __future__ import annotations

import csv
import io
import json

from rich import box
from rich.console import Console
from rich.table import Table

from nq57.analysis.status import StatusReport
from nq57.analysis.tasks import CLASS_LABELS, TaskState
from nq57.render.records import filing_record, kpi_record, task_record

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
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


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


def _tasks_table(title: str, rows: list[TaskState], days_label: str, limit: int) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("Mã nhiệm vụ", no_wrap=True, max_width=26)
    table.add_column("Nội dung")
    table.add_column("Chủ trì", max_width=22)
    table.add_column("Hạn", no_wrap=True)
    table.add_column(days_label, justify="right", no_wrap=True)
    shown = rows if limit <= 0 else rows[:limit]
    for s in shown:
        days = s.days_overdue if s.days_overdue is not None else s.days_left
        table.add_row(
            s.task.id,
            _short(s.task.title, 60),
            _short("; ".join(s.task.lead), 40),
            _date(s.due),
            str(days if days is not None else ""),
        )
    if len(shown) < len(rows):
        table.caption = (
            f"… và {len(rows) - len(shown)} nhiệm vụ khác "
            "(--limit 0 để xem tất cả, --format csv để xuất)"
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
                "Số ngày quá hạn",
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
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("Đơn vị / kế hoạch")
    for label in ("Tổng", "Quá hạn", "Sắp hạn", "Trong hạn", "Thường xuyên", "Xong"):
        table.add_column(label, justify="right", no_wrap=True)
    shown = groups if limit <= 0 else groups[:limit]
    for g in shown:
        n = g.counts
        table.add_row(
            _short(g.name, 40),
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
    table = Table(
        title="Báo cáo định kỳ", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    table.add_column("Kế hoạch", no_wrap=True)
    table.add_column("Kỳ", no_wrap=True)
    table.add_column("Gửi")
    table.add_column("Hạn tới", no_wrap=True)
    table.add_column("Kỳ trước", no_wrap=True)
    for f in report.filings:
        previous = "—"
        if f.last_due:
            previous = (
                f"[red]chưa ghi nhận đã nộp (hạn {_date(f.last_due)})[/]"
                if f.last_late
                else f"đã nộp (hạn {_date(f.last_due)})"
            )
        table.add_row(
            f.decision.id,
            FREQUENCY.get(f.obligation.frequency, ""),
            _short(f.obligation.to or "", 30),
            _date(f.next_due),
            previous,
        )
    return table


LABELS = CLASS_LABELS
