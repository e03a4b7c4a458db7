"""The monthly cycle through the CLI: `nq57 form` for a unit, filled, `nq57 ingest`.

The plan of tests/fixtures/cycle has two units of Bộ Tài chính (Cục Tin học và Thống kê
tài chính, Vụ Ngân sách nhà nước); each test works on a git repository copy of it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES, check_golden, invoke

CUC = "Cục Tin học và Thống kê tài chính"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """tests/fixtures/cycle as data/ of a fresh git repository (the current folder)."""
    shutil.copytree(FIXTURES / "cycle", tmp_path / "data")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "fixture")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _form(capsys, path: str, *extra: str) -> None:
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--lead", "Cục Tin học", "--month", "2025-09",
        "-o", path, *extra,
    )  # fmt: skip
    assert code == 0, err


def _fill(source: str, target: str, tasks: dict, kpis: dict | None = None) -> dict:
    """Write {id: {key: value}} into the form's fill-in cells (found by the header keys);
    returns {(id, key): cell coordinate}."""
    wb = load_workbook(source)
    where = {}
    for sheet, values in ((wb["Nhiệm vụ"], tasks), (wb["Chỉ tiêu"], kpis or {})):
        keys = {cell.value: cell.column for cell in sheet[2]}
        for row in range(3, sheet.max_row + 1):
            entity = sheet.cell(row, keys["id"]).value
            for key, value in values.get(entity, {}).items():
                cell = sheet.cell(row, keys[key])
                cell.value = value
                where[(entity, key)] = cell.coordinate
    wb.save(target)
    return where


def test_the_whole_cycle(repo, capsys):
    _form(capsys, "cuc.xlsx")
    wb = load_workbook("cuc.xlsx")
    assert wb.sheetnames[:3] == ["Hướng dẫn", "Nhiệm vụ", "Chỉ tiêu"]
    assert wb.defined_names["nq57_as_of"].attr_text == '"2025-09-30"'
    tasks = wb["Nhiệm vụ"]
    keys = [c.value for c in tasks[2]]
    assert keys[0] == "id" and {"status", "progress", "note", "completed", "kind"} <= set(keys)
    assert tasks["A1"].value == "Mã" and tasks.freeze_panes == "B3"
    # Open tasks of the unit, by due date: not the done 1.1, the cancelled 3, Vụ NSNN's 2.
    assert [tasks.cell(r, 1).value for r in range(3, tasks.max_row + 1)] == [
        "KH-1/1.2", "KH-1/4", "KH-2/1", "KH-1/1",
    ]  # fmt: skip
    assert tasks.protection.sheet and not tasks.protection.password
    status_col = keys.index("status") + 1
    assert tasks.cell(3, status_col).protection.locked is False
    assert tasks.cell(3, 1).protection.locked is True
    rules = sorted(dv.type for dv in tasks.data_validations.dataValidation)
    assert rules == ["date", "list", "list", "whole"]
    cover = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    # the next filing on or after the form's date (30/09), as status gives it: not 20/09
    assert CUC in cover and "30/09/2025" in cover and "trước ngày 20/10/2025" in cover

    _fill(
        "cuc.xlsx",
        "cuc-filled.xlsx",
        {
            "KH-1/1.2": {
                "status": "Hoàn thành",
                "completed": "28/09/2025",
                "note": "Đã nghiệm thu",
            },
            "KH-1/4": {
                "status": "Đang thực hiện (in_progress)",
                "progress": "40%",
                "note": "Thiếu giảng viên",
                "kind": "Khó khăn, vướng mắc",
            },
        },
        {"KH-1/1": {"value": "62,5", "source": "Báo cáo tháng 9"}},
    )
    code, out, err = invoke(capsys, "ingest", "cuc-filled.xlsx", "--data", "data")
    assert code == 0, err
    assert "KH-1/1.2" in out and "KH-1/4" in out and "KH-1/1" in out
    changed = _git(repo, "diff", "--name-only").split()
    assert changed == [
        "data/kpis/KH-1/1.yaml",
        "data/tasks/KH-1/1.2.yaml",
        "data/tasks/KH-1/4.yaml",
    ]
    added = [
        line[1:]
        for line in _git(repo, "diff", "-U0").splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    assert added == [
        "  - date: 2025-09-30",
        "    value: 62.5",
        "    source: Báo cáo tháng 9",
        "status: done",
        "completed: 2025-09-28",
        "  - date: 2025-09-30",
        "    status: done",
        "    progress: 100",
        "    note: Đã nghiệm thu",
        "status: in_progress",
        "updates:",
        "  - date: 2025-09-30",
        "    status: in_progress",
        "    progress: 40",
        "    note: Thiếu giảng viên",
        "    kind: difficulty",
    ]
    removed = [
        line
        for line in _git(repo, "diff", "-U0").splitlines()
        if line.startswith("-") and not line.startswith("---")
    ]
    assert removed == ["-status: in_progress"]  # KH-1/1.2's status line, replaced
    assert "# ước tính của đơn vị" in (repo / "data/tasks/KH-1/1.2.yaml").read_text("utf-8")

    code, out, _ = invoke(
        capsys, "status", "--data", "data", "--as-of", "2025-09-30", "--format", "json"
    )
    report = json.loads(out)
    stale = {r["id"] for r in report["stale"]}
    assert "KH-1/1.2" not in stale and "KH-1/4" not in stale and "KH-1/2" in stale
    assert "KH-1/1" not in {k["id"] for k in report["stale_kpis"]}
    code, out, _ = invoke(
        capsys, "show", "KH-1/1.2", "--data", "data", "--as-of", "2025-09-30", "--format", "json"
    )
    assert json.loads(out)["computed"]["class"] == "done_on_time"

    before = _git(repo, "diff")
    code, out, err = invoke(capsys, "ingest", "cuc-filled.xlsx", "--data", "data")
    assert code == 0, err
    assert out == "" and "3 dòng đã có" in err
    assert _git(repo, "diff") == before

    where = _fill("cuc.xlsx", "cuc-bad.xlsx", {
        "KH-1/4": {"progress": "60"},
        "KH-2/1": {"progress": "140"},
    })  # fmt: skip
    code, out, err = invoke(capsys, "ingest", "cuc-bad.xlsx", "--data", "data")
    assert code == 1
    assert f"cuc-bad.xlsx:Nhiệm vụ!{where[('KH-2/1', 'progress')]}: E303" in err
    assert "không ghi tệp nào" in err
    assert _git(repo, "diff") == before


def test_dry_run_writes_nothing(repo, capsys):
    _form(capsys, "cuc.xlsx")
    _fill("cuc.xlsx", "f.xlsx", {"KH-1/4": {"progress": 30}})
    code, out, err = invoke(capsys, "ingest", "f.xlsx", "--data", "data", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == ["data/tasks/KH-1/4.yaml: KH-1/4: 30%"]
    assert _git(repo, "status", "--porcelain", "data") == ""


ERRORS_CSV = {
    "KH-1/1.2": {"status": "Xong"},
    "KH-1/4": {"status": "Hoàn thành"},
    "KH-2/1": {"completed": "31/02/2025"},
    "KH-1/1": {"completed": "15/05/2025", "kind": "rủi ro", "value": "12abc"},
}


def _fill_csv(source: str, target: str, rows: dict, extra: list[list[str]] = ()) -> None:
    lines = list(csv.reader(io.StringIO(Path(source).read_text("utf-8-sig"))))
    header: list[str] = []
    for line in lines:
        if "id" in line and ("status" in line or "value" in line):
            header = line
        elif header and line and line[0] in rows:
            for key, value in rows[line[0]].items():
                if key in header:  # KH-1/1 is a task and a KPI: each table its own keys
                    line[header.index(key)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([*lines, *extra])
    Path(target).write_text(buf.getvalue(), encoding="utf-8-sig")


def test_errors_name_the_cell_golden(repo, capsys):
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--lead", "Cục Tin học", "--as-of", "2025-09-15",
        "-o", "cuc.csv",
    )  # fmt: skip
    assert code == 0, err
    extra = [["id", "progress"], ["KH-1/99", "50"]]
    _fill_csv("cuc.csv", "bad.csv", ERRORS_CSV, extra)
    code, _, err = invoke(capsys, "ingest", "bad.csv", "--data", "data")
    assert code == 1
    check_golden("ingest_errors.txt", err)
    code, _, err = invoke(capsys, "--lang", "en", "ingest", "bad.csv", "--data", "data")
    assert code == 1
    check_golden("ingest_errors.en.txt", err)
    assert _git(repo, "status", "--porcelain", "data") == ""


def test_a_mistyped_year_is_refused(repo, capsys):
    """A completion or measurement date years after the report date (2052 for 2025) would
    silently hide the row until then: the form is refused, naming the cell."""
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--lead", "Cục Tin học", "--as-of", "2025-09-15",
        "-o", "cuc.csv",
    )  # fmt: skip
    assert code == 0, err
    rows = {"KH-2/1": {"completed": "20/09/2052"}, "KH-1/1": {"value": "12", "date": "30/09/2205"}}
    _fill_csv("cuc.csv", "late.csv", rows)
    code, _, err = invoke(capsys, "ingest", "late.csv", "--data", "data")
    assert code == 1
    lines = [line for line in err.splitlines() if "E315" in line]
    assert len(lines) == 2, err
    assert "20/09/2052" in lines[0] and "quá một năm" in lines[0]
    assert "30/09/2205" in lines[1]
    assert _git(repo, "status", "--porcelain", "data") == ""
    _fill_csv("cuc.csv", "ok.csv", {"KH-2/1": {"completed": "20/09/2025"}})
    code, _, err = invoke(capsys, "ingest", "ok.csv", "--data", "data", "--date", "01/01/2099")
    assert code == 1 and "01/01/2099" in err and "E315" not in err
    assert _git(repo, "status", "--porcelain", "data") == ""


def test_csv_form_round_trip_and_warnings(repo, capsys):
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--lead", "Cục Tin học", "--as-of", "2025-09-15",
        "-o", "cuc.csv",
    )  # fmt: skip
    assert code == 0, err
    # A task changed after the form's date: someone recorded progress meanwhile.
    code, _, err = invoke(
        capsys, "task", "update", "KH-2/1", "--progress", "75", "--date", "2025-09-16",
        "--data", "data",
    )  # fmt: skip
    assert code == 0, err
    _fill_csv(
        "cuc.csv",
        "filled.csv",
        {"KH-2/1": {"progress": "80", "note": "Đã chuẩn hóa 80%"}},
        # a row for Vụ Ngân sách nhà nước's task, added by hand
        [["id", "progress"], ["KH-1/2", "20"]],
    )
    code, out, err = invoke(capsys, "ingest", "filled.csv", "--data", "data")
    assert code == 0, err
    assert "W302" in err and "KH-2/1" in err
    assert "W301" in err and "Vụ Ngân sách nhà nước" in err
    assert "KH-1/2" in out
    text = (repo / "data/tasks/KH-2/1.yaml").read_text("utf-8")
    assert "  - date: 2025-09-15\n    progress: 80\n    note: Đã chuẩn hóa 80%\n" in text


def test_one_form_per_lead_agency_in_a_folder(repo, capsys):
    code, _, err = invoke(capsys, "form", "--data", "data", "--month", "2025-09", "-o", "out")
    assert code == 0, err
    assert sorted(p.name for p in (repo / "out").iterdir()) == [
        "cuc-tin-hoc-va-thong-ke-tai-chinh.xlsx",
        "vu-ngan-sach-nha-nuoc.xlsx",
    ]
    vu = load_workbook(repo / "out/vu-ngan-sach-nha-nuoc.xlsx")
    ids = [r[0] for r in vu["Nhiệm vụ"].iter_rows(min_row=3, values_only=True)]
    assert ids == ["KH-1/2"]
    code, _, err = invoke(capsys, "form", "--data", "data", "--month", "2025-09", "-o", "out")
    assert code == 1 and "vu-ngan-sach-nha-nuoc.xlsx" in err  # not overwritten


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lead", "Cuc Tin hox", "-o", "x.xlsx"], "Cục Tin học"),
        (["-o", "x.xlsx"], "--lead"),
        (["--lead", "Vụ NSNN", "--month", "2025-09", "--as-of", "2025-09-01"], "--month"),
        (["--lead", "Vụ NSNN", "-o", "x.csv", "--format", "xlsx"], "--format"),
    ],
)
def test_form_usage_errors(repo, capsys, args, message):
    code, _, err = invoke(capsys, "form", "--data", "data", *args)
    assert code == 2 and message in err


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_output_that_is_neither_a_form_file_nor_a_folder_is_a_usage_error(repo, capsys, lang):
    """`-o x.txt` once made a folder named x.txt; the help offers a .xlsx/.csv file or a
    folder, so another extension is a usage error that writes nothing, in either language."""
    for lead in ([], ["--lead", "Vụ NSNN"]):
        code, out, err = invoke(
            capsys, "--lang", lang, "form", "--data", "data", "--month", "2025-09", *lead,
            "-o", "x.txt",
        )  # fmt: skip
        assert code == 2 and out == ""
        assert err.startswith(("nq57: lỗi: -o x.txt: ", "nq57: error: -o x.txt: "))
        assert ".xlsx" in err and "Traceback" not in err
        assert not Path("x.txt").exists()
    check_golden(f"form_not_a_form_file.{lang}.txt", err)


def test_an_existing_folder_stays_a_folder_whatever_its_name(repo, capsys):
    Path("bm.2025").mkdir()
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--month", "2025-09", "-f", "csv", "-o", "bm.2025"
    )
    assert code == 0, err
    assert sorted(p.name for p in Path("bm.2025").iterdir()) == [
        "cuc-tin-hoc-va-thong-ke-tai-chinh.csv",
        "vu-ngan-sach-nha-nuoc.csv",
    ]
    Path("old.xlsx").mkdir()
    code, _, err = invoke(capsys, "form", "--data", "data", "--month", "2025-09", "-o", "old.xlsx")
    assert code == 0, err
    assert len(list(Path("old.xlsx").glob("*.xlsx"))) == 2


def test_report_and_form_say_the_same_about_a_format_against_the_extension(repo, capsys):
    """One message for both commands: the option, the file, and what to do."""
    _, _, form_err = invoke(
        capsys, "form", "--data", "data", "--lead", "Vụ NSNN", "-o", "a.csv", "-f", "xlsx"
    )
    _, _, report_err = invoke(
        capsys, "report", "--data", "data", "-m", "2025-09", "-o", "a.md", "-f", "docx"
    )
    assert form_err.replace("xlsx", "F").replace("a.csv", "P") == report_err.replace(
        "docx", "F"
    ).replace("a.md", "P")
    check_golden("format_mismatch.txt", form_err + report_err)
    assert not Path("a.csv").exists() and not Path("a.md").exists()


def test_report_writes_word_only_into_a_docx_file(repo, capsys):
    """`-f docx -o x.txt` would put a Word file under a text file's name."""
    for name in ("x.txt", "x.md", "x.pdf"):
        code, _, err = invoke(
            capsys, "report", "--data", "data", "-m", "2025-09", "-o", name, "-f", "docx"
        )
        assert code == 2 and "--format docx" in err and name in err, err
        assert not Path(name).exists()


def test_ingest_needs_a_date_and_a_form(repo, capsys):
    Path("plain.csv").write_text("id,progress\r\nKH-1/4,10\r\n", encoding="utf-8")
    code, _, err = invoke(capsys, "ingest", "plain.csv", "--data", "data")
    assert code == 1 and "plain.csv: E311" in err
    code, _, err = invoke(capsys, "ingest", "plain.csv", "--data", "data", "--date", "30/09/2025")
    assert code == 0, err
    Path("other.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    code, _, err = invoke(capsys, "ingest", "other.csv", "--data", "data")
    assert code == 1 and "other.csv: E312" in err


def test_rows_above_the_header_and_columns_in_any_order(repo, capsys):
    _form(capsys, "cuc.xlsx")
    wb = load_workbook("cuc.xlsx")
    tasks = wb["Nhiệm vụ"]
    tasks.insert_rows(1, 2)
    tasks["A1"] = "Cục Tin học: báo cáo tháng 9/2025"
    keys = {cell.value: cell.column for cell in tasks[4]}
    row = next(r for r in range(5, tasks.max_row + 1) if tasks.cell(r, 1).value == "KH-2/1")
    tasks.cell(row, keys["progress"]).value = 85
    extra = wb.create_sheet("Bổ sung")  # a unit's own table: other columns, other order
    extra.append(["Ghi chép của đơn vị"])
    extra.append([])
    extra.append(["note", "progress", "id"])
    extra.append(["Đã mở lớp thứ nhất", "55%", "KH-1/4"])
    extra.append(["", "abc", "KH-1/1.2"])
    wb.save("moved.xlsx")
    code, _, err = invoke(capsys, "ingest", "moved.xlsx", "--data", "data")
    assert code == 1 and err.startswith("moved.xlsx:Bổ sung!B5: E303")
    extra.delete_rows(5)
    wb.save("moved.xlsx")
    code, out, err = invoke(capsys, "ingest", "moved.xlsx", "--data", "data")
    assert code == 0, err
    assert _git(repo, "diff", "--name-only").split() == [
        "data/tasks/KH-1/4.yaml",
        "data/tasks/KH-2/1.yaml",
    ]
    assert "progress: 55\n    note: Đã mở lớp thứ nhất" in (
        repo / "data/tasks/KH-1/4.yaml"
    ).read_text("utf-8")


def test_a_csv_saved_with_semicolons_is_read(repo, capsys):
    text = (
        "nq57_as_of;2025-09-30\r\nid;status;progress;note\r\nKH-1/2;Đang thực hiện;30;Một; hai\r\n"
    )
    Path("vu.csv").write_text(text.replace("Một; hai", '"Một; hai"'), encoding="utf-8-sig")
    code, out, err = invoke(capsys, "ingest", "vu.csv", "--data", "data")
    assert code == 0, err
    assert out == "data/tasks/KH-1/2.yaml: KH-1/2: in_progress, 30%, Một; hai\n"


def test_the_csv_form_layout_golden(repo, capsys):
    code, _, err = invoke(
        capsys, "form", "--data", "data", "--lead", "Cục Tin học", "--month", "2025-09",
        "-o", "cuc.csv",
    )  # fmt: skip
    assert code == 0, err
    raw = Path("cuc.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 with its BOM
    check_golden("form_cuc_2025-09.csv", raw[3:].decode("utf-8").replace("\r\n", "\n"))


@pytest.mark.parametrize("sheet", ["Nhiệm vụ", "Chỉ tiêu"])
def test_a_header_row_without_id_is_an_error_naming_the_cell(repo, capsys, sheet):
    """Issue 12: an overwritten `id` header cell made ingest write 0 files and exit 0."""
    _form(capsys, "cuc.xlsx")
    _fill("cuc.xlsx", "filled.xlsx", {"KH-1/4": {"status": "in_progress", "progress": 40}})
    wb = load_workbook("filled.xlsx")
    assert wb[sheet]["A2"].value == "id"
    wb[sheet]["A2"] = "ma"
    wb.save("filled.xlsx")
    code, out, err = invoke(capsys, "--lang", "en", "ingest", "filled.xlsx", "--data", "data")
    assert code == 1, out + err
    assert f'filled.xlsx:{sheet}!A2: E314 a row of field names without the cell "id"' in err
    assert _git(repo, "status", "--porcelain", "data") == ""


def test_a_task_sheet_without_its_header_row_is_an_error(repo, capsys):
    _form(capsys, "cuc.xlsx")
    _fill("cuc.xlsx", "filled.xlsx", {"KH-1/4": {"progress": 40}})
    wb = load_workbook("filled.xlsx")
    wb["Nhiệm vụ"].delete_rows(2)
    wb.save("filled.xlsx")
    code, _, err = invoke(capsys, "ingest", "filled.xlsx", "--data", "data")
    assert code == 1
    assert "filled.xlsx:Nhiệm vụ!A1: E314 trang 'Nhiệm vụ' không có hàng tên trường" in err
    assert _git(repo, "status", "--porcelain", "data") == ""


def test_a_csv_header_without_id_is_an_error(repo, capsys):
    text = "nq57_as_of,2025-09-30\r\nma,title,status,progress\r\nKH-1/2,T,in_progress,30\r\n"
    Path("vu.csv").write_text(text, encoding="utf-8-sig")
    code, _, err = invoke(capsys, "ingest", "vu.csv", "--data", "data")
    assert code == 1 and "vu.csv:A2: E314 " in err
    assert _git(repo, "status", "--porcelain", "data") == ""


def test_a_collective_lead_gets_no_form_of_its_own(tmp_path, monkeypatch, capsys):
    """One form per lead: "Các bộ, ngành, địa phương" is no unit to send one to. It is
    named on stderr, and asked for by name it is made."""
    shutil.copytree(FIXTURES / "report", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    args = ("form", "--data", "data", "--as-of", "2025-09-30")
    code, _, err = invoke(capsys, *args, "-o", "forms/")
    assert code == 0, err
    names = sorted(p.name for p in Path("forms").iterdir())
    assert names and not any(name.startswith("cac-") for name in names)
    assert "Các bộ, ngành, địa phương" in err and "--lead" in err
    code, _, err = invoke(capsys, *args, "--lead", "Các bộ, ngành, địa phương", "-o", "chung.csv")
    assert code == 0, err
    assert "DEC-P/5" in Path("chung.csv").read_text(encoding="utf-8-sig")
