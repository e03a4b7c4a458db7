"""Tests of the 1057/QĐ-BTC parser on real excerpts of the source text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from databuild import doc_1057
from databuild.build import load_corrections, parse_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ROOT / "data" / "sources"
DECISION = "1057-QD-BTC-2025"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def records(name: str, kind: str = "task") -> dict[str, dict]:
    return {r.key: r.fields for r in doc_1057.parse(fixture(name)) if r.kind == kind}


@pytest.fixture(scope="module")
def full() -> list:
    return parse_document(SOURCES, DECISION)


@pytest.fixture(scope="module")
def tasks(full) -> dict[str, dict]:
    return {r.key: r.fields for r in full if r.kind == "task"}


# --- excerpts -------------------------------------------------------------


def test_section_i_kpis_owner_support_target():
    kpis = records("1057_section_I_II.txt", "kpi")
    assert list(kpis) == ["I-1", "I-2", "I-3"]
    assert kpis["I-1"] == {
        "ref": "1",
        "section": "I",
        "name": "Tỉ lệ đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế",
        "unit": "%",
        "target": "≥ 55 (%)",
        "owner": "Cục Thống kê",
        "support": ["Các đơn vị liên quan"],
        "section_title": "KẾ HOẠCH THỰC HIỆN CÁC CHỈ TIÊU CỤ THỂ GIAO BỘ TÀI CHÍNH CHỦ TRÌ",
        "appendix": "Phụ lục",
        "source_line": 14,
    }
    # the first year printed in the target; the unit from its final parentheses
    assert kpis["I-2"]["target"] == "2030: ≥ 3; 2045: ≥ 5 (tổ chức, doanh nghiệp)"
    assert kpis["I-2"]["year"] == 2030
    assert kpis["I-2"]["unit"] == "tổ chức, doanh nghiệp"
    # owner cell with role text -> one owner + the verbatim cell
    assert kpis["I-3"]["owner"] == "Vụ NSNN"
    assert kpis["I-3"]["owner_note"] == (
        "Vụ NSNN tổng hợp, cân đối trên kết quả rà soát và đề xuất của các Vụ/Cục chức năng"
    )
    assert kpis["I-3"]["unit"] == "% tổng chi NSNN"
    assert "year" not in kpis["I-3"]  # not printed: set by a recorded correction


def test_section_ii_dropped_cells():
    rows = records("1057_section_I_II.txt")
    # complete row: lead | support | output | approver | deadline
    assert rows["II-3"] == {
        "ref": "3",
        "section": "II",
        "title": "Sửa đổi Nghị định số 79/2021/NĐ-CP , Nghị định số 97/2018/NĐ-CP về cho vay "
        "lại vốn vay ODA, vay ưu đãi nước ngoài của Chính phủ theo hướng giảm tỷ lệ vay lại "
        "xuống mức thấp nhất, không yêu cầu bảo đảm tiền vay đối với các tổ chức khoa học và "
        "công nghệ, cơ sở giáo dục đại học công lập tự chủ tài chính.",
        "lead": ["Cục Quản lý nợ và Kinh tế đối ngoại"],
        "support": ["Các đơn vị liên quan"],
        "output": "Nghị định",
        "approver": "Chính phủ",
        "deadline": "2025",
        "section_title": "CÁC NHIỆM VỤ BỘ TÀI CHÍNH CHỦ TRÌ THEO CHỨC NĂNG QUẢN LÝ NHÀ NƯỚC "
        "VỀ TÀI CHÍNH-NGÂN SÁCH",
        "appendix": "Phụ lục",
        "source_line": 45,
    }
    # output and approver dropped: lead | support | deadline
    assert rows["II-9"]["lead"] == ["Cơ quan Thuế", "cơ quan Hải quan"]
    assert rows["II-9"]["support"] == ["Các đơn vị liên quan"]
    assert "output" not in rows["II-9"] and "approver" not in rows["II-9"]
    assert rows["II-9"]["deadline"] == "2025 và những năm tiếp theo"
    # two agency cells: the second is the support, not an output
    assert rows["II-8"]["support"] == [
        "Cục Quản lý, giám sát chính sách thuế, phí và lệ phí",
        "Vụ Các định chế tài chính",
    ]
    assert "output" not in rows["II-8"]
    # two outputs / two authorities joined by ";" kept as printed
    assert rows["II-4"]["output"] == "Nghị quyết; Quyết định"
    assert rows["II-4"]["approver"] == "Quốc hội; Thủ tướng Chính phủ"
    # approver printed with a typo is still recognised as the approver
    assert rows["II-7"]["approver"] == "Thủ tướng Chính phú"
    assert rows["II-7"]["output"] == "Quyết định"


def test_section_ii_role_text_in_lead_cells():
    rows = records("1057_section_I_II.txt")
    assert rows["II-1"]["lead"] == ["Vụ NSNN"]
    assert rows["II-1"]["lead_note"] == "Vụ NSNN tổng hợp chung"
    # "X chủ trì, phối hợp với Y": X alone leads, Y supports (before the support cell's names)
    assert rows["II-4"]["lead"] == ["Vụ Tài chính - Kinh tế ngành"]
    assert rows["II-4"]["support"][:2] == ["Vụ I", "Vụ NSNN"]
    assert rows["II-4"]["lead_note"] == (
        "Vụ Tài chính - Kinh tế ngành chủ trì, phối hợp với Vụ I, Vụ NSNN tổng hợp"
    )
    assert rows["II-6"]["lead"] == ["Các Vụ/ Cục", "Vụ NSNN"]
    assert rows["II-8"]["lead"] == [
        "Cơ quan Thuế",
        "cơ quan Hải quan",
        "Viện Chiến lược và Chính sách KTTC",
        "các đơn vị",
    ]
    assert rows["II-8"]["lead_note"].endswith("và các đơn vị theo chức năng, nhiệm vụ được giao")
    # a name with commas is not split, a plain cell has no lead_note
    assert rows["II-2"]["lead"] == ["Cục Quản lý, giám sát chính sách thuế, phí và lệ phí"]
    assert "lead_note" not in rows["II-2"]


def test_section_ii_parent_row_and_children():
    rows = records("1057_section_I_II.txt")
    assert list(rows)[-3:] == ["II-10", "II-10a", "II-10b"]
    parent = rows["II-10"]
    assert "lead" not in parent and "support" not in parent
    assert (parent["output"], parent["approver"], parent["deadline"]) == (
        "Nghị quyết",
        "Quốc hội",
        "2025",
    )
    assert parent["title"].endswith("giai đoạn 2025-2030, trong đó:")
    assert "parent" not in parent
    for child in ("II-10a", "II-10b"):
        assert rows[child]["parent"] == f"{DECISION}/II-10"
        assert rows[child]["ref"] == child[3:]
    assert rows["II-10b"]["lead"] == ["Cục quản lý đấu thầu"]
    assert rows["II-10b"]["support"] == [
        "Vụ Pháp chế",
        "Vụ Tài chính - Kinh tế ngành",
        "Cục CNTT và chuyển đổi số",
        "các đơn vị liên quan",
    ]


def test_section_iii_parent_with_only_output_and_roles():
    rows = records("1057_section_III_parent.txt")
    assert list(rows) == [f"III-{k}" for k in ["1", "2", "3", "4", "5", "6", "7", "7a", "7b"]] + [
        "III-8",
        "III-9",
    ]
    parent = rows["III-7"]
    assert set(parent) == {
        "ref", "section", "title", "output", "deadline", "section_title", "appendix",
        "source_line",
    }  # fmt: skip
    assert parent["output"] == "Các quy trình nội bộ của Bộ Tài chính được ban hành"
    assert parent["deadline"] == "12/2025"
    assert rows["III-7a"]["lead"] == ["Cục CNTT và chuyển đổi số", "Văn phòng Bộ"]
    assert rows["III-7a"]["lead_note"] == (
        "Cục CNTT và chuyển đổi số, Văn phòng Bộ rà soát, tổng hợp chung"
    )
    # support with role text is kept whole (the format has no support note)
    assert rows["III-7a"]["support"] == [
        "Các đơn vị liên quan rà soát, gửi kết quả cho đơn vị chủ trì tổng hợp"
    ]
    assert rows["III-7b"]["lead"] == [
        "Cục Đầu tư nước ngoài",
        "Cục Quản lý đấu thầu",
        "Cục PTDNNN",
        "Cục PTDNTN và KTTT",
        "cơ quan thuế",
        "cơ quan hải quan",
    ]
    assert rows["III-7b"]["lead_note"].startswith("Các đơn vị thực hiện, giải quyết thủ tục")
    assert rows["III-7b"]["parent"] == f"{DECISION}/III-7"
    # approver dropped, output kept; deadline formats
    assert rows["III-5"]["output"].startswith("Gửi Bộ Tư pháp tổng hợp")
    assert "approver" not in rows["III-5"]
    assert rows["III-3"]["deadline"] == "Nhiệm vụ thường xuyên"
    assert rows["III-6"]["lead"] == ["Các Vụ/Cục"]
    assert rows["III-6"]["lead_note"] == "Các Vụ/Cục chủ trì theo chức năng, nhiệm vụ được giao"
    assert rows["III-8"]["approver"] == "Thủ tướng Chính phủ"


def test_section_iii_period_separator_and_year_range():
    rows = records("1057_section_III_end.txt")
    assert list(rows) == ["III-16", "III-17", "III-18", "III-19"]
    assert rows["III-16"]["lead"] == [
        "Cục Phát triển DNNN",
        "Cục Phát triển DNTN và KTTT",
        "Vụ Đầu tư",
    ]
    assert "lead_note" not in rows["III-16"]
    assert "thời kỳ 2021-2030, tầm nhìn" in rows["III-19"]["title"]  # "2021- 2030" re-joined
    assert rows["III-19"]["lead"] == [
        "Các cơ quan Thuế",
        "cơ quan Hải quan",
        "Cục CNTT và chuyển đổi số",
    ]
    assert rows["III-17"]["deadline"] == "3/2026"


def test_unplaceable_cells_raise():
    bad = fixture("1057_section_III_end.txt").replace("Kế hoạch\n", "Kế hoạch\nThêm\nNữa\n", 1)
    with pytest.raises(ValueError, match="cannot place"):
        doc_1057.parse(bad)


# --- the whole table --------------------------------------------------------


def test_counts(full, tasks):
    kinds = Counter(r.kind for r in full)
    assert kinds == {"task": 41, "kpi": 3}
    parents = {f.get("parent") for f in tasks.values()}
    internal = {p.split("/")[1] for p in parents if p and p.startswith(DECISION)}
    assert internal == {"II-10", "III-7"}
    assert len(tasks) - len(internal) == 39  # leaves
    sections = Counter(f["section"] for f in tasks.values())
    assert sections == {"II": 20, "III": 21}
    keys = list(tasks)
    assert keys[:11] == [f"II-{n}" for n in range(1, 10)] + ["II-10", "II-10a"]
    assert keys[-1] == "III-19"


def test_every_row_is_placed(tasks):
    deadline = re.compile(
        r"^(?:\d{1,2}/\d{4}|\d{4}(?:-\d{4})?|.*thường xuyên|Hằng năm"
        r"|\d{4} và những năm tiếp theo)$",
        re.IGNORECASE,
    )
    for key, f in tasks.items():
        assert deadline.match(f["deadline"]), key
        if key in ("II-10", "III-7"):
            assert "lead" not in f
        else:
            assert f["lead"] and f["support"], key
        assert f["source_line"] >= 1
    with_output = sum("output" in f for f in tasks.values())
    with_approver = sum("approver" in f for f in tasks.values())
    assert (with_output, with_approver) == (36, 13)


def test_spot_check_after_corrections(full, tasks):
    kpis = {r.key: r.fields for r in full if r.kind == "kpi"}
    assert (kpis["I-1"]["year"], kpis["I-1"]["parent"]) == (2030, "71-NQ-CP-2025/8")
    assert (kpis["I-2"]["year"], kpis["I-2"]["parent"]) == (2030, "71-NQ-CP-2025/25")
    assert (kpis["I-3"]["year"], kpis["I-3"]["parent"]) == (2030, "71-NQ-CP-2025/17")
    assert tasks["II-14"] == {
        "ref": "14",
        "section": "II",
        "title": "Phát triển mạng lưới kết nối các trung tâm đổi mới sáng tạo, khởi nghiệp sáng "
        "tạo, tập trung vào các công nghệ chiến lược và chuyển đổi số",
        "lead": ["Trung tâm đổi mới sáng tạo quốc gia"],
        "support": ["Vụ Tài chính - Kinh tế ngành", "Cục CNTT và chuyển đổi số"],
        "output": "Mạng lưới kết nối",
        "deadline": "2030",
        "section_title": "CÁC NHIỆM VỤ BỘ TÀI CHÍNH CHỦ TRÌ THEO CHỨC NĂNG QUẢN LÝ NHÀ NƯỚC "
        "VỀ TÀI CHÍNH-NGÂN SÁCH",
        "appendix": "Phụ lục",
        "source_line": 168,
        "parent": "71-NQ-CP-2025/62",
    }
    assert tasks["III-14"]["output"].startswith("Khắc phục lỗ hổng bảo mật")
    assert tasks["III-14"]["deadline"] == "06/2025"
    # children keep their 1057 parent; II-2 and III-17 are linked since #18
    assert tasks["II-10a"]["parent"] == f"{DECISION}/II-10"
    assert tasks["III-7a"]["parent"] == f"{DECISION}/III-7"
    assert tasks["II-2"]["parent"] == "71-NQ-CP-2025/23"
    assert tasks["III-17"]["parent"] == "71-NQ-CP-2025/165"


def test_cross_plan_links_point_to_existing_tasks(tasks):
    national = {
        decision: {(r.kind, r.key) for r in parse_document(SOURCES, decision)}
        for decision in ("71-NQ-CP-2025", "07-CT-TTg-2025")
    }
    corrections = load_corrections(SOURCES, DECISION)
    links = [c for c in corrections if "parent" in (c.get("set") or {})]
    assert len(links) == 3 + 37  # 3 KPIs, 37 tasks (II-2 and III-17 added for #18)
    for corr in links:
        decision, key = corr["set"]["parent"].split("/")
        assert (corr.get("kind", "task"), key) in national[decision], corr["key"]
        assert corr["reason"].strip()
