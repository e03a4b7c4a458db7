"""Tests of the 1754/QĐ-BTC parser (databuild.doc_1754) and the markdown table
reader (nq57.edit.tables.markdown_table).

Layout tests run on verbatim excerpts of data/sources/1754-QD-BTC-2025.txt kept in
tests/fixtures/sources/1754_*.txt (first line: which source lines they hold); the
remaining tests parse the whole source text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from databuild import doc_1754
from databuild.build import load_corrections, parse_document
from nq57.edit.tables.markdown_table import expand_header, find_tables, split_row

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ROOT / "data" / "sources"
DECISION = "1754-QD-BTC-2025"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _by_key(records) -> dict:
    return {r.key: r.fields for r in records}


@pytest.fixture(scope="module")
def text():
    return (SOURCES / f"{DECISION}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def records(text):
    return doc_1754.parse(text)


@pytest.fixture(scope="module")
def tasks(records):
    return {r.key: r.fields for r in records if r.kind == "task"}


@pytest.fixture(scope="module")
def kpis(records):
    return {r.key: r.fields for r in records if r.kind == "kpi"}


# --- markdown_table ------------------------------------------------------------------


def test_split_row_collapses_padding():
    assert split_row("| 1.1   |  Cục  CNTT |      |") == ["1.1", "Cục CNTT", ""]


def test_find_tables_blank_lines_and_separator():
    text = "intro\n\n| a | b |\n\n|---|:-:|\n\n| 1 | 2 |\n\nafter\n| x |\n"
    first, second = find_tables(text)
    assert (first.start, first.end) == (3, 7)
    assert [r.cells for r in first.rows] == [["a", "b"], ["1", "2"]]
    assert [r.line for r in first.rows] == [3, 7]
    assert second.header == ["x"]


def test_expand_header_merged_cell():
    header = ["STT", "Nhiệm vụ", "Mục tiêu", ""]
    assert expand_header(header, "Nhiệm vụ", ["Mới", "Chuyển tiếp"]) == [
        "STT",
        "Nhiệm vụ: Mới",
        "Nhiệm vụ: Chuyển tiếp",
        "Mục tiêu",
    ]
    with pytest.raises(ValueError):
        expand_header(header, "Quyết định", ["a"])


# --- Phụ lục 01 (excerpt) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pl01():
    return _by_key(doc_1754.parse_pl01(_fixture("1754_pl01.txt")))


def test_pl01_groups_are_headings_not_tasks(pl01):
    # group rows 1.1, 1.2, 1.6, 1.7 and section rows I, II give no task
    assert list(pl01) == [
        "pl01-I-1", "pl01-I-2", "pl01-I-3", "pl01-I-4", "pl01-I-10",
        "pl01-I-18", "pl01-I-u1", "pl01-I-u2", "pl01-II-1", "pl01-II-2",
    ]  # fmt: skip
    assert pl01["pl01-I-1"]["group"] == "Cục CNTT"
    assert pl01["pl01-I-10"]["group"] == "Cục Thống kê"
    assert pl01["pl01-I-u2"]["group"] == "Cục Thuế"
    assert "group" not in pl01["pl01-II-1"]
    assert pl01["pl01-II-1"]["section"] == "II"
    assert pl01["pl01-II-1"]["section_title"] == "NHIỆM VỤ"


def test_pl01_misaligned_header_columns(pl01):
    # the sub-header "Mới | Chuyển tiếp" sits left-aligned in its own row; the data
    # columns are STT, lead, Mới, Chuyển tiếp, objective, deadline, Quyết định
    row = pl01["pl01-I-1"]
    assert row["title"] == "Xây dựng Hệ thống thông tin Báo cáo của Bộ Tài chính"
    assert row["project_kind"] == "new"
    assert row["lead"] == ["Cục CNTT"]
    assert row["objective"].startswith("Việc xây dựng HTTTBC của Bộ Tài chính nhằm")
    assert row["deadline"] == "2021-2025"
    assert row["approval"] == "Quyết định số 2052/QĐ-BTC ngày 04/9/2024"
    assert row["appendix"] == "Phụ lục 01"
    assert row["ref"] == "1"
    continuing = pl01["pl01-I-10"]
    assert continuing["project_kind"] == "continuing"
    assert continuing["title"] == "Hệ thống sản xuất thông tin thống kê điện tử"
    assert continuing["approval"] == "Quyết định phê duyệt dự án: 926/QĐ-BKHĐT ngày 22/5/2023"
    assert pl01["pl01-II-2"]["project_kind"] == "continuing"


def test_pl01_objective_continues_in_stt_cell(pl01):
    objective = pl01["pl01-I-2"]["objective"]
    assert objective.startswith(
        "Thực hiện chuyển đổi số toàn diện các nghiệp vụ của ngành tài chính bao gồm: "
        "Đầu tư hạ tầng CNTT phục vụ chuyển đổi số của Bộ Tài chính:"
    )
    # the tenth continuation row ends the objective; project 3 is unaffected
    assert objective.endswith(
        "phong phú cơ sở dữ liệu quốc gia về các ngành, lĩnh vực có liên quan."
    )
    for piece in ("Mở rộng Cơ sở dữ liệu quốc gia về giá:", "Hệ thống thông có liên quan):"):
        assert piece in objective
    assert len(objective) > 4000
    assert pl01["pl01-I-3"]["objective"].startswith("Nâng cấp Cổng TTĐT Bộ Tài chính")
    # "2026- 2030" (cut after the hyphen) is re-joined outside the deadline column
    assert pl01["pl01-I-2"]["approval"] == (
        "Thực hiện trình, phê duyệt chủ trương đầu tư năm 2025; thực hiện đầu tư giai đoạn "
        "2026-2030"
    )


def test_pl01_unnumbered_rows(pl01):
    u1, u2 = pl01["pl01-I-u1"], pl01["pl01-I-u2"]
    # printed without a number, after project 18: the ref says where to find them
    assert (u1["ref"], u2["ref"]) == ("18 (1)", "18 (2)")
    assert u1["ref_derived"] is u2["ref_derived"] is True
    assert u1["title"].startswith("Nâng cấp hạ tầng kỹ thuật CNTT đáp ứng yêu cầu nâng cấp")
    assert u1["approval"] == (
        "Quyết định số 1330/QĐ-BTC ngày 14/7/2021 và Quyết định số 2642/QĐ-BTC ngày 05/11/2024"
    )
    assert u2["title"] == "Nâng cấp hệ thống máy chủ và lưu trữ dữ liệu cho ứng dụng TMS"
    assert u2["deadline"] == "2024-2025"


# --- Phụ lục 02 (excerpt) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pl02():
    return _by_key(doc_1754.parse_pl02(_fixture("1754_pl02.txt")))


def test_pl02_parents_and_children(pl02):
    parent = pl02["pl02-1.1"]
    assert parent["ref"] == "1.1"
    assert not {"lead", "deadline", "parent"} & set(parent)
    assert "ref_derived" not in parent
    child = pl02["pl02-1.1-2"]
    assert (child["ref"], child["ref_derived"]) == ("1.1 (2)", True)
    assert child["parent"] == f"{DECISION}/pl02-1.1"
    assert (
        child["deadline"] == "Nhiệm vụ thường xuyên và đột xuất theo ý kiến của Trưởng Ban chỉ đạo"
    )
    # a lead name with commas stays whole
    assert child["lead"] == [
        "Ban Chỉ đạo và Tổ giúp việc Ban Chỉ đạo CĐS của Bộ Tài chính và 02 Tổ công tác giám "
        "sát, đôn đốc, tháo gỡ khó khăn, vướng mắc, đẩy mạnh giải ngân vốn đầu tư công và vốn "
        "Chương trình phục hồi và phát triển kinh tế - xã hội"
    ]
    assert [k for k in pl02 if k.startswith("pl02-2.1-")] == [f"pl02-2.1-{n}" for n in (1, 2, 3, 4)]
    assert "deadline" not in pl02["pl02-2.1-3"]  # "Hoàn thiện 13 thể chế ..." has none
    assert pl02["pl02-2.2"]["lead"] == [
        "Các đơn vị được Bộ giao theo chức năng, nhiệm vụ tại Quyết định 1057/QĐ-BTC"
    ]
    assert "parent" not in pl02["pl02-2.2"]
    # 7.8 and 7.9 are parents with a lead but no deadline
    assert pl02["pl02-7.8"]["lead"] == [
        "Cục Thuế",
        "Cục Hải quan",
        "KBNN",
        "các đơn vị có liên quan",
    ]
    assert "deadline" not in pl02["pl02-7.8"]
    assert pl02["pl02-7.8-3"]["parent"] == f"{DECISION}/pl02-7.8"
    assert pl02["pl02-7.9-1"]["parent"] == f"{DECISION}/pl02-7.9"


def test_pl02_rows_directly_under_sections_x_xi(pl02):
    for key, section in (("pl02-X-1", "X"), ("pl02-X-2", "X"), ("pl02-XI-2", "XI")):
        row = pl02[key]
        assert row["section"] == section
        assert row["ref"] == f"{section} ({key[-1]})" and row["ref_derived"] is True
        assert "parent" not in row
    assert pl02["pl02-X-1"]["section_title"] == "Kinh phí thực hiện."
    assert pl02["pl02-X-1"]["lead"] == ["Vụ KTN", "Cục KHTC"]
    assert pl02["pl02-XI-1"]["lead"] == ["Viện CL&CSKTTC"]


def test_pl02_section_labels_as_printed(pl02):
    assert pl02["pl02-6.1"]["section"] == "VI."
    assert pl02["pl02-6.1"]["section_title"] == "An toàn thông tin mạng"
    assert pl02["pl02-5.1"]["section"] == "V"
    assert pl02["pl02-5.1"]["appendix"] == "Phụ lục 02"


def test_pl02_role_text_lead(pl02):
    row = pl02["pl02-5.20"]
    assert row["lead"] == ["Cục CNTT", "Văn phòng Bộ"]
    assert row["lead_note"] == (
        "Cục CNTT chủ trì về công nghệ, xây dựng quy trình số hóa, quản lý, vận hành, khai thác "
        "tài lưu trữ điện tử; Văn phòng Bộ chủ trì về quy trình lưu trữ"
    )
    assert row["support"] == ["Các đơn vị thuộc Bộ"]
    assert "lead_note" not in pl02["pl02-5.19"]


def test_pl02_and_before_generic_group(pl02):
    # "X và các đơn vị có liên quan" names two leads (as in agencies.tsv) ...
    assert pl02["pl02-5.4"]["lead"] == ["Cục CNTT", "các đơn vị có liên quan"]
    assert pl02["pl02-7.7"]["lead"] == ["Cục CNTT", "các đơn vị có liên quan"]
    # ... any other "và" stays inside the printed name
    assert pl02["pl02-1.6"]["lead"] == ["Vụ TCCB và Cục CNTT"]
    assert pl02["pl02-1.1-1"]["lead"] == [
        "Lãnh đạo Bộ và Lãnh đạo các đơn vị thuộc và trực thuộc Bộ"
    ]


# --- Phụ lục 03 (excerpt) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pl03():
    return _by_key(doc_1754.parse_pl03(_fixture("1754_pl03.txt")))


def test_pl03_columns(pl03):
    assert list(pl03) == [f"pl03-{n}" for n in range(1, 15)]
    row = pl03["pl03-2"]
    assert row["lead"] == ["Văn phòng Chính phủ"]
    assert row["focal"] == ["Cục CNTT", "các đơn vị giải quyết TTHC thuộc Bộ"]
    assert row["support"] == ["Các đơn vị liên quan"]
    assert row["deadline"] == "Theo lộ trình của VPCP"
    assert "note" not in row
    assert pl03["pl03-1"]["note"] == (
        "Nhiệm vụ phối hợp tại Quyết định 1484/QĐ-BTC ; Quyết định 844/QĐ-BTC"
    )
    assert pl03["pl03-7"]["focal"] == ["Vụ Đầu tư"]
    assert "support" not in pl03["pl03-7"]


def test_pl03_row_10_without_focal_unit(pl03):
    row = pl03["pl03-10"]
    assert row["focal"] == ["Phân công sau khi có hướng dẫn của Bộ KHCN"]  # as printed
    assert not {"support", "deadline"} & set(row)
    assert row["note"] == "Nhiệm vụ theo Quyết định 1484/QĐ-BTC ; Quyết định 27/QĐ- UBQGCĐS"


def test_pl03_lead_with_commas(pl03):
    assert pl03["pl03-12"]["lead"] == [
        "Viện KSND Tối cao",
        "Tòa án Nhân dân Tối cao",
        "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
    ]


# --- section III.2 targets (excerpt) -----------------------------------------------------


def test_kpis_from_section_iii_2():
    kpis = _by_key(doc_1754.parse_kpis(_fixture("1754_kpis.txt")))
    assert list(kpis) == [f"III.2-{n}" for n in range(1, 13)]
    assert [k["target"] for k in kpis.values() if k["unit"] == "%"] == [
        "ít nhất 3%", "ít nhất 30%", "ít nhất 30%", "ít nhất 30%", "100%", "50%", "100%", "100%",
    ]  # fmt: skip
    first = kpis["III.2-1"]
    assert first["name"].startswith("Bố trí ít nhất 3% tổng chi ngân sách hằng năm")
    assert first["name"].endswith("tăng dần theo yêu cầu phát triển")
    assert kpis["III.2-2"]["name"].startswith("Hệ thống tổ chức khoa học, công nghệ")
    assert kpis["III.2-2"]["unit"] == ""
    assert kpis["III.2-2"]["target"] == kpis["III.2-2"]["name"]
    assert (
        kpis["III.2-5"]["name"] == "Phấn đấu trong năm 2025 giảm ít nhất 30% thời gian xử lý TTHC"
    )
    assert kpis["III.2-7"]["name"] == "bãi bỏ ít nhất 30% điều kiện kinh doanh không cần thiết"
    assert [k for k, v in kpis.items() if v.get("owner")] == [f"III.2-{n}" for n in range(5, 10)]
    assert {v["owner"] for v in kpis.values() if "owner" in v} == {"Văn phòng"}
    assert {v["year"] for v in kpis.values()} == {2025}
    assert {v["ref"] for v in kpis.values()} == {""}
    assert not any("Ngoài ra" in v["name"] for v in kpis.values())


# --- whole document ----------------------------------------------------------------------


def test_counts(records, tasks, kpis):
    assert len(records) == len(tasks) + len(kpis)  # keys unique per kind
    prefixes = Counter(key.split("-")[0] for key in tasks)
    assert prefixes == {"pl01": 45, "pl02": 130, "pl03": 14}
    assert len(kpis) == 12
    pl01 = {k: v for k, v in tasks.items() if k.startswith("pl01")}
    assert Counter(v["section"] for v in pl01.values()) == {"I": 36, "II": 9}
    assert [k for k, v in pl01.items() if v.get("ref_derived")] == ["pl01-I-u1", "pl01-I-u2"]
    assert Counter(v["project_kind"] for v in pl01.values()) == {"new": 30, "continuing": 15}
    assert len({v["group"] for v in pl01.values() if "group" in v}) == 10


def test_pl02_counts_per_section_and_parents(tasks):
    pl02 = {k: v for k, v in tasks.items() if k.startswith("pl02")}
    assert Counter(v["section"] for v in pl02.values()) == {
        "I": 8, "II": 11, "III": 16, "IV": 6, "V": 25, "VI.": 13,
        "VII": 33, "VIII": 6, "IX": 8, "X": 2, "XI": 2,
    }  # fmt: skip
    parents = {v["parent"].split("/")[1] for v in pl02.values() if "parent" in v}
    assert sorted(parents, key=lambda k: [int(p) for p in k[5:].split(".")]) == [
        f"pl02-{r}"
        for r in (
            "1.1", "2.1", "3.1", "3.2", "3.3", "3.4", "5.3", "6.2", "6.7",
            "7.2", "7.3", "7.8", "7.9", "8.1", "8.2", "9.1", "9.2",
        )
    ]  # fmt: skip
    numbered = [v for v in pl02.values() if not v.get("ref_derived")]
    assert len(numbered) == 66
    assert sum(1 for v in pl02.values() if v.get("ref_derived")) == 64
    assert all(v["ref"] for v in tasks.values())  # every task has a ref a reader can find
    no_deadline = sorted(k for k, v in pl02.items() if "deadline" not in v and k not in parents)
    assert no_deadline == ["pl02-2.1-3", "pl02-2.3", "pl02-2.4", "pl02-7.7"]


def test_spot_checks(tasks, kpis):
    assert tasks["pl01-I-20"] == {
        "ref": "20",
        "section": "I",
        "title": "Đầu tư hệ thống mạng LAN cơ quan Kho bạc Nhà nước",
        "lead": ["Kho bạc Nhà nước"],
        "deadline": "2024 - 2027",  # verbatim
        "section_title": "DỰ ÁN",
        "appendix": "Phụ lục 01",
        "group": "Kho bạc Nhà nước",
        "project_kind": "continuing",
        "objective": "Nâng cấp, bổ sung, trang bị các thiết bị, phần mềm hệ thống mạng LAN cơ "
        "quan Kho bạc Nhà nước, nâng cao năng lực phục vụ của hệ thống đáp ứng nhu cầu hiện tại "
        "và mở rộng cho giai đoạn tới. Đảm bảo tính sẵn sàng và bảo mật cho hệ thống mạng LAN "
        "KBNN, đáp ứng nhu cầu truyền thông, trao đổi dữ liệu, truy cập các chương trình ứng dụng "
        "trong hệ thống KBNN nói riêng và ngành Tài chính nói chung.",
        "approval": "816/QĐ-BTC ngày 11/4/2024",
        "source_line": 451,
    }
    assert tasks["pl01-I-32"]["lead"] == [
        "Trung tâm Công nghệ thông tin và Chuyển đổi số, BHXH Việt Nam"
    ]
    assert tasks["pl01-I-34"]["group"] == "Bảo hiểm xã hội Việt Nam"
    assert tasks["pl02-3.2-2"] == {
        "ref": "3.2 (2)",
        "ref_derived": True,
        "section": "III",
        "title": "Duy trì, nâng cấp mạng LAN, WAN, Internet.",
        "lead": [
            "Cục CNTT",
            "Cục Thuế",
            "Cục Hải quan",
            "KBNN",
            "Cục DTNN",
            "UBCKNN",
            "BHXH Việt Nam",
        ],
        "support": ["Các đơn vị có liên quan"],
        "deadline": "Hàng năm",
        "parent": f"{DECISION}/pl02-3.2",
        "section_title": "Phát triển Hạ tầng số",
        "appendix": "Phụ lục 02",
        "source_line": 1189,
    }
    assert tasks["pl02-7.2-1"]["lead"] == [
        "Cục CNTT",
        "UBCKNN",
        "Cục Phát triển doanh nghiệp tư nhân và kinh tế tập thể",
    ]
    assert tasks["pl02-5.5"]["support"][-1] == "Cục Quản lý Nợ và Tài chính đối ngoại"
    assert tasks["pl02-8.2-1"]["deadline"] == (
        "Nghiên cứu triển khai và có báo cáo Bộ trong tháng 12/2025"
    )
    assert tasks["pl03-13"] == {
        "ref": "13",
        "title": "Rà soát, sửa đổi quy định, chính sách để khuyến khích các doanh nghiệp trích "
        "lập Quỹ khoa học công nghệ và sử dụng Quỹ này để thực hiện nhiệm vụ chuyển đổi số doanh "
        "nghiệp. Nới lỏng và đơn giản hóa các quy định về trích lập và chi tiêu Quỹ khoa học công "
        "nghệ cho mục tiêu chuyển đổi số doanh nghiệp",
        "lead": ["Bộ Khoa học và Công nghệ"],
        "deadline": "Theo tiến độ của Bộ KHCN",
        "appendix": "Phụ lục 03",
        "focal": ["Cục CST"],
        "note": "Nhiệm vụ theo Quyết định 1484/QĐ-BTC (chuyển thành phối hợp theo đề nghị của TCT)",
        "source_line": 2449,
    }
    assert kpis["III.2-10"] == {
        "ref": "",
        "section": "III.2",
        "name": "Phấn đấu 50% chỉ tiêu thống kê của ngành tài chính được cung cấp phục vụ công "
        "tác chỉ đạo, điều hành dưới dạng dữ liệu số khi có yêu cầu",
        "unit": "%",
        "target": "50%",
        "year": 2025,
        "section_title": "Mục tiêu, chỉ tiêu cụ thể",
        "source_line": 121,
    }


def test_only_the_markdown_copy_is_read(records):
    # the flattened copies (one cell per line) start after each markdown table
    assert max(r.line for r in records if r.key.startswith("pl01")) <= 505
    assert all(1127 <= r.line <= 1411 for r in records if r.key.startswith("pl02"))
    assert all(2421 <= r.line <= 2451 for r in records if r.key.startswith("pl03"))


def test_tables_found_by_header_not_line_number(text, records):
    shifted = doc_1754.parse("Dòng thêm\n\n" * 7 + text)
    assert [(r.key, r.line) for r in shifted] == [(r.key, r.line + 14) for r in records]


def test_missing_table_is_an_error():
    with pytest.raises(ValueError):
        doc_1754.parse_pl02(_fixture("1754_pl01.txt"))


def test_corrections_apply_and_link_to_71(tasks):
    corrected = {r.key: r.fields for r in parse_document(SOURCES, DECISION)}
    corrections = load_corrections(SOURCES, DECISION)
    linked = {
        c["key"]: c["set"]["parent"]
        for c in corrections
        if "parent" in c["set"] and c.get("kind", "task") == "task"
    }
    assert len(linked) == 15  # 11, and 4 national-database links of #18
    for key, parent in linked.items():
        assert "parent" not in tasks[key]  # never overrides a parent inside 1754
        assert corrected[key]["parent"] == parent
        assert parent.startswith("71-NQ-CP-2025/")
    doc_71 = pytest.importorskip("databuild.doc_71")
    text_71 = (SOURCES / "71-NQ-CP-2025.txt").read_text(encoding="utf-8")
    keys_71 = {r.key for r in doc_71.parse(text_71) if r.kind == "task"}
    assert {p.split("/")[1] for p in linked.values()} <= keys_71
