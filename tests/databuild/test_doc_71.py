"""Tests of the 71/NQ-CP parser (databuild.doc_71).

Layout tests run on verbatim excerpts of data/sources/71-NQ-CP-2025.txt kept in
tests/fixtures/sources/71_*.txt (first line: which source lines they hold);
the remaining tests parse the whole source text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from databuild import doc_71
from databuild.build import parse_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ROOT / "data" / "sources"
DECISION = "71-NQ-CP-2025"


def _lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def _tasks(name: str) -> dict:
    lines = _lines(name)
    return {r.key: r.fields for r in doc_71.parse_tasks(lines, 0, len(lines))}


def _kpis(name: str) -> dict:
    lines = _lines(name)
    return {r.key: r.fields for r in doc_71.parse_kpis(lines, 0, len(lines))}


@pytest.fixture(scope="module")
def records():
    text = (SOURCES / f"{DECISION}.txt").read_text(encoding="utf-8")
    return doc_71.parse(text)


@pytest.fixture(scope="module")
def tasks(records):
    return {r.key: r.fields for r in records if r.kind == "task"}


@pytest.fixture(scope="module")
def kpis(records):
    return {r.key: r.fields for r in records if r.kind == "kpi"}


# --- Phụ lục II layouts ---------------------------------------------------------------


def test_page_break_continuation_and_header_repeat():
    tasks = _tasks("71_pl2_page_break.txt")
    # 1.-13.; the two repeated header rows and the two continuation rows are no tasks
    assert list(tasks) == [str(n) for n in range(1, 14)]
    assert tasks["8"]["title"] == (
        "Xây dựng, ban hành văn bản làm rõ định nghĩa, nội hàm, lượng hóa các khái niệm "
        "mới trong Nghị quyết số 57-NQ/TW để thống nhất nhận thức và tổ chức triển khai, "
        "thực hiện."
    )
    assert tasks["8"]["lead"] == ["Bộ Khoa học và Công nghệ"]
    assert "support" not in tasks["8"]
    assert tasks["8"]["deadline"] == "Tháng 3/2025"
    assert tasks["12"]["title"].endswith(
        "đổi mới sáng tạo, kỹ năng số, công nghệ số cơ bản phục vụ chuyên đổi số quốc gia."
    )
    assert tasks["12"]["output"] == "Quyết định của cấp có thẩm quyền"
    for fields in tasks.values():
        assert fields["section"] == "I."
        assert fields["section_title"].startswith("Nâng cao nhận thức, đột phá về đổi mới tư duy")
        assert fields["appendix"] == "Phụ lục II"
        assert "parent" not in fields
    assert tasks["1"]["support"] == [
        "Ban Tuyên giáo và Dân vận Trung ương",
        "các bộ, ngành, địa phương",
        "VTV",
        "VOV",
        "TTXVN",
    ]
    assert tasks["2"]["lead"] == ["VTV", "VOV", "TTXVN", "các địa phương"]


def test_continuation_of_single_cells():
    tasks = _tasks("71_pl2_cell_continuation.txt")
    assert list(tasks) == ["82", "83", "84", "85", "86", "87", "88", "155"]
    # only the "Kết quả" cell continues after the page break
    assert tasks["83"]["output"] == (
        "Cung cấp Dịch vụ Internet vệ tinh (Starlink) cho người dùng tại Việt Nam; Có doanh "
        "nghiệp viễn thông đăng ký phát triển tối thiểu 20.000 BTS 5G (theo NQ193/2025/QH15)"
    )
    assert tasks["83"]["title"].endswith("gắn với việc đẩy mạnh triển khai Internet vệ tinh.")
    assert tasks["88"]["output"] == (
        "Hình thành một số Trung tâm dữ liệu đạt tiêu chuẩn quốc tế, tiêu chuẩn xanh"
    )
    # an agency name split by the page break: "Bộ" | "Quốc phòng"
    assert tasks["155"]["support"] == ["Bộ Công an", "Bộ Quốc phòng"]
    assert tasks["155"]["output"] == (
        "Có giải pháp hiệu quả chống khai thác hải sản bất hợp pháp theo đúng quy định của IUU"
    )
    assert tasks["155"]["section"] == "V."
    assert tasks["82"]["section"] == "III."


def test_html_title_stripped_and_raw_kept():
    tasks = _tasks("71_pl2_html.txt")
    assert list(tasks) == ["16", "17", "18"]
    t16 = tasks["16"]
    assert "<" not in t16["title"]
    assert t16["title"].startswith("Sửa đổi Luật Khoa học và Công nghệ (2013)")
    # the page break falls inside a <p>: "khai " | "<p>thác"
    assert "đồng thời tăng cường bảo vệ và khai thác hiệu quả tài sản trí tuệ" in t16["title"]
    assert "bao gồm: - Sửa đổi một số quy định trong Luật Viên chức;" in t16["title"]
    assert t16["title"].endswith("trong các lĩnh vực ưu tiên phát triển của Việt Nam.")
    assert t16["title_raw_html"].startswith("<p>Sửa đổi Luật Khoa học và Công nghệ")
    assert '<ul style="list-style-type: none">' in t16["title_raw_html"]
    assert t16["support"][-1] == "các bộ, ngành và địa phương khác liên quan"
    # 18.: the inline "(1)..(4)" list stays in the title; no sub-item rows
    assert tasks["18"]["title"] == (
        "Xây dựng các Luật sửa đổi, bổ sung các Luật: (1) Luật Ngân sách nhà nước; (2) Luật "
        "Quản lý và đầu tư vốn nhà nước tại doanh nghiệp; (3) Luật Doanh nghiệp; (4) Luật "
        "Quản lý thuế."
    )
    assert tasks["18"]["title_raw_html"].startswith(
        'Xây dựng các Luật sửa đổi, bổ sung các Luật: <ol style="list-style-type: none"> (1)'
    )
    assert "title_raw_html" not in tasks["17"]


def test_sub_items_of_32():
    tasks = _tasks("71_pl2_subitems.txt")
    assert list(tasks) == ["29", "30", "31", "32"] + [f"32-{n}" for n in range(1, 12)] + ["33"]
    assert tasks["32"]["lead"] == ["Bộ Khoa học và Công nghệ"]
    assert tasks["32"]["deadline"] == "Tháng 9/2025"
    assert "parent" not in tasks["32"]
    for n in range(1, 12):
        sub = tasks[f"32-{n}"]
        assert sub["ref"] == f"({n})"
        assert sub["parent"] == "71-NQ-CP-2025/32"
        assert sub["section"] == "II."
    assert tasks["32-8"]["deadline"] == "Tháng 10/2025"
    assert tasks["32-11"]["title"] == "Nghị định quy định về Quỹ đổi mới công nghệ quốc gia."
    assert "parent" not in tasks["33"]


def test_parents_with_empty_cells_and_numbering_restart():
    tasks = _tasks("71_pl2_parents.txt")
    assert list(tasks) == [
        "89", "89-1", "89-116", "89-117", "90", "91",
        "146", "147", *[f"147-{n}" for n in range(1, 13)], "148",
    ]  # fmt: skip
    for key in ("89", "147"):
        assert set(tasks[key]) == {
            "ref", "section", "title", "section_title", "appendix", "source_line",
        }  # fmt: skip
    assert tasks["89"]["ref"] == "89."
    assert tasks["89-117"]["ref"] == "(117)"
    assert tasks["89-117"]["parent"] == "71-NQ-CP-2025/89"
    assert tasks["147-1"]["ref"] == "(1)"
    assert tasks["147-1"]["parent"] == "71-NQ-CP-2025/147"
    assert tasks["147"]["section"] == "V."
    assert "parent" not in tasks["90"]
    assert "parent" not in tasks["148"]


# --- Phụ lục I layout -----------------------------------------------------------------


def test_kpi_table_layout():
    kpis = _kpis("71_pl1_kpis.txt")
    assert list(kpis) == [
        "1", "11", *[f"11.{n}" for n in range(1, 10)], "12", "13", "14",
        "23", "23.1", "23.2", "23.3", "23.4", "29", "35", "36", "37", "38", "39", "40", "41",
    ]  # fmt: skip
    assert kpis["1"]["ref"] == "1"
    assert kpis["1"]["section"] == "I"
    assert kpis["1"]["section_title"] == "Đến năm 2030"
    assert kpis["1"]["year"] == 2030
    assert kpis["1"]["appendix"] == "Phụ lục I"
    # row 11 is a heading: no unit, target or agency
    assert set(kpis["11"]) == {
        "ref", "section", "name", "year", "section_title", "appendix", "source_line",
    }  # fmt: skip
    assert kpis["11.6"]["parent"] == "71-NQ-CP-2025/11"
    assert kpis["11.6"]["owner"] == "Văn phòng Chính phủ"
    assert kpis["11.1"]["target"] == "≥ 80"
    # LaTeX delimiters dropped
    assert kpis["14"]["target"] == "> 0,7"
    assert kpis["14"]["unit"] == "Chỉ số phát triển con người (HDI)"
    # 23 has a qualitative target but no unit; its sub-items have both
    assert "unit" not in kpis["23"]
    assert kpis["23"]["target"].startswith("Tiên tiến, hiện đại")
    assert kpis["23.2"]["target"] == "09"
    assert kpis["23.4"]["parent"] == "71-NQ-CP-2025/23"
    assert kpis["29"]["owner"] == "Bộ Công an"
    assert kpis["29"]["support"] == ["Bộ Khoa học và Công nghệ", "các bộ, ngành"]
    assert kpis["29"]["owner_note"] == (
        "Bộ Công an chủ trì; Bộ Khoa học và Công nghệ, các bộ, ngành phối hợp."
    )
    assert kpis["29"]["target"] == "≥ 03"
    # "II Đến năm 2045" in one cell
    assert kpis["35"]["year"] == 2030
    for key in ("36", "37", "38", "39", "40", "41"):
        assert kpis[key]["section"] == "II"
        assert kpis[key]["section_title"] == "Đến năm 2045"
        assert kpis[key]["year"] == 2045
    assert kpis["36"]["unit"] == "%GDP"
    assert kpis["41"]["target"] == "20 - 50"


# --- whole document ---------------------------------------------------------------------


def test_task_counts(tasks):
    assert len(tasks) == 329
    per_section = Counter(t["section"] for t in tasks.values())
    assert per_section == {
        "I.": 15, "II.": 54, "III.": 167, "IV.": 19, "V.": 48, "VI.": 15, "VII.": 11,
    }  # fmt: skip
    top = [k for k in tasks if "-" not in k]
    assert top == [str(n) for n in range(1, 190)]
    children = Counter(t["parent"] for t in tasks.values() if "parent" in t)
    assert children == {
        "71-NQ-CP-2025/32": 11, "71-NQ-CP-2025/89": 117, "71-NQ-CP-2025/147": 12,
    }  # fmt: skip
    assert {k for k, t in tasks.items() if "title_raw_html" in t} == {"16", "18", "104"}
    assert {k for k, t in tasks.items() if "lead" not in t} == {"89", "147"}
    # "117." and "(117)" are different tasks
    assert tasks["117"]["ref"] == "117." and tasks["89-117"]["ref"] == "(117)"


def test_kpi_counts(kpis):
    assert len(kpis) == 54
    assert list(kpis) == [
        *[str(n) for n in range(1, 12)], *[f"11.{n}" for n in range(1, 10)],
        *[str(n) for n in range(12, 24)], *[f"23.{n}" for n in range(1, 5)],
        *[str(n) for n in range(24, 42)],
    ]  # fmt: skip
    assert Counter(k["year"] for k in kpis.values()) == {2030: 48, 2045: 6}
    assert sum("target" in k for k in kpis.values()) == 53
    assert [key for key, k in kpis.items() if "target" not in k] == ["11"]
    assert [key for key, k in kpis.items() if "unit" not in k] == ["11", "23"]
    assert all("$" not in k.get("target", "") for k in kpis.values())


def test_spot_check_rows(tasks):
    assert tasks["62"] == {
        "ref": "62.",
        "section": "III.",
        "title": "Phát triển mạng lưới kết nối các trung tâm đổi mới sáng tạo, khởi nghiệp sáng "
        "tạo, tập trung vào các công nghệ chiến lược và chuyển đổi số.",
        # printed "Bộ Khoa học, Công nghệ, Bộ Tài chính": the stray comma is kept in the name
        "lead": ["Bộ Khoa học, Công nghệ", "Bộ Tài chính"],
        "support": ["Bộ Ngoại giao", "các bộ, ngành, địa phương"],
        "output": "Mạng lưới kết nối",
        "deadline": "Tháng 12/2025",
        "section_title": "Tăng cường đầu tư, hoàn thiện hạ tầng cho khoa học, công nghệ, đổi "
        "mới sáng tạo và chuyển đổi số quốc gia",
        "appendix": "Phụ lục II",
        "source_line": 538,
    }
    assert tasks["89-117"] == {
        "ref": "(117)",
        "section": "III.",
        "title": "Đồng bộ dữ liệu các CSDL quốc gia, CSDL chuyên ngành trên về Trung tâm dữ "
        "liệu quốc gia để xây dựng Cơ sở dữ liệu tổng hợp quốc gia, phục vụ chuyển đổi số "
        "quốc gia.",
        "lead": ["Bộ Công an"],
        "support": ["Các bộ, ngành chủ quản các CSDL quốc gia, CSDL chuyên ngành ở trên"],
        "output": "Dữ liệu được đồng bộ về Trung tâm dữ liệu quốc gia",
        "deadline": "Khi các CSDL quốc gia, CSDL chuyên ngành hoàn thành, khai thác sử dụng",
        "parent": "71-NQ-CP-2025/89",
        "section_title": tasks["62"]["section_title"],
        "appendix": "Phụ lục II",
        "source_line": 720,
    }
    t147_12 = tasks["147-12"]
    assert t147_12["ref"] == "(12)"
    assert t147_12["title"] == (
        "Hoàn thành 61 tiện ích trên VNNeID phục vụ phát triển kinh tế - xã hội, đổi mới "
        "sáng tạo và phòng chống tội phạm."
    )
    assert t147_12["lead"] == ["Bộ Công an"] and "support" not in t147_12
    assert t147_12["output"] == "Hoàn thành 61 tiện ích"
    assert t147_12["deadline"] == "Tháng 11/2025"
    assert t147_12["source_line"] == 823
    t189 = tasks["189"]
    assert t189["ref"] == "189." and t189["section"] == "VII."
    assert t189["lead"] == ["Bộ Ngoại giao"] and t189["support"] == ["Bộ Khoa học và Công nghệ"]
    assert t189["output"] == "Chiến lược được ban hành"
    assert t189["deadline"] == "Tháng 12/2025"  # last line, no trailing newline
    assert tasks["8"]["source_line"] == 437
    assert tasks["16"]["source_line"] == 454
    assert tasks["16"]["support"] == [
        "Bộ Công an", "Bộ Nội vụ", "Bộ Tài chính", "Thanh tra Chính phủ",
        "các bộ, ngành và địa phương khác liên quan",
    ]  # fmt: skip
    # continuation adds to the support cell: "Bộ Khoa học và Công nghệ," | "Bộ Giáo dục ..."
    assert tasks["24"]["support"] == [
        "Bộ Khoa học và Công nghệ", "Bộ Giáo dục và Đào tạo", "các bộ, ngành liên quan",
    ]  # fmt: skip
    # "X và các bộ, ngành, địa phương" names two agencies
    assert tasks["67"]["support"] == [
        "Bộ Quốc phòng", "Viện Hàn lâm Khoa học và Công nghệ", "các bộ, ngành, địa phương",
    ]  # fmt: skip
    assert tasks["70"]["support"] == ["Bộ Tài chính", "các bộ, ngành, địa phương"]
    assert tasks["104"]["title"].startswith("Tổ chức các Hội nghị chuyên đề của Ban Chỉ đạo")
    assert tasks["104"]["title"].endswith("- Dữ liệu và chuyển đổi số quốc gia.")
    # "-" in the support column = no support agency
    for key in ("74", "176", "177"):
        assert "support" not in tasks[key]
    assert tasks["125"]["support"] == ["Các bộ, ngành, liên quan"]
    assert tasks["152"]["deadline"] == (
        "Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo"
    )
    assert tasks["123"]["deadline"] == "Tháng 12/2025 và năm 2026"


def test_deadlines_before_the_resolution(tasks):
    early = {k for k, t in tasks.items() if t.get("deadline") in ("Tháng 02/2025", "Tháng 3/2025")}
    assert early == {"7", "8", "14", "26", "52", "75", "94"}


def test_text_is_clean(records):
    for record in records:
        for name, value in record.fields.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str):
                    assert item == item.strip() and "  " not in item and "\t" not in item, (
                        record.key,
                        name,
                    )
                    assert item not in ("", "-"), (record.key, name)
                    if name != "title_raw_html":
                        assert "<" not in item, (record.key, name)


def test_build_with_corrections():
    records = parse_document(SOURCES, DECISION)
    assert sum(r.kind == "task" for r in records) == 329
    assert sum(r.kind == "kpi" for r in records) == 54
