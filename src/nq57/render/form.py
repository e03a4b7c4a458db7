"""`nq57 form`: the monthly form a unit fills in, as an Excel workbook or a CSV file.

Layout (both formats): on each table a row of labels in the interface language, then
the header row of machine keys (``id``, ``status``, ``progress``, ``note``, ``completed``,
``kind``; ``value``, ``date``, ``source`` for KPIs: what ``nq57 ingest`` reads, the same
keys as the CSV export), then one row per task or KPI. The workbook adds a cover sheet
(for whom, as-of date, filing deadline, how to fill it in), drop-downs and number/date
checks on the fill-in columns, sheet protection without a password on the read-only
ones, and the report date as the defined name ``nq57_as_of`` (the CSV: a first row
``nq57_as_of,YYYY-MM-DD``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from nq57.analysis.forms import Form, FormKpi, FormTask
from nq57.analysis.labels import class_label, frequency_label, status_label
from nq57.analysis.search import fold as plain
from nq57.i18n import t
from nq57.model.entities import TASK_STATUSES, UPDATE_KINDS
from nq57.render.xlsx import stable_bytes

AS_OF_NAME = "nq57_as_of"
LEAD_NAME = "nq57_lead"
DECISION_NAME = "nq57_decision"
DATE_FORMAT = "DD/MM/YYYY"
KIND_LABELS = {
    "difficulty": "cycle.kind.difficulty",
    "proposal": "cycle.kind.proposal",
    "result": "cycle.kind.result",
}


@dataclass(frozen=True)
class Column:
    key: str  # the machine key in the header row
    label: str  # catalogue key of the label above it
    value: Callable[[Any], Any]
    kind: str = "text"  # text, date, number, whole, status, kind
    fill: bool = False  # a fill-in column (unlocked, drop-down or check)
    width: int | None = None  # None: fit the content
    hidden: bool = False


def status_option(status: str) -> str:
    """A drop-down entry: 'Đang thực hiện (in_progress)' (ingest reads either part)."""
    return f"{status_label(status)} ({status})"


def kind_option(kind: str) -> str:
    return f"{t(KIND_LABELS[kind])} ({kind})"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


TASK_COLUMNS = [
    Column("id", "cycle.form.col.id", lambda f: f.state.task.id),
    Column("plan", "cycle.form.col.plan", lambda f: f.plan),
    Column("ref", "cycle.form.col.ref", lambda f: f.state.task.ref),
    Column("title", "cycle.form.col.title", lambda f: f.state.task.title, width=60),
    Column("deadline", "cycle.form.col.deadline", lambda f: _text(f.state.task.deadline), width=18),
    Column("due", "cycle.form.col.due", lambda f: f.state.due, "date"),
    Column("class", "cycle.form.col.class", lambda f: class_label(f.state.klass)),
    Column(
        "latest_date", "cycle.form.col.latest_date", lambda f: f.latest and f.latest.date, "date"
    ),
    Column(
        "latest_status",
        "cycle.form.col.latest_status",
        lambda f: f.latest and f.latest.status and status_label(f.latest.status),
    ),
    Column(
        "latest_progress",
        "cycle.form.col.latest_progress",
        lambda f: f.reported,
        "number",
    ),
    Column(
        "latest_note", "cycle.form.col.latest_note", lambda f: f.latest and f.latest.note, width=40
    ),
    Column("status", "cycle.form.col.status", lambda f: None, "status", fill=True, width=26),
    Column("progress", "cycle.form.col.progress", lambda f: None, "whole", fill=True, width=11),
    Column("note", "cycle.form.col.note", lambda f: None, fill=True, width=50),
    Column("completed", "cycle.form.col.completed", lambda f: None, "date", fill=True, width=13),
    Column("kind", "cycle.form.col.kind", lambda f: None, "kind", fill=True, width=28),
    Column("rev", "cycle.form.col.rev", lambda f: f.rev, hidden=True),
]
KPI_COLUMNS = [
    Column("id", "cycle.form.col.id", lambda k: k.state.kpi.id),
    Column("name", "cycle.form.col.name", lambda k: k.state.kpi.name, width=60),
    Column("unit", "cycle.form.col.unit", lambda k: k.state.kpi.unit),
    Column("target", "cycle.form.col.target", lambda k: k.state.kpi.target, width=24),
    Column("year", "cycle.form.col.year", lambda k: k.state.kpi.year, "number"),
    Column(
        "latest_value",
        "cycle.form.col.latest_value",
        lambda k: k.state.latest and k.state.latest.value,
        "number",
    ),
    Column(
        "latest_date",
        "cycle.form.col.latest_date",
        lambda k: k.state.latest and k.state.latest.date,
        "date",
    ),
    Column("value", "cycle.form.col.value", lambda k: None, "number", fill=True, width=12),
    Column("date", "cycle.form.col.date", lambda k: None, "date", fill=True, width=13),
    Column("source", "cycle.form.col.source", lambda k: None, fill=True, width=40),
    Column("rev", "cycle.form.col.rev", lambda k: k.rev, hidden=True),
]


def _value(column: Column, item: FormTask | FormKpi) -> Any:
    value = column.value(item)
    return None if value is None or value == "" else value


def file_stem(name: str) -> str:
    """An ASCII file name for an agency: 'Cục Tin học' -> 'cuc-tin-hoc'."""
    return re.sub(r"[^a-z0-9]+", "-", plain(name)).strip("-")[:80] or "form"


def _dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def deadline_lines(form: Form) -> list[str]:
    """'100/QĐ-BTC (KH-1): gửi Cục Tin học trước ngày 20/10/2025 (hằng tháng)'."""
    lines = []
    for found in form.deadlines:
        ob = found.obligation
        lines.append(
            t(
                "cycle.form.deadline",
                number=found.decision.number,
                id=found.decision.id,
                to=ob.to or "…",
                date=_dmy(found.due),
                frequency=frequency_label(ob.frequency),
            )
        )
    return lines or [t("cycle.form.no_deadline")]


# --- CSV ------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> Any:
    return _dmy(value) if isinstance(value, dt.date) else value


def form_csv(form: Form) -> bytes:
    """The form as one CSV file: the report date, then the task table and the KPI table,
    each a row of labels above its header row of keys. UTF-8 with a BOM (for Excel)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([AS_OF_NAME, form.as_of.isoformat()])
    writer.writerow([LEAD_NAME, "; ".join(form.leads)])
    if form.decision:
        writer.writerow([DECISION_NAME, form.decision])
    writer.writerow([t("cycle.form.title", leads="; ".join(form.leads), date=_dmy(form.as_of))])
    writer.writerows([line] for line in deadline_lines(form))
    for columns, items in ((TASK_COLUMNS, form.tasks), (KPI_COLUMNS, form.kpis)):
        writer.writerow([])
        writer.writerow([t(c.label) for c in columns])
        writer.writerow([c.key for c in columns])
        for item in items:
            writer.writerow([_csv_cell(_value(c, item)) for c in columns])
    return buf.getvalue().encode("utf-8-sig")


# --- xlsx -----------------------------------------------------------------------------------


def form_workbook(form: Form):  # -> openpyxl Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = t("cycle.form.sheet_cover")
    lists = wb.create_sheet("_lists")
    for row, status in enumerate(TASK_STATUSES, start=1):
        lists.cell(row, 1, status_option(status))
    for row, kind in enumerate(UPDATE_KINDS, start=1):
        lists.cell(row, 2, kind_option(kind))
    lists.sheet_state = "hidden"
    tasks = wb.create_sheet(t("cycle.form.sheet_tasks"), 1)
    _table(tasks, TASK_COLUMNS, form.tasks, form)
    kpis = wb.create_sheet(t("cycle.form.sheet_kpis"), 2)
    _table(kpis, KPI_COLUMNS, form.kpis, form)
    _cover(cover, form, tasks.title, kpis.title)
    for ws in (cover, tasks, kpis):  # printed: A4 landscape, one page wide
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    for name, value in (
        (AS_OF_NAME, form.as_of.isoformat()),
        (LEAD_NAME, "; ".join(form.leads)),
        (DECISION_NAME, form.decision),
    ):
        if value:
            quoted = value.replace('"', '""')
            wb.defined_names[name] = DefinedName(name, attr_text=f'"{quoted}"')
    stamp = dt.datetime.combine(form.as_of, dt.time())
    wb.properties.creator = wb.properties.lastModifiedBy = "nq57"
    wb.properties.title = t("cycle.form.title", leads="; ".join(form.leads), date=_dmy(form.as_of))
    wb.properties.created = wb.properties.modified = stamp
    return wb


def form_xlsx(form: Form) -> bytes:
    return stable_bytes(form_workbook(form), form.as_of)


def _cover(ws, form: Form, tasks_sheet: str, kpis_sheet: str) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    ws.append([t("cycle.form.title", leads="; ".join(form.leads), date=_dmy(form.as_of))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    facts = [
        (t("cycle.form.for_whom"), "\n".join(form.leads)),
        (t("cycle.form.as_of"), _dmy(form.as_of)),
        (t("cycle.form.deadline_label"), "\n".join(deadline_lines(form))),
        (
            t("cycle.form.counts"),
            t("cycle.form.counts_value", tasks=len(form.tasks), kpis=len(form.kpis)),
        ),
    ]
    for label, value in facts:
        ws.append([label, value])
        ws.row_dimensions[ws.max_row].height = 15 * _lines(value, 110)
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.cell(ws.max_row, 1).alignment = wrap
        ws.cell(ws.max_row, 2).alignment = wrap
    ws.append([])
    ws.append([t("cycle.form.how")])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    steps = t("cycle.form.steps", tasks=tasks_sheet, kpis=kpis_sheet).split("\n")
    for number, step in enumerate(steps, start=1):
        ws.append([f"{number}.", step])
        ws.row_dimensions[ws.max_row].height = 15 * _lines(step, 110)
        ws.cell(ws.max_row, 2).alignment = wrap
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="right", vertical="top")
    ws.append([])
    # What nq57 ingest reads when the defined names were lost on the way (grey, small).
    for key, value in ((AS_OF_NAME, form.as_of.isoformat()), (LEAD_NAME, "; ".join(form.leads))):
        ws.append([key, value])
        for column in (1, 2):
            ws.cell(ws.max_row, column).font = Font(color="A0A0A0", size=8)


def _lines(text: Any, width: float) -> int:
    """How many lines a wrapped cell takes (a character is about one width unit)."""
    if text is None:
        return 1
    return sum(max(1, -(-len(part) // max(int(width) - 1, 1))) for part in str(text).split("\n"))


def _fit(column: Column, values: list[Any]) -> float:
    if column.width is not None:
        return column.width
    longest = max(
        [len(column.key)]
        + [10 if isinstance(v, dt.date) else len(str(v)) for v in values if v is not None]
    )
    return min(max(longest + 2, 8), 40)


def _table(ws, columns: list[Column], items: list, form: Form) -> None:
    ws.append([t(c.label) for c in columns])
    ws.append([c.key for c in columns])
    for item in items:
        ws.append([_value(c, item) for c in columns])
    last = max(ws.max_row, 3)
    fill = PatternFill("solid", fgColor="FFF2CC")
    head = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        values = [_value(column, item) for item in items]
        dimension = ws.column_dimensions[letter]
        dimension.width = _fit(column, values)  # heights follow below
        dimension.hidden = column.hidden
        label, key = ws.cell(1, index), ws.cell(2, index)
        label.font, label.alignment, label.fill = Font(bold=True), wrap, head
        key.font = Font(color="808080", size=9)
        long_text = column.width is not None and column.width >= 18
        for row in range(3, last + 1):
            cell = ws.cell(row, index)
            cell.alignment = wrap if long_text else top
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "whole":
                cell.number_format = "0"
            if column.fill:
                cell.fill = fill
                cell.protection = Protection(locked=False)
        if column.fill:
            label.fill = fill
            rule = _validation(column, DataValidation)
            if rule is not None:
                ws.add_data_validation(rule)
                rule.add(f"{letter}3:{letter}{last}")
    ws.row_dimensions[1].height = 45
    widths = [_fit(c, [_value(c, item) for item in items]) for c in columns]
    for row, item in enumerate(items, start=3):
        lines = max(_lines(_value(c, item), w) for c, w in zip(columns, widths, strict=True))
        ws.row_dimensions[row].height = 15 * min(lines, 12)
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last}"
    ws.protection.sheet = True  # no password: a unit may lift it in two clicks
    for allowed in ("formatColumns", "formatRows", "insertRows", "autoFilter", "sort"):
        setattr(ws.protection, allowed, False)


PROMPTS = {
    "status": "cycle.form.prompt.status",
    "progress": "cycle.form.prompt.progress",
    "completed": "cycle.form.prompt.completed",
    "kind": "cycle.form.prompt.kind",
    "value": "cycle.form.prompt.value",
    "date": "cycle.form.prompt.date",
}
ERRORS = {
    "status": "cycle.form.error.status",
    "kind": "cycle.form.error.kind",
    "whole": "cycle.form.error.whole",
    "date": "cycle.form.error.date",
    "number": "cycle.form.error.number",
}


def _validation(column: Column, DataValidation):  # noqa: N803 (the openpyxl class)
    prompt = t(PROMPTS[column.key]) if column.key in PROMPTS else None
    if column.kind == "status":
        rule = DataValidation(type="list", formula1=f"_lists!$A$1:$A${len(TASK_STATUSES)}")
    elif column.kind == "kind":
        rule = DataValidation(type="list", formula1=f"_lists!$B$1:$B${len(UPDATE_KINDS)}")
    elif column.kind == "whole":
        rule = DataValidation(type="whole", operator="between", formula1="0", formula2="100")
    elif column.kind == "date":
        rule = DataValidation(
            type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2199,12,31)"
        )
    elif column.kind == "number":
        rule = DataValidation(
            type="decimal", operator="between", formula1="-1E+15", formula2="1E+15"
        )
    else:
        return None
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.errorTitle = t("cycle.form.error_title")
    rule.error = t(ERRORS[column.kind])
    if prompt:
        rule.showInputMessage = True
        rule.prompt = prompt
    return rule
