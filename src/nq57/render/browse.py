"""Output of `nq57 list` and `nq57 show`."""

from __future__ import annotations

import csv
import io
import json

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from nq57.analysis.browse import Detail
from nq57.analysis.kpis import KpiState
from nq57.analysis.tasks import CLASS_LABELS, TaskState
from nq57.models import Decision
from nq57.render import OutputFormat
from nq57.render.records import kpi_record, task_record
from nq57.render.status import WIDTH, _date, _short, tasks_csv

__all__ = ["WIDTH", "tasks", "kpis", "decisions", "detail"]


def _emit(text: str) -> None:
    typer.echo(text, nl=False)


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"


def _csv(rows: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def tasks(states: list[TaskState], fmt: OutputFormat, console: Console) -> None:
    if fmt is OutputFormat.json:
        return _emit(_json([task_record(s) for s in states]))
    if fmt is OutputFormat.csv:
        return _emit(tasks_csv(states))
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title=f"{len(states)} nhiệm vụ", title_justify="left"
    )
    table.add_column("Mã", no_wrap=True, max_width=28)
    table.add_column("Nội dung")
    table.add_column("Chủ trì", max_width=22)
    table.add_column("Hạn", no_wrap=True)
    table.add_column("Tình trạng", no_wrap=True)
    for s in states:
        table.add_row(
            s.task.id,
            _short(s.task.title, 70),
            _short("; ".join(s.task.lead), 40),
            _date(s.due),
            CLASS_LABELS[s.klass],
        )
    console.print(table)


def kpis(states: list[KpiState], fmt: OutputFormat, console: Console) -> None:
    records = [kpi_record(k) for k in states]
    if fmt is OutputFormat.json:
        return _emit(_json(records))
    if fmt is OutputFormat.csv:
        rows = [{**r, "latest": (r["latest"] or {}).get("value")} for r in records]
        return _emit(
            _csv(
                rows,
                ["id", "name", "unit", "target", "year", "owner", "latest", "meets", "progress"],
            )
        )
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title=f"{len(states)} chỉ tiêu", title_justify="left"
    )
    table.add_column("Mã", no_wrap=True)
    table.add_column("Chỉ tiêu")
    table.add_column("Mục tiêu", max_width=18)
    table.add_column("Năm", no_wrap=True)
    table.add_column("Đánh giá", no_wrap=True)
    for k in states:
        table.add_row(
            k.kpi.id, _short(k.kpi.name, 60), k.kpi.target or "—", str(k.kpi.year), k.label
        )
    console.print(table)


def decisions(items: list[Decision], fmt: OutputFormat, console: Console) -> None:
    records = [d.model_dump(mode="json", exclude_defaults=True) for d in items]
    if fmt is OutputFormat.json:
        return _emit(_json(records))
    if fmt is OutputFormat.csv:
        return _emit(_csv(records, ["id", "number", "type", "issuer", "issued", "title"]))
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title=f"{len(items)} văn bản", title_justify="left"
    )
    table.add_column("Mã", no_wrap=True)
    table.add_column("Số", no_wrap=True)
    table.add_column("Ngày", no_wrap=True)
    table.add_column("Cơ quan ban hành", max_width=24)
    table.add_column("Trích yếu")
    for d in items:
        table.add_row(d.id, d.number, _date(d.issued), d.issuer, _short(d.title, 60))
    console.print(table)


def detail(info: Detail, fmt: OutputFormat, console: Console) -> None:
    fields = info.entity.model_dump(mode="json", exclude_defaults=True)
    if fmt is OutputFormat.json:
        payload = {
            "kind": info.kind,
            "path": info.path,
            "fields": fields,
            "parent_chain": info.chain,
            "children": info.children,
            "kpis": info.kpis,
        }
        if info.kind == "task" and info.state is not None:
            payload["computed"] = task_record(info.state)  # type: ignore[arg-type]
        elif info.kind == "kpi" and info.state is not None:
            payload["computed"] = kpi_record(info.state)  # type: ignore[arg-type]
        if info.related:
            payload["related"] = info.related
        return _emit(_json(payload))
    console.print(f"[bold]{info.entity.id}[/]  ({info.path})")
    updates = fields.pop("updates", [])
    measurements = fields.pop("measurements", [])
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, value in fields.items():
        if key == "id":
            continue
        text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(key, text)
    console.print(table)
    if info.kind == "task" and info.state is not None:
        s = info.state
        days = (
            f" ({s.days_overdue} ngày)"
            if s.days_overdue is not None
            else f", còn {s.days_left} ngày"
            if s.days_left is not None
            else ""
        )
        console.print(
            f"Hạn tính được: {_date(s.due)}{' (' + s.recurrence + ')' if s.recurrence else ''}"
            f" · Tình trạng: [bold]{CLASS_LABELS[s.klass]}[/]{days}"
        )
    if info.kind == "kpi" and info.state is not None:
        console.print(f"Đánh giá: [bold]{info.state.label}[/]")
    for label, items in (("Cập nhật", updates), ("Số liệu đo", measurements)):
        if items:
            console.print(f"[bold]{label}:[/]")
            for item in items:
                console.print("  " + " · ".join(f"{k}: {v}" for k, v in item.items()))
    for label, ids in (
        ("Chuỗi cấp trên", info.chain),
        ("Cấp dưới", info.children),
        ("Chỉ tiêu liên quan" if info.kind != "kpi" else "Nhiệm vụ liên quan", info.kpis),
    ):
        if ids:
            shown = ids if len(ids) <= 15 else [*ids[:15], f"… (+{len(ids) - 15})"]
            console.print(
                f"[bold]{label}:[/] " + " → ".join(shown)
                if label == "Chuỗi cấp trên"
                else f"[bold]{label}:[/] " + ", ".join(shown)
            )
    for label, ids in info.related.items():
        if ids:
            console.print(f"[bold]{label}:[/] " + ", ".join(ids))
