"""Tests of the 07/CT-TTg parser on real excerpts of the source text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from databuild import doc_07
from databuild.build import parse_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ROOT / "data" / "sources"
DECISION = "07-CT-TTg-2025"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def rows(name: str) -> dict[str, dict]:
    return {r.key: r.fields for r in doc_07.parse(fixture(name))}


@pytest.fixture(scope="module")
def tasks() -> dict[str, dict]:
    return {r.key: r.fields for r in parse_document(SOURCES, DECISION)}


@pytest.fixture(scope="module")
def appendix(tasks) -> dict[str, dict]:
    return {k: f for k, f in tasks.items() if not k.startswith("body-")}


# --- excerpts -------------------------------------------------------------


def test_section_a_lead_only_and_quota_cell():
    got = rows("07_section_A_head.txt")
    assert list(got) == [f"A-{n}" for n in range(1, 9)]
    assert got["A-1"] == {
        "ref": "1",
        "section": "A",
        "title": "Xây dựng Kế hoạch triển khai trong năm 2025 theo hướng “rõ người, rõ việc, rõ "
        "thời gian, rõ kết quả, rõ trách nhiệm”, gắn trách nhiệm của người đứng đầu từng đơn vị.",
        "lead": ["Các Bộ, ngành, địa phương"],
        "deadline": "Tháng 3/2025",
        "section_title": "Nhiệm vụ chung của các bộ, ngành, địa phương",
        "appendix": "Phụ lục",
        "source_line": 11,
    }
    # per-ministry quotas: names before ":" as lead, the whole cell as lead_note
    a3 = got["A-3"]
    assert a3["lead"] == [
        "Bộ Tài chính",
        "Bộ Công thương",
        "Bộ Giáo dục và Đào tạo",
        "Bộ Nội vụ",
        "Bộ Quốc phòng",
        "Bộ nông nghiệp và Môi trường",
        "Bộ Tư pháp",
        "Bộ Y tế",
        "Bộ Văn hóa, Thể thao và Du lịch",
    ]
    assert a3["lead_note"].startswith("Bộ Tài chính: 03 dịch vụ (01 DVC BHXH chuyển sang); ")
    assert a3["lead_note"].endswith("Bộ Văn hóa, Thể thao và Du lịch: 01 dịch vụ")
    assert "transferred_from" not in a3 and "support" not in a3
    # lead | support | deadline
    assert got["A-6"]["support"] == ["Bộ Công an"]
    assert got["A-6"]["deadline"] == "Quý I/2025"
    assert "  " not in got["A-6"]["title"]
    assert got["A-8"]["support"] == ["Bộ Tư pháp", "các Bộ, ngành"]
    assert "output" not in got["A-8"]  # the table has no output column


def test_section_a_inline_subitems_stay_in_the_title():
    got = rows("07_section_A_subitems.txt")
    assert list(got) == ["A-21", "A-22"]
    a21 = got["A-21"]
    assert a21["title"].startswith(
        "Xây dựng Đề án chuyển đổi số bảo đảm kết nối với Đề án 06 theo 11 tiện ích, mục tiêu "
        "Bộ Công an đã xây dựng: (1) Định danh tàu thuyền; (2) Định danh địa điểm; (3) Xây dựng"
    )
    assert a21["title"].endswith("(11) Mô hình điểm tại các tỉnh, thành phố có đảo.")
    assert len(re.findall(r"\(\d+\) ", a21["title"])) == 11
    assert a21["lead"] == [
        "Bộ Nội vụ",
        "Bộ Nông nghiệp và môi trường",
        "Bộ Xây dựng",
        "Ngân hàng nhà nước Việt Nam",
        "Bộ Khoa học và Công nghệ",
        "Bộ Tài chính",
    ]
    assert a21["lead_note"].startswith(
        "Bộ Nội vụ (của Bộ Lao động - Thương binh và Xã hội chuyển sang), Bộ Nông nghiệp"
    )
    assert "transferred_from" not in a21  # several former ministries
    assert a21["support"] == ["Bộ Công an"]
    assert a21["deadline"] == "Tháng 12/2025"
    assert got["A-22"]["deadline"] == "Thực hiện thường xuyên"


def test_section_b_multiline_leads_and_agency_lines():
    got = rows("07_section_B_agency_lines.txt")
    assert list(got) == [f"B-{n}" for n in range(21, 38)]
    assert got["B-21"]["lead"] == ["Bộ Tài chính"]  # "Bộ Tài chính," trailing comma
    assert got["B-21"]["deadline"] == "Tháng 12/2025 và những năm tiếp theo"
    # three agency lines: not placeable, all to lead (a recorded correction decides)
    assert got["B-23"]["lead"] == ["Bộ Ngoại giao", "Bộ Công an", "Bộ Tư pháp"]
    assert "support" not in got["B-23"]
    # lead cell over two lines: name + provenance note
    assert got["B-32"] == {
        "ref": "32",
        "section": "B",
        "title": "Xây dựng bộ tiêu chí để xác định Doanh nghiệp công nghệ số ngang tầm các "
        "nước tiên tiến",
        "lead": ["Bộ Khoa học và Công nghệ"],
        "deadline": "Tháng 6/2025",
        "section_title": "Nhiệm vụ cụ thể của các bộ, ngành",
        "appendix": "Phụ lục",
        "lead_note": "(Nhiệm vụ của Bộ Thông tin và Truyền thông chuyển sang)",
        "transferred_from": "Bộ Thông tin và Truyền thông",
        "source_line": 60,
    }
    assert got["B-33"]["support"] == ["Các bộ, ngành và địa phương"]
    assert got["B-33"]["transferred_from"] == "Bộ Thông tin và Truyền thông"
    assert got["B-35"]["support"] == ["Tập đoàn công nghệ (VNPT, CMC, FPT, Viettel...)"]
    assert got["B-36"]["support"] == ["Bộ Công an", "các nhà mạng viễn thông"]
    assert got["B-28"]["lead"] == ["Bộ Khoa học và Công nghệ"]
    assert "lead_note" not in got["B-28"]


def test_section_c_bullets_and_footer():
    got = rows("07_section_C.txt")
    assert list(got) == [f"C-{n}" for n in range(1, 6)]
    c1 = got["C-1"]
    assert c1["title"].startswith("- 04 địa phương chưa hoàn thành (Vĩnh Long, Quảng Trị")
    assert " - Đối với 39 địa phương (Sóc Trăng," in c1["title"]
    assert " - Đối với 20 địa phương (TP. Hồ Chí Minh," in c1["title"]
    assert (c1["lead"], c1["support"], c1["deadline"]) == (
        ["Các địa phương"],
        ["Bộ Tư pháp"],
        "Tháng 3/2025",
    )
    assert got["C-5"]["deadline"] == "Tháng 7/2025"  # the source footer is not a cell
    assert got["C-3"]["lead"] == ["Các địa phương liên quan"]


def test_body_items_and_labels():
    items = doc_07.body_items(fixture("07_body.txt").splitlines())
    labels = [i.label for i in items]
    assert len(items) == 40
    assert labels[:7] == ["1.a", "1.b", "1.c", "1.d", "1.đ.1", "1.đ.2", "1.đ.3"]
    assert Counter(label[:3] for label in labels if label.startswith("2.")) == {
        "2.a": 5, "2.b": 1, "2.c": 1, "2.d": 3, "2.đ": 3, "2.e": 2, "2.g": 2, "2.h": 5,
        "2.i": 1, "2.k": 3, "2.l": 1, "2.m": 1, "2.n": 1, "2.o": 3, "2.p": 1,
    }  # fmt: skip
    by_label = {i.label: i for i in items}
    assert by_label["2.h.1"].heading == "Bộ Khoa học và Công nghệ"
    assert by_label["2.o.2"].heading == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    assert by_label["1.đ.2"].heading == "Về phát triển dữ liệu"
    assert by_label["2.i"].heading == ""
    assert by_label["2.i"].text.startswith("Bộ Nông nghiệp và Môi trường hoàn thiện")
    assert labels[-1] == "2.p"  # "3. Giao Ban Chỉ đạo …" is not a task
    assert sorted(labels) == sorted(doc_07.BODY_LINKS)


def test_unplaceable_row_raises():
    bad = fixture("07_section_C.txt").replace("Tháng 7/2025", "Sắp tới", 1)
    with pytest.raises(ValueError, match="not a deadline"):
        doc_07.parse(bad)


# --- the whole document -----------------------------------------------------


def test_counts(tasks, appendix):
    assert len(appendix) == 112
    assert Counter(f["section"] for f in appendix.values()) == {"A": 26, "B": 81, "C": 5}
    assert all("parent" not in f for f in appendix.values())  # all leaves
    assert sum(bool(f.get("support")) for f in appendix.values()) == 60
    provenance = Counter(f.get("transferred_from") for f in appendix.values())
    assert provenance == {
        None: 82,
        "Bộ Thông tin và Truyền thông": 15,
        "Bộ Kế hoạch và Đầu tư": 12,
        "Bộ Tài nguyên và Môi trường": 2,
        "Bộ Giao thông vận tải": 1,
    }
    assert Counter(f["deadline"] for f in appendix.values()).most_common(3) == [
        ("Tháng 12/2025", 35),
        ("Tháng 6/2025", 27),
        ("Tháng 3/2025", 14),
    ]
    assert [k for k in tasks if k.startswith("body-")] == ["body-2-h-1"]


def test_corrections_applied(appendix):
    assert appendix["B-23"]["lead"] == ["Bộ Ngoại giao"]
    assert appendix["B-23"]["support"] == ["Bộ Công an", "Bộ Tư pháp"]
    assert appendix["B-80"]["support"] == ["Bộ Công an", "Bộ Nội vụ", "Văn phòng Chính phủ"]


def test_body_refs(tasks, appendix):
    linked = Counter(label for f in appendix.values() for label in f.get("body_ref", []))
    assert set(linked) | {"2.h.1"} == set(doc_07.BODY_LINKS)
    assert appendix["A-16"]["body_ref"] == ["1.đ.1", "1.đ.2", "1.đ.3"]
    assert appendix["B-23"]["body_ref"] == ["2.a.4", "2.k.1"]
    assert appendix["B-51"]["body_ref"] == appendix["B-61"]["body_ref"] == ["2.đ.2"]
    # every linked pair shares most of its words (a guard against a shifted key)
    lines = (SOURCES / f"{DECISION}.txt").read_text(encoding="utf-8").splitlines()
    items = {i.label: i for i in doc_07.body_items(lines)}

    def words(s: str) -> set[str]:
        return set(re.findall(r"\w+", s.lower()))

    for label, keys in doc_07.BODY_LINKS.items():
        for key in keys:
            a, b = words(items[label].text), words(appendix[key]["title"])
            assert len(a & b) / min(len(a), len(b)) >= 0.5, (label, key)
    assert tasks["body-2-h-1"] == {
        "ref": "2.h.1",
        "section": "body",
        "title": "Khẩn trương hoàn thành việc xây dựng, trình Chính phủ, Thủ tướng Chính phủ "
        "các văn bản quy định chi tiết Luật giao dịch điện tử.",
        "lead": ["Bộ Khoa học và Công nghệ"],
        "section_title": "Các nhiệm vụ trọng tâm tập trung triển khai trong năm 2025",
        "source_line": 41,
    }


def test_spot_checks(appendix):
    assert appendix["B-16"]["support"] == [
        "Ngân hàng hàng Nhà nước",
        "Bộ Tài chính",
        "Bộ Nội vụ",
        "các Ngân hàng (Vietinbank, Vietcombank, BIDV, Agribank và MBBank...)",
    ]
    assert appendix["B-69"]["lead"] == appendix["B-69"]["support"] == ["Bộ Tài chính"]
    assert appendix["B-72"]["title"].startswith("phối hợp với Bộ Công an")
    assert appendix["A-16"]["lead"] == ["Các bộ, ngành là chủ quản CSDLQG, CSDL chuyên ngành"]
    assert appendix["B-39"]["support"] == [
        "Các cơ quan Đảng, Quốc hội, Tòa án nhân dân tối cao, Viện Kiểm sát nhân dân tối cao"
    ]
    assert appendix["B-79"]["transferred_from"] == "Bộ Giao thông vận tải"
    assert appendix["C-4"]["title"].startswith("461 huyện đã hoàn thành số hóa")
    assert appendix["B-81"]["lead"] == ["Đài Truyền hình Việt Nam", "Đài tiếng nói Việt Nam"]
