"""`nq57 export`: CSV for Excel, an XLSX workbook, an ICS calendar (tests/fixtures/status)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile

import icalendar
import openpyxl
import pytest

from nq57.i18n import DEFAULT_LANGUAGE, set_language

from conftest import FIXTURES, invoke

STATUS = str(FIXTURES / "status")
AS_OF = "2025-07-15"
TASKS = 19  # files in tests/fixtures/status/tasks
# Open tasks with a due date as of 2025-07-15 (classes overdue, due_soon, on_track).
DATED_OPEN = {
    "NEW/annual-new",
    "NEW/before",
    "NEW/beyond",
    "NEW/halfyear",
    "NEW/in-progress",
    "NEW/overdue",
    "NEW/quarter",
    "NEW/quarterly",
    "NEW/range",
    "NEW/today",
    "NEW/window-end",
    "NEW/yesterday",
    "OLD/annual-missed",
    "OLD/annual-ok",
}


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """`run(["--lang", "en", ...])` sets the language of the process: back to the default."""
    yield
    set_language(DEFAULT_LANGUAGE)


def export(capsys, tmp_path, fmt: str, *extra: str) -> tuple[int, bytes, str]:
    target = tmp_path / f"out.{fmt}"
    code, _, err = invoke(
        capsys, "export", "-f", fmt, "-o", str(target), "--data", STATUS, "--as-of", AS_OF, *extra
    )
    return code, (target.read_bytes() if target.exists() else b""), err


# --- CSV ----------------------------------------------------------------------------


def test_csv_to_stdout_starts_with_a_bom_and_round_trips(capsys):
    code, out, _ = invoke(capsys, "export", "--data", STATUS, "--as-of", AS_OF)
    assert code == 0
    assert out.startswith("\ufeffid,decision,ref,title,")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert len(rows) == TASKS  # one header row, then every task
    by_id = {r["id"]: r for r in rows}
    overdue = by_id["NEW/overdue"]
    assert (overdue["due"], overdue["class"], overdue["days_overdue"]) == (
        "2025-06-30",
        "overdue",
        "15",
    )
    assert overdue["class_label"] == "Quá hạn"
    assert overdue["deadline"] == "Tháng 6/2025"
    assert by_id["NEW/done-late"]["completed"] == "2025-07-02"
    assert by_id["NEW/yesterday"]["lead"] == "Bộ Kế hoạch và Đầu tư"


def test_csv_file_decodes_with_utf8_sig(capsys, tmp_path):
    code, data, _ = export(capsys, tmp_path, "csv")
    assert code == 0 and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert {r["class_label"] for r in rows} >= {"Quá hạn", "Sắp đến hạn", "Đã hủy"}


def test_csv_scope_follows_decision_and_lead(capsys):
    minimal = str(FIXTURES / "minimal")
    _, out, _ = invoke(capsys, "export", "--data", minimal, "--decision", "DEC-B")
    assert [r["id"] for r in csv.DictReader(io.StringIO(out[1:]))] == ["DEC-B/1"]
    _, out, _ = invoke(capsys, "export", "--data", minimal, "--lead", "Cục Thuế")
    assert [r["id"] for r in csv.DictReader(io.StringIO(out[1:]))] == ["DEC-B/1"]
    code, _, err = invoke(capsys, "export", "--data", minimal, "--decision", "NOPE")
    assert code == 1 and "không có văn bản 'NOPE'" in err and "Traceback" not in err


# --- XLSX ---------------------------------------------------------------------------


def test_xlsx_sheet_layout(capsys, tmp_path):
    code, data, _ = export(capsys, tmp_path, "xlsx")
    assert code == 0
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Nhiệm vụ", "Chỉ tiêu"]
    ws = wb["Nhiệm vụ"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Mã nhiệm vụ", "Kế hoạch", "Số TT", "Nội dung nhiệm vụ"]
    assert {"Hạn tính được", "Phân loại", "Mã phân loại"} <= set(header)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{TASKS + 1}"
    assert ws.max_row == TASKS + 1
    title = header.index("Nội dung nhiệm vụ") + 1
    letter = openpyxl.utils.get_column_letter(title)
    assert ws.column_dimensions[letter].width == 60
    assert ws.cell(2, title).alignment.wrap_text
    assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])

    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)}
    overdue = rows["NEW/overdue"]
    assert overdue["Hạn tính được"] == dt.datetime(2025, 6, 30)  # a real date, not text
    assert overdue["Phân loại"] == "Quá hạn" and overdue["Mã phân loại"] == "overdue"
    assert overdue["Chủ trì"] == "Cục Thuế"
    assert overdue["Số ngày quá hạn"] == 15
    assert rows["NEW/continuous"]["Hạn tính được"] is None
    due_cell = ws.cell(header.index("Hạn tính được") + 1, 1)  # any row: find the NEW/overdue one
    for row in ws.iter_rows(2):
        if row[0].value == "NEW/overdue":
            due_cell = row[header.index("Hạn tính được")]
    assert due_cell.is_date and due_cell.number_format == "DD/MM/YYYY"


def test_xlsx_kpi_sheet(capsys, tmp_path):
    _, data, _ = export(capsys, tmp_path, "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    assert {"Mục tiêu", "Giá trị gần nhất", "Đánh giá", "Mức hoàn thành"} <= set(header)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)}
    share = rows["NEW/share"]  # 85 measured 2025-06-30; the 2025-08-30 value is after as-of
    assert share["Mục tiêu"] == "≥ 80"
    assert share["Giá trị gần nhất"] == 85
    assert share["Ngày số liệu"] == dt.datetime(2025, 6, 30)
    assert share["Đánh giá"] == "Đạt"
    assert rows["NEW/rank"]["Tên chỉ tiêu"] == "Xếp hạng chỉ số đổi mới sáng tạo toàn cầu"


def test_xlsx_is_byte_identical_for_the_same_data(capsys, tmp_path, monkeypatch):
    first = tmp_path / "a.xlsx"
    second = tmp_path / "b.xlsx"
    args = ["export", "-f", "xlsx", "--data", STATUS, "--as-of", AS_OF, "-o"]
    assert invoke(capsys, *args, str(first))[0] == 0
    later = time.time() + 86_400 * 3  # the clock moves on: zip entries would be stamped
    monkeypatch.setattr(time, "time", lambda: later)
    assert invoke(capsys, *args, str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 7, 15, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-07-15T00:00:00Z" in core and ">nq57</dc:creator>" in core
    props = openpyxl.load_workbook(first).properties
    assert props.creator == "nq57"
    assert props.created == props.modified == dt.datetime(2025, 7, 15)


def test_xlsx_default_path_and_force(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["export", "-f", "xlsx", "--data", STATUS, "--as-of", AS_OF]
    code, _, err = invoke(capsys, *base)
    target = tmp_path / "exports" / "tasks.xlsx"
    assert code == 0 and target.is_file() and "exports/tasks.xlsx" in err
    target.write_bytes(b"analyst's edits")
    code, _, err = invoke(capsys, *base)
    assert code == 1 and "--force" in err and "Traceback" not in err
    assert target.read_bytes() == b"analyst's edits"  # refused: untouched
    assert invoke(capsys, *base, "--force")[0] == 0
    assert zipfile.is_zipfile(target)
    code, _, err = invoke(capsys, *base, "-o", str(tmp_path))
    assert code == 1 and "là một thư mục" in err


# --- ICS ----------------------------------------------------------------------------


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_task_events(capsys, tmp_path):
    code, data, _ = export(capsys, tmp_path, "ics")
    assert code == 0
    events = _events(data)
    tasks = {uid.removesuffix("@nq57") for uid in events if not uid.startswith("filing-")}
    assert tasks == DATED_OPEN  # no done, cancelled or undated task
    event = events["NEW/overdue@nq57"]
    assert event["DTSTART"].dt == dt.date(2025, 6, 30)
    assert event.get("DTSTART").params["VALUE"] == "DATE"  # all-day
    assert str(event["SUMMARY"]) == "Hạn: overdue Nhiệm vụ overdue"
    description = str(event["DESCRIPTION"])
    assert "NEW/overdue" in description and "Chủ trì: Cục Thuế" in description
    assert "Thời hạn: Tháng 6/2025" in description
    assert event["DTSTAMP"].dt == dt.datetime(2025, 7, 15, tzinfo=dt.UTC)


def test_ics_filing_events_cover_the_next_twelve_months(capsys, tmp_path):
    _, data, _ = export(capsys, tmp_path, "ics")
    filings = [e for uid, e in _events(data).items() if uid.startswith("filing-")]
    days = sorted(e["DTSTART"].dt for e in filings)
    monthly = [dt.date(2025 + (m > 12), (m - 1) % 12 + 1, 5) for m in range(8, 20)]
    quarterly = [dt.date(2025, 9, 15), dt.date(2025, 12, 15), dt.date(2026, 3, 15)]
    assert days == sorted([*monthly, *quarterly, dt.date(2026, 6, 15)])
    assert all(dt.date(2025, 7, 15) <= d < dt.date(2026, 7, 15) for d in days)
    summaries = {str(e["SUMMARY"]) for e in filings}
    assert summaries == {"Báo cáo hằng tháng: 2/QĐ-BTC", "Báo cáo hằng quý: 2/QĐ-BTC"}
    assert len({str(e["UID"]) for e in filings}) == len(filings)


def test_ics_wire_format(capsys, tmp_path):
    _, data, _ = export(capsys, tmp_path, "ics")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a character


def test_ics_escapes_text_values(capsys, copy_fixture):
    folder = copy_fixture("minimal")
    title = (
        "Rà soát, sửa đổi; bổ sung quy định \\ thuế điện tử đối với hộ kinh doanh trên nền tảng số"
    )
    (folder / "tasks" / "DEC-A" / "3.yaml").write_text(
        "id: DEC-A/3\ndecision: DEC-A\nref: '3.'\n"
        f'title: "{title.replace(chr(92), chr(92) * 2)}"\n'
        "lead: [Cục Thuế]\ndeadline: Tháng 12/2025\n",
        encoding="utf-8",
    )
    target = folder.parent / "han.ics"
    code, _, err = invoke(
        capsys, "export", "-f", "ics", "-o", str(target), "--data", str(folder), "--as-of", AS_OF
    )
    assert code == 0, err
    raw = target.read_bytes().decode()
    assert "Rà soát\\, sửa đổi\\; bổ sung quy định \\\\ thuế" in raw.replace("\r\n ", "")
    event = _events(target.read_bytes())["DEC-A/3@nq57"]
    assert f"Nội dung: {title}" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]).startswith("Hạn: 3. Rà soát, sửa đổi; bổ sung")


def test_ics_folds_long_lines_by_octets(capsys, copy_fixture):
    """Lines of at most 75 octets, never folded inside a character; unfolded, the text
    is whole and the description's lines are escaped newlines."""
    folder = copy_fixture("minimal")
    title = "ệ" * 100  # 3 octets each
    (folder / "tasks" / "DEC-A" / "3.yaml").write_text(
        f"id: DEC-A/3\ndecision: DEC-A\nref: '3.'\ntitle: {title}\nlead: [Cục Thuế]\n"
        "deadline: Tháng 12/2025\n",
        encoding="utf-8",
    )
    target = folder.parent / "han.ics"
    args = ("export", "-f", "ics", "-o", str(target), "--data", str(folder), "--as-of", AS_OF)
    code, _, err = invoke(capsys, *args)
    assert code == 0, err
    data = target.read_bytes()
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert f"\\nNội dung: {title}\r\n" in unfolded
    assert str(_events(data)["DEC-A/3@nq57"]["DESCRIPTION"]).endswith(f"\nNội dung: {title}")


def test_ics_same_data_same_bytes(capsys, tmp_path):
    """The file depends on the data and --as-of only (DTSTAMP is the as-of date)."""
    _, first, _ = export(capsys, tmp_path, "ics")
    (tmp_path / "out.ics").unlink()
    _, second, _ = export(capsys, tmp_path, "ics")
    assert first == second
    stamps = {line for line in first.split(b"\r\n") if line.startswith(b"DTSTAMP")}
    assert stamps == {b"DTSTAMP:20250715T000000Z"}


# --- interface language ---------------------------------------------------------------


def test_csv_keeps_its_keys_in_english_and_translates_the_label_only(capsys):
    _, vietnamese, _ = invoke(capsys, "export", "--data", STATUS, "--as-of", AS_OF)
    _, english, _ = invoke(capsys, "--lang", "en", "export", "--data", STATUS, "--as-of", AS_OF)
    assert english.splitlines()[0] == vietnamese.splitlines()[0]  # the same machine keys
    rows_vi = list(csv.DictReader(io.StringIO(vietnamese.removeprefix("\ufeff"))))
    rows_en = list(csv.DictReader(io.StringIO(english.removeprefix("\ufeff"))))
    labels = {r["id"]: r["class_label"] for r in rows_en}
    assert labels["NEW/overdue"] == "Overdue" and labels["NEW/cancelled"] == "Cancelled"
    strip = [{k: v for k, v in r.items() if k != "class_label"} for r in rows_en]
    assert strip == [{k: v for k, v in r.items() if k != "class_label"} for r in rows_vi]


def test_xlsx_headings_and_labels_in_english(capsys, tmp_path):
    _, data_vi, _ = export(capsys, tmp_path, "xlsx")
    target = tmp_path / "en.xlsx"
    args = ("export", "-f", "xlsx", "-o", str(target), "--data", STATUS, "--as-of", AS_OF)
    code, _, err = invoke(capsys, "--lang", "en", *args)
    assert code == 0, err
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Tasks", "KPIs"]
    ws = wb["Tasks"]
    header = [c.value for c in ws[1]]
    vi_header = [c.value for c in openpyxl.load_workbook(io.BytesIO(data_vi))["Nhiệm vụ"][1]]
    assert len(header) == len(vi_header)  # the same columns, in the same order
    assert header[:4] == ["Task id", "Plan", "No.", "Task"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)}
    overdue = rows["NEW/overdue"]
    assert overdue["Class"] == "Overdue" and overdue["Class code"] == "overdue"
    assert overdue["Status"] == "Not started"
    kpis = wb["KPIs"]
    header = [c.value for c in kpis[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in kpis.iter_rows(2, values_only=True)}
    assert rows["NEW/share"]["Assessment"] == "Met"
    assert wb.properties.title == "Tasks and KPIs as of 15/07/2025"


def test_ics_texts_in_english(capsys, tmp_path):
    target = tmp_path / "en.ics"
    args = ("export", "-f", "ics", "-o", str(target), "--data", STATUS, "--as-of", AS_OF)
    assert invoke(capsys, "--lang", "en", *args)[0] == 0
    events = _events(target.read_bytes())
    event = events["NEW/overdue@nq57"]
    assert str(event["SUMMARY"]) == "Due: overdue Nhiệm vụ overdue"
    description = str(event["DESCRIPTION"])
    assert "Task id: NEW/overdue" in description and "Lead: Cục Thuế" in description
    assert "Deadline: Tháng 6/2025" in description and "Status: Overdue" in description
    summaries = {str(e["SUMMARY"]) for uid, e in events.items() if uid.startswith("filing-")}
    assert summaries == {"Report (monthly): 2/QĐ-BTC", "Report (quarterly): 2/QĐ-BTC"}
    assert set(events) == set(_events(export(capsys, tmp_path, "ics")[1]))  # the same events
