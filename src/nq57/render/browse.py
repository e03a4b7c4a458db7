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
from nq57.analysis.labels import (
    class_label,
    frequency_label,
    pace_label,
    progress_text,
    recurrence_label,
    trend_label,
)
from nq57.analysis.pace import expected_on
from nq57.analysis.tasks import TaskState
from nq57.i18n import t
from nq57.model.entities import Decision, Reporting
from nq57.render import OutputFormat
from nq57.render.records import kpi_record, task_record
from nq57.render.status import _date, _short, make_console, tasks_csv

__all__ = ["make_console", "tasks", "kpis", "decisions", "detail"]


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
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=t("browse.tasks_title", count=len(states)),
        title_justify="left",
    )
    table.add_column(t("browse.col.id"), no_wrap=True, max_width=28)
    table.add_column(t("browse.col.title"))
    table.add_column(t("browse.col.lead"), max_width=22)
    table.add_column(t("browse.col.due"), no_wrap=True)
    table.add_column(t("browse.col.class"), no_wrap=True)
    for s in states:
        table.add_row(
            s.task.id,
            _short(s.task.title, 70),
            _short("; ".join(s.task.lead), 40),
            _date(s.due),
            class_label(s.klass),
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
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=t("browse.kpis_title", count=len(states)),
        title_justify="left",
    )
    table.add_column(t("browse.col.id"), no_wrap=True)
    table.add_column(t("browse.col.kpi"))
    table.add_column(t("browse.col.target"), max_width=18)
    table.add_column(t("browse.col.year"), no_wrap=True)
    table.add_column(t("browse.col.assessment"), no_wrap=True)
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
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=t("browse.decisions_title", count=len(items)),
        title_justify="left",
    )
    table.add_column(t("browse.col.id"), no_wrap=True)
    table.add_column(t("browse.col.number"), no_wrap=True)
    table.add_column(t("browse.col.date"), no_wrap=True)
    table.add_column(t("browse.col.issuer"), max_width=24)
    table.add_column(t("browse.col.summary"))
    for d in items:
        table.add_row(d.id, d.number, _date(d.issued), d.issuer, _short(d.title, 60))
    console.print(table)


_PERIOD_KEYS = {
    "previous": "browse.reporting.period.previous",
    "current": "browse.reporting.period.current",
    "unknown": "browse.reporting.period.unknown",
}
_PART_KEYS = {
    "to": "browse.reporting.to",
    "via": "browse.reporting.via",
    "scope": "browse.reporting.scope",
    "text": "browse.reporting.text",
}


def reporting_text(ob: Reporting) -> str:
    """A reporting obligation as a phrase: 'hằng quý, trước ngày 15 tháng thứ 3 của quý;
    gửi Bộ Khoa học và Công nghệ; nội dung: …'."""
    frequency = frequency_label(ob.frequency)
    if ob.frequency == "monthly" and ob.due_day:
        period = t(_PERIOD_KEYS[ob.for_period or "unknown"])
        parts = [t("browse.reporting.monthly", frequency=frequency, day=ob.due_day, period=period)]
    elif ob.frequency == "quarterly" and ob.due_day:
        month = ob.month_of_quarter or 3
        parts = [t("browse.reporting.quarterly", frequency=frequency, day=ob.due_day, month=month)]
    elif ob.dates:
        dates = ", ".join(f"{d[3:]}/{d[:2]}" for d in ob.dates)
        parts = [t("browse.reporting.dates", frequency=frequency, dates=dates)]
    else:
        parts = [t("browse.reporting.plain", frequency=frequency)]
    for name, key in _PART_KEYS.items():
        value = getattr(ob, name)
        if value:
            parts.append(t(key, **{name: value}))
    if ob.filed:
        parts.append(t("browse.reporting.filed", dates=", ".join(_date(d) for d in ob.filed)))
    return "; ".join(parts)


def _plain(value: object) -> str:
    """A field's value as text: mappings as "key: value" pairs, never Python's repr."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.4g}".replace(",", " ").replace(".", ",")


def _pace(state: KpiState, console: Console) -> None:
    """The pace sentence and the measurements beside the trajectory's value on each date."""
    p = state.pace
    parts = [t("pace.show.line", label=f"[bold]{pace_label(p.status)}[/]")]
    if p.expected is not None and state.latest is not None:
        date = _date(state.latest.date)
        parts.append(t("pace.show.expected", expected=_number(p.expected), date=date))
    if p.target is not None and p.target_year is not None:
        parts.append(t("pace.show.goal", target=_number(p.target), year=p.target_year))
    if p.trend:
        parts.append(t("pace.show.trend", trend=trend_label(p.trend)))
    console.print(" · ".join(parts))
    kpi = state.kpi
    if not kpi.measurements:
        return
    table = Table(title=t("pace.table.title"), box=box.SIMPLE_HEAD, title_justify="left")
    for key in ("pace.col.date", "pace.col.value", "pace.col.expected"):
        table.add_column(t(key), justify="left" if key == "pace.col.date" else "right")
    labelled = any(m.label for m in kpi.measurements)
    if labelled:
        table.add_column(t("pace.col.label"))
    for m in sorted(kpi.measurements, key=lambda m: (m.date, m.label or "")):
        same_part = m.label == (state.latest.label if state.latest else None)
        expected = expected_on(p, m.date) if same_part else None
        row = [_date(m.date), _number(float(m.value)), _number(expected)]
        table.add_row(*row, *([m.label or ""] if labelled else []))
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
        if isinstance(info.state, TaskState):
            payload["computed"] = task_record(info.state)
        elif isinstance(info.state, KpiState):
            payload["computed"] = kpi_record(info.state)
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
        if key == "reporting" and isinstance(info.entity, Decision):
            text = "\n".join(f"• {reporting_text(r)}" for r in info.entity.reporting)
        else:
            text = _plain(value)
        table.add_row(key, text)
    console.print(table)
    if info.kind == "task" and info.state is not None:
        s = info.state
        days = (
            " " + t("browse.show.days_overdue", days=s.days_overdue)
            if s.days_overdue is not None
            else ", " + t("browse.show.days_left", days=s.days_left)
            if s.days_left is not None
            else ""
        )
        recurrence = recurrence_label(s.recurrence) or s.recurrence
        due = _date(s.due) + (f" ({recurrence})" if recurrence else "")
        label = f"[bold]{class_label(s.klass)}[/]"
        progress = progress_text(s.progress, s.progress_source)
        progress = f" · {t('cycle.show.progress', progress=progress)}" if progress else ""
        console.print(
            f"{t('browse.show.due', due=due)} · {t('browse.show.class', label=label)}{days}"
            + progress
        )
        if s.periods_complete and s.owed and s.owed[1]:
            console.print(t("browse.show.periods_complete", end=s.owed[1].year, id=s.task.id))
    if info.kind == "kpi" and info.state is not None:
        label = f"[bold]{info.state.label}[/]"
        console.print(t("browse.show.assessment", label=label))
        _pace(info.state, console)
        measurements = []  # shown with the trajectory
    for key, items in (
        ("browse.show.updates", updates),
        ("browse.show.measurements", measurements),
    ):
        if items:
            console.print(f"[bold]{t(key)}:[/]")
            for item in items:
                console.print("  " + " · ".join(f"{k}: {v}" for k, v in item.items()))
    related = "browse.show.related_kpis" if info.kind != "kpi" else "browse.show.related_tasks"
    for key, ids, joiner in (
        ("browse.show.chain", info.chain, " → "),
        ("browse.show.children", info.children, ", "),
        (related, info.kpis, ", "),
    ):
        if ids:
            shown = ids if len(ids) <= 15 else [*ids[:15], f"… (+{len(ids) - 15})"]
            console.print(f"[bold]{t(key)}:[/] " + joiner.join(shown))
    for name, ids in info.related.items():
        if ids:
            console.print(f"[bold]{t(f'browse.related.{name}')}:[/] " + ", ".join(ids))
