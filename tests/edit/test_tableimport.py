"""`nq57 import`: task tables copied from decisions -> draft task files.

Fixtures in tests/fixtures/tableimport/ are verbatim excerpts of data/sources/*.txt:
tab-separated (71/NQ-CP Phụ lục II), Markdown (1754/QĐ-BTC Phụ lục 02) and one cell
per line (07/CT-TTg, 1057/QĐ-BTC).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from nq57.edit.tableimport import Parsed, column_of, detect_layout, parse_table, tab_records
from nq57.edit.tables.common import collapse

from conftest import FIXTURES, invoke

TABLES = FIXTURES / "tableimport"
DECISION = """\
id: DEC-T
number: 01/KH
type: ke_hoach
issuer: Bộ Tài chính
issued: 2025-03-01
title: Kế hoạch thử
"""


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    (folder / "decisions").mkdir(parents=True)
    (folder / "decisions" / "DEC-T.yaml").write_text(DECISION, encoding="utf-8")
    return folder


def run_import(capsys, data: Path, table: Path | str, *extra: str) -> tuple[int, str, str]:
    return invoke(capsys, "import", str(table), "--decision", "DEC-T", "--data", str(data), *extra)


def tasks(data: Path) -> dict[str, dict]:
    folder = data / "tasks" / "DEC-T"
    if not folder.exists():
        return {}
    yaml = YAML(typ="safe", pure=True)
    return {p.stem: yaml.load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")}


def assert_valid(capsys, data: Path) -> None:
    code, out, _ = invoke(capsys, "validate", "--data", str(data), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["errors"] == []


def test_layouts_are_detected():
    assert detect_layout((TABLES / "tab_71.txt").read_text(encoding="utf-8")) == "tab"
    assert detect_layout((TABLES / "markdown_1754.txt").read_text(encoding="utf-8")) == "markdown"
    assert detect_layout((TABLES / "cells_07.txt").read_text(encoding="utf-8")) == "cells"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("TT", "ref"),
        ("STT", "ref"),
        ("Nhiệm vụ", "title"),
        ("Tên nhiệm vụ", "title"),
        ("NHIỆM VỤ", "title"),
        ("Nhiệm vụ, giải pháp", "title"),
        ("Cơ quan chủ trì", "lead"),
        ("ĐƠN VỊ CHỦ TRÌ", "lead"),
        ("Cơ quan phối hợp", "support"),
        ("Đơn vị phối hợp", "support"),
        ("Đơn vị đầu mối phối hợp", "focal"),
        ("Kết quả", "output"),
        ("Sản phẩm", "output"),
        ("Hình thức văn bản/ Kết quả", "output"),
        ("Thời gian hoàn thành", "deadline"),
        ("Thời hạn", "deadline"),
        ("Ghi chú", "note"),
        ("Đơn vị", None),
    ],
)
def test_header_names_are_recognised(header, field):
    assert column_of(header) == field


def test_tab_separated_table(capsys, data):
    code, out, err = run_import(capsys, data, TABLES / "tab_71.txt", "--section-from-roman")
    assert code == 0, err
    found = tasks(data)
    assert sorted(found, key=lambda k: [int(p) for p in k.split("-")]) == [
        *(str(n) for n in range(1, 10)),
        "29",
        "30",
        "31",
        "32",
        "32-1",
        "32-2",
    ]
    # a row broken by a page break (blank TT after the repeated header) is one task
    assert found["8"]["title"].endswith(
        "các khái niệm mới trong Nghị quyết số 57-NQ/TW để thống nhất nhận thức và tổ chức "
        "triển khai, thực hiện."
    )
    first = found["1"]
    assert first["id"] == "DEC-T/1" and first["decision"] == "DEC-T"
    assert first["ref"] == "1." and first["section"] == "I."
    assert first["section_title"].startswith("Nâng cao nhận thức")
    assert first["lead"] == ["Bộ Khoa học và Công nghệ"]
    assert first["support"] == [
        "Ban Tuyên giáo và Dân vận Trung ương",
        "các bộ, ngành, địa phương",  # a name with commas is not split
        "VTV",
        "VOV",
        "TTXVN",
    ]
    assert first["deadline"] == "Tháng 4/2025"
    assert found["29"]["section"] == "II."
    assert found["32-1"]["ref"] == "(1)" and found["32-1"]["parent"] == "DEC-T/32"
    assert "note" not in first and "approver" not in first  # empty cells are left out
    assert_valid(capsys, data)


def test_markdown_table_with_unnumbered_sub_tasks(capsys, data):
    code, _, err = run_import(capsys, data, TABLES / "markdown_1754.txt", "--section-from-roman")
    assert code == 0, err
    found = tasks(data)
    assert {"1.1", "1.1-1", "1.1-2", "1.2", "1.6", "2.1", "2.1-1", "2.1-4"} <= set(found)
    assert found["1.1"]["section"] == "I" and "lead" not in found["1.1"]
    child = found["1.1-1"]
    assert child["ref"] == "" and child["parent"] == "DEC-T/1.1"
    assert child["lead"] == ["Lãnh đạo Bộ và Lãnh đạo các đơn vị thuộc và trực thuộc Bộ"]
    assert child["deadline"] == "Nhiệm vụ thường xuyên"
    assert found["2.1-1"]["lead"] == ["UBCKNN"]
    assert_valid(capsys, data)


def test_one_cell_per_line_with_restarting_numbers(capsys, data):
    code, _, err = run_import(capsys, data, TABLES / "cells_07.txt", "--section-from-roman")
    assert code == 0, err
    found = tasks(data)
    # numbering restarts in section B: keys are prefixed by the section
    assert sorted(found) == ["A-1", "A-2", "A-3", "A-4", "B-1", "B-2", "B-3", "B-4"]
    assert found["A-1"]["ref"] == "1" and found["A-1"]["section"] == "A"
    assert found["A-1"]["lead"] == ["Các Bộ, ngành, địa phương"]
    assert found["A-1"]["deadline"] == "Tháng 3/2025"
    assert found["B-2"]["lead"] == ["Bộ Công an"] and found["B-2"]["support"] == ["Các bộ, ngành"]
    assert found["B-1"]["section_title"] == "Nhiệm vụ cụ thể của các bộ, ngành"
    assert_valid(capsys, data)


def test_rows_that_cannot_be_placed_are_reported_with_their_lines(capsys, data):
    # 1057/QĐ-BTC prints output and approver cells too: not title/lead/support/deadline
    code, _, err = run_import(capsys, data, TABLES / "cells_1057.txt", "--section-from-roman")
    assert code == 1
    lines = [int(line.split(":")[1]) for line in err.splitlines() if "không xếp được:" in line]
    assert lines == [15, 20, 25, 32, 39, 46]
    assert "ô cuối không phải thời hạn: '≥ 55 (%)'" in err
    assert "Traceback" not in err
    assert tasks(data) == {}


def test_placed_rows_are_written_even_when_others_are_not(capsys, data, tmp_path):
    text = (TABLES / "tab_71.txt").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(text) if line.startswith("5.\t"))
    text[number] += "\tan extra cell"
    table = tmp_path / "table.txt"
    table.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _, err = run_import(capsys, data, table, "--section-from-roman")
    assert code == 1
    assert f"table.txt:{number + 1}: không xếp được: 7 ô, nhưng dòng tiêu đề có 6 cột" in err
    found = tasks(data)
    assert "5" not in found and {"4", "6", "32-2"} <= set(found)


def test_existing_files_are_never_overwritten(capsys, data):
    folder = data / "tasks" / "DEC-T"
    folder.mkdir(parents=True)
    mine = "id: DEC-T/2\ndecision: DEC-T\nref: '2.'\ntitle: Đã sửa tay\nstatus: in_progress\n"
    (folder / "2.yaml").write_text(mine, encoding="utf-8")
    code, _, err = run_import(capsys, data, TABLES / "tab_71.txt", "--section-from-roman")
    assert code == 0
    assert (folder / "2.yaml").read_text(encoding="utf-8") == mine
    assert "2.yaml: tệp đã có, không ghi đè" in err
    assert "1" in tasks(data)


def test_dry_run_writes_nothing_and_shows_the_files(capsys, data):
    code, out, _ = run_import(
        capsys, data, TABLES / "cells_07.txt", "--section-from-roman", "--dry-run"
    )
    assert code == 0
    assert not (data / "tasks").exists()
    assert "# --- sẽ ghi " in out and "id: DEC-T/B-4" in out


def test_unknown_decision_is_a_clear_error(capsys, data):
    code, _, err = invoke(
        capsys, "import", str(TABLES / "tab_71.txt"), "--decision", "NO-SUCH", "--data", str(data)
    )
    assert code == 1
    assert "không có văn bản 'NO-SUCH' (không có tệp " in err and "Traceback" not in err
    assert not (data / "tasks").exists()


def test_without_the_flag_roman_rows_are_tasks_and_a_hint_is_given(capsys, data):
    code, _, err = run_import(capsys, data, TABLES / "tab_71.txt")
    assert code == 0
    found = tasks(data)
    assert found["I"]["ref"] == "I." and "section" not in found["1"]
    assert "--section-from-roman" in err


EXCEL_COPY = (
    "TT\tTên nhiệm vụ\tCơ quan chủ trì\tThời hạn\n"
    '1.\t"Xây dựng Đề án\r\n""Chuyển đổi số"" ngành tài chính"\tBộ Tài chính\tQuý IV/2025\n'
    '2.\tHoàn thiện hệ thống\t"Cục Thuế\tBộ Tài chính"\t2026\n'
)


def test_quoted_cells_from_excel_may_hold_line_breaks_quotes_and_tabs():
    parsed = parse_table(EXCEL_COPY, sections=False)
    assert parsed.problems == []
    first, second = parsed.rows
    assert first.line == 2 and second.line == 4  # the first row spans lines 2-3
    assert first.cells["title"] == 'Xây dựng Đề án "Chuyển đổi số" ngành tài chính'
    assert first.cells["deadline"] == "Quý IV/2025"
    assert second.cells["lead"] == "Cục Thuế Bộ Tài chính"


def test_quotes_that_do_not_pair_up_are_reported_and_lines_read_as_they_are():
    text = EXCEL_COPY + '3.\t"Tổng kết\tVụ Pháp chế\t2027\n'
    parsed = parse_table(text, sections=False)
    assert [p.line for p in parsed.problems] == [5]
    assert [r.line for r in parsed.rows] == [2, 4, 5]  # rows before it read as quoted
    assert "dấu nháy" in parsed.problems[0].message
    assert parsed.rows[-1].cells["ref"] == "3."  # every row is still there


def test_rows_of_a_parsed_table_keep_their_input_lines():
    parsed = parse_table((TABLES / "cells_07.txt").read_text(encoding="utf-8"), sections=True)
    assert [row.line for row in parsed.rows[:3]] == [9, 11, 15]  # section A, rows 1 and 2


def test_excel_unicode_text_is_read(capsys, data, tmp_path):
    table = tmp_path / "excel.txt"  # Excel "Unicode Text": UTF-16 with a BOM, CRLF
    text = (TABLES / "tab_71.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    table.write_bytes(text.encode("utf-16"))
    code, _, err = run_import(capsys, data, table, "--section-from-roman")
    assert code == 0, err
    assert tasks(data)["32-2"]["deadline"] == tasks(data)["32-1"]["deadline"]


def test_text_without_a_table_is_a_clear_error(capsys, data, tmp_path):
    table = tmp_path / "letter.txt"
    table.write_text("Kính gửi: Bộ Tài chính\nNội dung công văn.\n", encoding="utf-8")
    code, _, err = run_import(capsys, data, table)
    assert code == 1 and "không tìm thấy bảng" in err and "Traceback" not in err


_CELL = st.text(alphabet=st.sampled_from('ab đ"\t\n\r,.'), max_size=12)


@given(st.lists(st.lists(_CELL, min_size=2, max_size=4), min_size=1, max_size=5))
def test_tab_records_read_back_what_excel_writes(rows):
    """Any cells written the way Excel copies them (csv quoting, tab-separated) are read
    back unchanged, line breaks and tabs inside a cell folded to spaces."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    parsed = Parsed("tab")
    records = tab_records(buffer.getvalue(), parsed)
    assert parsed.problems == []
    expected = [[collapse(c) if any(x in c for x in "\t\n\r") else c for c in r] for r in rows]
    assert [cells for _, cells in records] == expected


@given(st.text(alphabet=st.sampled_from('ab"\t\n '), max_size=60))
def test_tab_records_never_fail_and_keep_every_line(text):
    parsed = Parsed("tab")
    records = tab_records(text, parsed)
    assert all(1 <= line <= max(1, len(text.splitlines())) for line, _ in records)


REGISTRY = """\
agencies:
  - name: Bộ Y tế
    kind: ministry
  - name: Cục Quản lý Khám, chữa bệnh
    aliases: [Cục Quản lý KCB]
    kind: unit
    parent: Bộ Y tế
"""


def test_registry_names_with_a_comma_are_kept_whole(capsys, data, tmp_path):
    (data / "agencies.yaml").write_text(REGISTRY, encoding="utf-8")
    table = tmp_path / "table.txt"
    table.write_text(
        "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n"
        "1\tXây dựng cơ sở dữ liệu\tCục Quản lý Khám, chữa bệnh\t"
        "Bộ Y tế, cục quản lý khám ,chữa bệnh; Vụ Pháp chế\tNăm 2025\n",
        encoding="utf-8",
    )
    code, _, err = run_import(capsys, data, table)
    assert code == 0, err
    task = tasks(data)["1"]
    assert task["lead"] == ["Cục Quản lý Khám, chữa bệnh"]
    # any case and spacing as printed; the name is kept as printed
    assert task["support"] == ["Bộ Y tế", "cục quản lý khám ,chữa bệnh", "Vụ Pháp chế"]


def test_without_a_registry_name_a_comma_still_splits(capsys, data, tmp_path):
    table = tmp_path / "table.txt"
    table.write_text(
        "TT\tNhiệm vụ\tCơ quan chủ trì\tThời gian\n1\tViệc\tCục A, Cục B\tNăm 2025\n",
        encoding="utf-8",
    )
    assert run_import(capsys, data, table)[0] == 0
    assert tasks(data)["1"]["lead"] == ["Cục A", "Cục B"]
