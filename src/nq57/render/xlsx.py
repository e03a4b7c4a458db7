"""`nq57 export --format xlsx`: an Excel workbook an analyst can filter at once.

Sheet "Nhiệm vụ" (Tasks): one row per task, bold frozen header, autofilter, real dates.
Sheet "Chỉ tiêu" (KPIs): KPIs with target, latest value and attainment.
Sheet names, column headings and labels follow the interface language; the columns
and their order are the same in every language (keys ``export.xlsx.task.<column>``),
and the "class" column holds the code (overdue, ...) for filters that must not depend
on the language. Machine-readable exports are the CSV (headings are fixed keys).
The bytes depend only on the data and the as-of date (see :func:`workbook_bytes`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from nq57.analysis.labels import class_label, pace_label, status_label
from nq57.i18n import t
from nq57.render.export import Export

DATE_FORMAT = "DD/MM/YYYY"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# (catalogue key of the heading, width, wrapped, value of a task state)
TASK_COLUMNS = [
    ("export.xlsx.task.id", 26, False, lambda s: s.task.id),
    ("export.xlsx.task.decision", 20, False, lambda s: s.task.decision),
    ("export.xlsx.task.ref", 8, False, lambda s: s.task.ref),
    ("export.xlsx.task.title", 60, True, lambda s: s.task.title),
    ("export.xlsx.task.lead", 30, True, lambda s: "; ".join(s.task.lead)),
    ("export.xlsx.task.support", 30, True, lambda s: "; ".join(s.task.support)),
    ("export.xlsx.task.deadline", 20, True, lambda s: _text(s.task.deadline)),
    ("export.xlsx.task.due", 13, False, lambda s: s.due),
    ("export.xlsx.task.recurrence", 11, False, lambda s: s.recurrence),
    ("export.xlsx.task.status", 16, False, lambda s: status_label(s.task.status)),
    ("export.xlsx.task.class_label", 24, False, None),  # the workbook's class_label
    ("export.xlsx.task.class", 14, False, lambda s: s.klass),
    ("export.xlsx.task.days_overdue", 10, False, lambda s: s.days_overdue),
    ("export.xlsx.task.days_left", 10, False, lambda s: s.days_left),
    ("export.xlsx.task.completed", 13, False, lambda s: s.task.completed),
    ("export.xlsx.task.progress", 10, False, lambda s: s.progress),
    ("export.xlsx.task.progress_source", 12, False, lambda s: s.progress_source),
]
KPI_COLUMNS = [
    ("export.xlsx.kpi.id", 24, False, lambda k: k.kpi.id),
    ("export.xlsx.kpi.name", 60, True, lambda k: k.kpi.name),
    ("export.xlsx.kpi.unit", 12, False, lambda k: k.kpi.unit),
    ("export.xlsx.kpi.target", 24, True, lambda k: k.kpi.target),
    ("export.xlsx.kpi.year", 8, False, lambda k: k.kpi.year),
    ("export.xlsx.kpi.owner", 28, True, lambda k: k.kpi.owner),
    ("export.xlsx.kpi.latest", 12, False, lambda k: k.latest.value if k.latest else None),
    ("export.xlsx.kpi.date", 13, False, lambda k: k.latest.date if k.latest else None),
    ("export.xlsx.kpi.label", 20, False, lambda k: k.label),
    ("export.xlsx.kpi.pace", 22, False, lambda k: pace_label(k.pace.status)),
    ("export.xlsx.kpi.progress", 12, False, lambda k: k.progress),
]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _sheet(ws: Worksheet, columns, items) -> None:
    ws.append([t(key) for key, *_ in columns])
    for item in items:
        ws.append([value(item) for *_, value in columns])
    _format(ws, columns)


def _format(ws: Worksheet, columns) -> None:
    bold = Font(bold=True)
    for index, (_, width, wrapped, _) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        for (cell,) in ws.iter_rows(min_col=index, max_col=index):
            cell.alignment = WRAP if wrapped or cell.row == 1 else TOP
            if cell.row == 1:
                cell.font = bold
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"


def build_workbook(export: Export, label: Callable[[str], str] = class_label) -> Workbook:
    wb = Workbook()
    tasks = wb.active
    tasks.title = t("export.xlsx.sheet_tasks")
    columns = [
        (key, width, wrapped, (lambda s: label(s.klass)) if value is None else value)
        for key, width, wrapped, value in TASK_COLUMNS
    ]
    _sheet(tasks, columns, export.states)
    kpis = wb.create_sheet(t("export.xlsx.sheet_kpis"))
    _sheet(kpis, KPI_COLUMNS, export.kpis)
    for (cell,) in kpis.iter_rows(min_row=2, min_col=11, max_col=11):
        cell.number_format = "0%"
    stamp = dt.datetime.combine(export.as_of, dt.time())
    wb.properties.creator = "nq57"
    wb.properties.lastModifiedBy = "nq57"
    wb.properties.title = t("export.xlsx.title", date=f"{export.as_of:%d/%m/%Y}")
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def workbook_bytes(export: Export, label: Callable[[str], str] = class_label) -> bytes:
    """The .xlsx file; the same data and as-of date give identical bytes. ``label`` names
    a task class (the monthly report's appendix passes its own: "due soon" there means
    due by the end of next month)."""
    return stable_bytes(build_workbook(export, label), export.as_of)


def stable_bytes(wb: Workbook, as_of: dt.date) -> bytes:
    """A workbook saved so that its bytes depend on its content only: openpyxl stamps the
    save time into docProps/core.xml and every zip entry; both are replaced by ``as_of``."""
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = wb.properties.created  # save() set it to now
    core = tostring(wb.properties.to_tree())
    # A zip entry's date holds the years 1980 to 2107 only.
    day = min(max(as_of, dt.date(1980, 1, 1)), dt.date(2107, 12, 31))
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()
