"""Tests of the 3392/QĐ-BKHCN parser on real excerpts of the source text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from databuild import doc_3392
from databuild.build import parse_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ROOT / "data" / "sources"
DECISION = "3392-QD-BKHCN-2023"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def tasks_by_key(text: str) -> dict[str, dict]:
    return {r.key: r.fields for r in doc_3392.parse(text) if r.kind == "task"}


@pytest.fixture(scope="module")
def full() -> list:
    return parse_document(SOURCES, DECISION)


# --- excerpts -------------------------------------------------------------


def test_section_i_wrapped_cells_empty_support_and_ranges():
    rows = tasks_by_key(fixture("3392_section_I.txt"))
    assert list(rows) == [f"I-{n}" for n in range(1, 8)]
    # empty support shown only by the leading spaces of "  2023"
    assert rows["I-1"]["lead"] == ["Vụ Pháp chế"]
    assert rows["I-1"]["support"] == []
    assert rows["I-1"]["deadline"] == "2023"
    # lead wrapped over a blank line, range "2023-" / "2024" re-joined
    assert rows["I-3"]["lead"] == ["Vụ Kế hoạch - Tài chính"]
    assert rows["I-3"]["support"] == []
    assert rows["I-3"]["deadline"] == "2023-2024"
    # support wrapped over a blank line ("Các đơn / vị thuộc" + "Bộ")
    assert rows["I-5"] == {
        "ref": "5",
        "section": "I",
        "section_title": "Hoàn thiện môi trường pháp lý",
        "appendix": "Phụ lục",
        "title": "Duy trì, cập nhật Kiến trúc Chính phủ điện tử của Bộ phù hợp với Khung "
        "Kiến trúc Chính phủ điện tử Việt Nam và yêu cầu phát triển Chính phủ số",
        "lead": ["Trung tâm Công nghệ thông tin (CNTT)"],
        "support": ["Các đơn vị thuộc Bộ"],
        "deadline": "Hằng năm",
        "source_line": 62,
    }
    assert rows["I-6"]["support"] == ["Văn Phòng Bộ"]  # case kept as printed


def test_section_iv_number_inside_title_and_split_names():
    rows = tasks_by_key(fixture("3392_section_IV.txt"))
    assert list(rows) == [f"IV-{n}" for n in range(1, 11)]
    # the title line "06 và chuyển đổi số…" is not task 6 (nor a new row)
    assert "Đề án 06 và chuyển đổi số trong thời gian" in rows["IV-8"]["title"]
    assert "đề nghị BộTT&TT hỗ trợ" in rows["IV-8"]["title"]  # printed without space
    assert rows["IV-8"]["support"] == ["Các đơn vị có hạ tầng CNTT, HTTT, CSDL"]
    # lead of two names over three fragments, one name cut inside ("Cục Sở" / "hữu trí tuệ")
    assert rows["IV-1"]["lead"] == ["Cục Thông tin KH&CN quốc gia", "Cục Sở hữu trí tuệ"]
    assert rows["IV-1"]["support"] == ["Các đơn vị quản lý nhiệm vụ"]
    # "Các đơn vị chủ quản" / "HTTT" / "Trung / tâm" / "CNTT"
    assert rows["IV-7"]["lead"] == ["Các đơn vị chủ quản HTTT"]
    assert rows["IV-7"]["support"] == ["Trung tâm CNTT"]
    assert rows["IV-9"]["lead"] == ["Vụ Tổ chức cán bộ"]
    assert rows["IV-9"]["support"] == ["Trung tâm CNTT"]
    assert rows["IV-10"]["lead"] == ["Cục Phát triển công nghệ và Đổi mới sáng tạo"]
    assert rows["IV-10"]["support"] == []


def test_section_v_lead_glued_to_title():
    rows = tasks_by_key(fixture("3392_section_V.txt"))
    assert len(rows) == 15
    # "2 Phát triển, hoàn thiện HTTT của Bộ Trung tâm" / "CNTT"
    assert rows["V-2"]["title"] == "Phát triển, hoàn thiện HTTT của Bộ"
    assert rows["V-2"]["lead"] == ["Trung tâm CNTT"]
    assert rows["V-2"]["support"] == ["Văn phòng Bộ"]
    assert rows["V-2"]["deadline"] == "2024-2025"
    # "9 Xây dựng thư viện số quốc gia về KH&CN Cục Thông" / "tin" + "KH&CN / quốc gia"
    assert rows["V-9"]["title"] == "Xây dựng thư viện số quốc gia về KH&CN"
    assert rows["V-9"]["lead"] == ["Cục Thông tin KH&CN quốc gia"]
    assert rows["V-9"]["support"] == []
    assert rows["V-9"]["deadline"] == "2023-2025"
    # lead "Trung tâm CNTT," + "Văn phòng Bộ": a trailing comma continues the cell
    assert rows["V-1"]["lead"] == ["Trung tâm CNTT", "Văn phòng Bộ"]
    assert rows["V-1"]["support"] == ["Các đơn vị chủ trì cung cấp DVCTT"]
    # an agency name with a comma is not split
    assert rows["V-11"]["support"] == ["Vụ Đánh giá, Thẩm định và Giám định công nghệ"]
    assert rows["V-13"]["title"].endswith("Hỗ trợ tính năng mạng xã hội …)")
    assert rows["V-15"]["title"].endswith("Nhà xuất bản Khoa học và Kỹ thuật.")
    assert rows["V-15"]["lead"] == ["Nhà xuất bản Khoa học và Kỹ thuật"]
    assert rows["V-15"]["deadline"] == "2024"


def test_sections_ix_to_xii_truncated_name_blank_cells_and_extra_cell():
    rows = tasks_by_key(fixture("3392_sections_IX_XII.txt"))
    assert Counter(f["section"] for f in rows.values()) == {"IX": 2, "X": 1, "XI": 4, "XII": 6}
    assert rows["IX-1"]["lead"] == ["Trung tâm nghiên cứu và phát triển truyền thông KH&CN"]
    assert rows["IX-1"]["support"] == ["Báo, Tạp chí"]
    assert rows["IX-2"]["lead"] == ["Các đơn vị chủ trì cung cấp DVCTT"]
    assert rows["IX-2"]["support"] == [
        "Trung tâm nghiên cứu và phát triển truyền thông KH&CN",
        "Trung tâm ....",
    ]
    # a whitespace-only line where the support would be
    assert rows["X-1"]["lead"] == ["Các đơn vị chủ trì cung cấp DVCTT"]
    assert rows["X-1"]["support"] == []
    assert rows["XI-1"]["lead"] == [
        "Vụ Công nghệ cao",
        "Văn phòng các Chương trình trọng điểm cấp quốc gia",
    ]
    assert rows["XI-1"]["support"] == []
    assert rows["XI-2"]["lead"] == ["Các đơn vị chủ quản sản phẩm được đánh giá, kiểm định"]
    assert rows["XI-4"]["lead"] == [
        "Cục Phát triển công nghệ và Đổi mới sáng tạo",
        "Cục Phát triển thị trường và doanh nghiệp KH&CN",
    ]
    assert rows["XI-4"]["support"] == []
    # the unlabelled 6th cell of XII.3 (unclosed parenthesis as printed)
    assert rows["XII-3"]["note"] == "(Ghi rõ rà soát TTHC nào có thể sử dụng CSDL dân cư"
    assert rows["XII-3"]["deadline"] == "Hằng năm"
    assert rows["XII-3"]["support"] == ["Văn phòng Bộ", "Trung tâm CNTT"]
    assert all("note" not in f for k, f in rows.items() if k != "XII-3")
    assert rows["XII-5"]["support"] == ["Văn phòng Bộ"]
    assert rows["XII-5"]["deadline"] == "2024"


def test_article2_targets_and_duplicate_task():
    records = doc_3392.parse(fixture("3392_article2_section_VI.txt"))
    kpis = {r.key: r.fields for r in records if r.kind == "kpi"}
    assert list(kpis) == ["dieu2-a", "dieu2-b.1", "dieu2-b.2", "dieu2-c"]
    assert kpis["dieu2-a"] == {
        "ref": "a)",
        "section": "Điều 2",
        "name": "100% kết quả giải quyết thủ tục hành chính được số hóa",
        "unit": "%",
        "target": "100%",
        "year": 2025,
        "note": "vào Mục 1, Phần III. Mục tiêu cơ bản đến năm 2025",
        "source_line": 5,
    }
    assert kpis["dieu2-b.1"]["target"] == "100%"
    assert kpis["dieu2-b.2"]["ref"] == "b)"
    assert kpis["dieu2-b.2"]["unit"] == ""
    assert kpis["dieu2-b.2"]["target"] == kpis["dieu2-b.2"]["name"]
    assert kpis["dieu2-b.2"]["name"].startswith("Các hệ thống thông tin, cơ sở dữ liệu của Bộ")
    assert kpis["dieu2-c"]["year"] == 2030
    assert "làm giàu cơ sở dữ quốc gia" in kpis["dieu2-c"]["name"]  # printed without "liệu"
    assert all("owner" not in k for k in kpis.values())
    tasks = {r.key: r.fields for r in records if r.kind == "task"}
    assert list(tasks) == ["VI-1", "VI-2", "VI-3", "VI-4"]
    assert tasks["VI-4"]["body_ref"] == ["Điều 2.d"]
    assert all("body_ref" not in f for k, f in tasks.items() if k != "VI-4")


# --- helpers --------------------------------------------------------------


def test_agencies_splitting():
    assert doc_3392.agencies("Văn phòng Bộ, Vụ Kế hoạch - Tài chính") == [
        "Văn phòng Bộ",
        "Vụ Kế hoạch - Tài chính",
    ]
    assert doc_3392.agencies("Các đơn vị quản lý, đơn vị chủ trì nhiệm vụ KH&CN") == [
        "Các đơn vị quản lý, đơn vị chủ trì nhiệm vụ KH&CN"
    ]
    assert doc_3392.agencies("KH&CN, Trung tâm ....") == ["KH&CN", "Trung tâm ...."]
    assert doc_3392.agencies("") == []


def test_undecidable_lead_support_boundary_raises():
    # two places where a support could start: refuse to guess
    with pytest.raises(ValueError, match="cannot split"):
        doc_3392._split_lead_support(["Vụ Pháp chế", "Cục Sở hữu trí tuệ", "Văn phòng Bộ"], "X-1")


# --- the whole document ---------------------------------------------------


def test_counts(full):
    tasks = [r for r in full if r.kind == "task"]
    kpis = [r for r in full if r.kind == "kpi"]
    assert len(tasks) == 65
    assert len(kpis) == 4
    per_section = Counter(r.fields["section"] for r in tasks)
    assert per_section == {
        "I": 7,
        "II": 2,
        "III": 5,
        "IV": 10,
        "V": 15,
        "VI": 4,
        "VII": 1,
        "VIII": 3,
        "IX": 2,
        "X": 1,
        "XI": 4,
        "XII": 6,
        "XIII": 1,
        "XIV": 2,
        "XV": 2,
    }
    assert [r.key for r in tasks][:3] == ["I-1", "I-2", "I-3"]
    assert tasks[-1].key == "XV-2"
    deadlines = Counter(r.fields["deadline"] for r in tasks)
    assert deadlines == {
        "Hằng năm": 28,
        "2024-2025": 12,
        "2023-2025": 11,
        "2023": 9,
        "2024": 4,
        "2023-2024": 1,
    }
    assert sum(not r.fields["support"] for r in tasks) == 23
    assert all(r.fields["lead"] for r in tasks)
    assert all(r.fields["appendix"] == "Phụ lục" for r in tasks)
    assert [r.key for r in tasks if r.fields.get("body_ref")] == ["VI-4"]


def test_spot_rows(full):
    rows = {r.key: r.fields for r in full if r.kind == "task"}
    assert rows["III-4"]["lead"] == ["Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia"]
    assert rows["III-5"]["support"] == ["Các đơn vị quản lý, đơn vị chủ trì nhiệm vụ KH&CN"]
    assert rows["VIII-3"]["lead"] == ["Vụ Kế hoạch - Tài Chính"]  # case variant kept
    assert rows["XIV-1"] == {
        "ref": "1",
        "section": "XIV",
        "section_title": "Bảo đảm kinh phí",
        "appendix": "Phụ lục",
        "title": "Ưu tiên sử dụng nguồn vốn ngân sách nhà nước và huy động các nguồn vốn "
        "khác theo quy định của pháp luật để phát triển Chính phủ số; tăng cường thực hiện "
        "giải pháp thuê dịch vụ CNTT",
        "lead": ["Vụ Kế hoạch - Tài chính", "Văn phòng Bộ"],
        "support": ["Các đơn vị thuộc Bộ"],
        "deadline": "Hằng năm",
        "source_line": 1139,
    }
    assert rows["XV-1"]["lead"] == ["Văn phòng Bộ", "Trung tâm CNTT"]
    assert rows["VII-1"]["support"] == ["Vụ Tổ chức cán bộ"]


def test_every_printed_character_lands_in_a_field(full):
    """Row text = title + lead + support + time + note (no text lost or doubled)."""
    lines = (SOURCES / f"{DECISION}.txt").read_text(encoding="utf-8").splitlines()
    tasks = [r for r in full if r.kind == "task"]
    starts = [r.line for r in tasks]
    section_lines = [
        i + 1 for i, s in enumerate(lines) if re.match(r"^[IVX]+ \S", s) and i + 1 > starts[0] - 3
    ]
    ends = sorted(set(starts[1:] + section_lines + [len(lines) + 1]))

    def squeeze(text: str) -> str:
        return re.sub(r"[\s,;]", "", text)

    for rec in tasks:
        end = min(e for e in ends if e > rec.line)
        printed = squeeze("".join(lines[rec.line - 1 : end - 1]))
        f = rec.fields
        parsed = squeeze(
            f["ref"]
            + f["title"]
            + "".join(f["lead"])
            + "".join(f["support"])
            + f["deadline"]
            + f.get("note", "")
        )
        assert parsed == printed, rec.key
