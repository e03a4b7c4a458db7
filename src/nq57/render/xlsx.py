"""`nq57 export --format xlsx`: an Excel workbook an analyst can filter at once.

Sheet "Nhiệm vụ": one row per task, bold frozen header, autofilter, real dates.
Sheet "Chỉ tiêu": KPIs with target, latest value and attainment.
The bytes depend only on the data and the as-of date (see :func:`workbook_bytes`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from nq57.analysis.tasks import CLASS_LABELS
from nq57.export import STATUS_LABELS, Export

DATE_FORMAT = "DD/MM/YYYY"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# (header, width, wrapped, value of a task state)
TASK_COLUMNS = [
    ("Mã nhiệm vụ", 26, False, lambda s: s.task.id),
    ("Kế hoạch", 20, False, lambda s: s.task.decision),
    ("Số TT", 8, False, lambda s: s.task.ref),
    ("Nội dung nhiệm vụ", 60, True, lambda s: s.task.title),
    ("Chủ trì", 30, True, lambda s: "; ".join(s.task.lead)),
    ("Phối hợp", 30, True, lambda s: "; ".join(s.task.support)),
    ("Thời hạn (như văn bản)", 20, True, lambda s: _text(s.task.deadline)),
    ("Hạn tính được", 13, False, lambda s: s.due),
    ("Định kỳ", 11, False, lambda s: s.recurrence),
    ("Trạng thái", 16, False, lambda s: STATUS_LABELS.get(s.task.status, s.task.status)),
    ("Phân loại", 24, False, lambda s: CLASS_LABELS[s.klass]),
    ("Mã phân loại", 14, False, lambda s: s.klass),
    ("Số ngày quá hạn", 10, False, lambda s: s.days_overdue),
    ("Số ngày còn lại", 10, False, lambda s: s.days_left),
    ("Ngày hoàn thành", 13, False, lambda s: s.task.completed),
]
KPI_COLUMNS = [
    ("Mã chỉ tiêu", 24, False, lambda k: k.kpi.id),
    ("Tên chỉ tiêu", 60, True, lambda k: k.kpi.name),
    ("Đơn vị tính", 12, False, lambda k: k.kpi.unit),
    ("Mục tiêu", 24, True, lambda k: k.kpi.target),
    ("Năm", 8, False, lambda k: k.kpi.year),
    ("Chủ trì", 28, True, lambda k: k.kpi.owner),
    ("Giá trị gần nhất", 12, False, lambda k: k.latest.value if k.latest else None),
    ("Ngày số liệu", 13, False, lambda k: k.latest.date if k.latest else None),
    ("Đánh giá", 20, False, lambda k: k.label),
    ("Mức hoàn thành", 12, False, lambda k: k.progress),
]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _sheet(ws: Worksheet, columns, items) -> None:
    ws.append([header for header, *_ in columns])
    for item in items:
        ws.append([value(item) for *_, value in columns])
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


def build_workbook(export: Export) -> Workbook:
    wb = Workbook()
    tasks = wb.active
    tasks.title = "Nhiệm vụ"
    _sheet(tasks, TASK_COLUMNS, export.states)
    kpis = wb.create_sheet("Chỉ tiêu")
    _sheet(kpis, KPI_COLUMNS, export.kpis)
    for (cell,) in kpis.iter_rows(min_row=2, min_col=10, max_col=10):
        cell.number_format = "0%"
    stamp = dt.datetime.combine(export.as_of, dt.time())
    wb.properties.creator = "nq57"
    wb.properties.lastModifiedBy = "nq57"
    wb.properties.title = f"Nhiệm vụ và chỉ tiêu ngày {export.as_of:%d/%m/%Y}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def workbook_bytes(export: Export) -> bytes:
    """The .xlsx file. openpyxl stamps the save time into docProps/core.xml and every zip
    entry; both are replaced by the as-of date, so the same data gives identical bytes."""
    wb = build_workbook(export)
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = wb.properties.created  # save() set it to now
    core = tostring(wb.properties.to_tree())
    day = max(export.as_of, dt.date(1980, 1, 1))  # the earliest date a zip entry can hold
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
