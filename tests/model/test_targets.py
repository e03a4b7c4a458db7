"""nq57.model.targets: every KPI target printed in 71/NQ-CP Phụ lục I, 1057 section I,
1754 section III.2 and 3392 Điều 2, the forms named in the design brief, meets /
progress / lower_is_better, and never-raise properties."""

from __future__ import annotations

import inspect
import math
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq57.model import targets
from nq57.model.targets import Comparison, Target, lower_is_better, meets, parse_target, progress

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
QUAL = "qualitative"


def C(op: str, value: float, high: float | None = None, label: str | None = None) -> Comparison:
    return Comparison(op, value, high, label)


# (where, target as printed, expected comparisons or QUAL)
PRINTED = [
    # 71/NQ-CP Phụ lục I, column "Kết quả"
    (
        "71/1",
        "Đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong các nước"
        " có thu nhập trung bình cao",
        QUAL,
    ),
    ("71/2", "Đạt mức trên trung bình của thế giới", QUAL),
    ("71/3", "Một số lĩnh vực đạt trình độ quốc tế", QUAL),
    (
        "71/4",
        "≤ 3 Đông Nam Á; ≤ 50 Thế giới",
        [C("<=", 3, label="Đông Nam Á"), C("<=", 50, label="Thế giới")],
    ),
    (
        "71/5",
        "≤ 3 Đông Nam Á; ≤ 50 Thế giới",
        [C("<=", 3, label="Đông Nam Á"), C("<=", 50, label="Thế giới")],
    ),
    ("71/6", "≤ 3 Đông Nam Á", [C("<=", 3, label="Đông Nam Á")]),
    ("71/7", "≥ 5", [C(">=", 5)]),
    ("71/8", "≥ 55", [C(">=", 55)]),
    ("71/9", "≥ 50", [C(">=", 50)]),
    ("71/10", "≥ 30", [C(">=", 30)]),
    ("71/11.1", "≥ 80", [C(">=", 80)]),
    ("71/11.2", "90", [C("=", 90)]),
    ("71/11.3", "100", [C("=", 100)]),
    ("71/11.4", "100", [C("=", 100)]),
    ("71/11.5", "80", [C("=", 80)]),
    ("71/11.6", "80", [C("=", 80)]),
    ("71/11.7", "100", [C("=", 100)]),
    ("71/11.8", "100", [C("=", 100)]),
    ("71/11.9", "100", [C("=", 100)]),
    ("71/12", "≥ 80", [C(">=", 80)]),
    ("71/13", "≥ 40", [C(">=", 40)]),
    ("71/14", "$> 0,7$", [C(">", 0.7)]),
    ("71/15", "2", [C("=", 2)]),
    ("71/16", "> 60", [C(">", 60)]),
    ("71/17", "≥ 3% và tăng dần theo yêu cầu phát triển", [C(">=", 3)]),
    ("71/18", "12", [C("=", 12)]),
    ("71/19", "40 - 50", [C("range", 40, 50)]),
    ("71/20", "10", [C("=", 10)]),
    ("71/21", "16 - 18", [C("range", 16, 18)]),
    ("71/22", "8 - 10", [C("range", 8, 10)]),
    (
        "71/23",
        "Tiên tiến, hiện đại, dung lượng siêu lớn, băng thông siêu rộng ngang tầm các nước"
        " tiên tiến",
        QUAL,
    ),
    ("71/23.1", "100", [C("=", 100)]),
    ("71/23.2", "09", [C("=", 9)]),
    ("71/23.3", "≥ 350", [C(">=", 350)]),
    ("71/23.4", "99", [C("=", 99)]),
    ("71/24", "≥ 6", [C(">=", 6)]),
    ("71/25", "≥ 3", [C(">=", 3)]),
    ("71/26", "100", [C("=", 100)]),
    ("71/27", "100", [C("=", 100)]),
    ("71/28", "5", [C("=", 5)]),
    ("71/29", "≥ 03", [C(">=", 3)]),
    ("71/30", "≥ 95", [C(">=", 95)]),
    ("71/31", "≥ 70", [C(">=", 70)]),
    ("71/32", "≥ 95", [C(">=", 95)]),
    ("71/33", "≤ 10", [C("<=", 10)]),
    ("71/34", "01", [C("=", 1)]),
    ("71/35", "50", [C("=", 50)]),
    ("71/36", "≥ 50", [C(">=", 50)]),
    ("71/37", "≤ 30", [C("<=", 30)]),
    ("71/38", "1", [C("=", 1)]),
    ("71/39", "≥ 10", [C(">=", 10)]),
    ("71/40", "≥ 5", [C(">=", 5)]),
    ("71/41", "20 - 50", [C("range", 20, 50)]),
    # 1057/QĐ-BTC section I (target printed in the "Hình thức văn bản/ Kết quả" place)
    ("1057/I-1", "≥ 55 (%)", [C(">=", 55)]),
    (
        "1057/I-2",
        "2030: ≥ 3; 2045: ≥ 5 (tổ chức, doanh nghiệp)",
        [C(">=", 3, label="2030"), C(">=", 5, label="2045")],
    ),
    ("1057/I-3", "≥ 3% và tăng dần theo yêu cầu phát triển (% tổng chi NSNN)", [C(">=", 3)]),
    # 1754/QĐ-BTC III.2: the percentage cut out as target, and the full statement
    ("1754/III.2-1", "ít nhất 3%", [C(">=", 3)]),
    (
        "1754/III.2-1",
        "Bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công"
        " nghệ, đổi mới sáng tạo, chuyển đổi số quốc gia và tăng dần theo yêu cầu"
        " phát triển",
        [C(">=", 3)],
    ),
    (
        "1754/III.2-2",
        "Hệ thống tổ chức khoa học, công nghệ, đổi mới sáng tạo được sắp xếp lại bảo"
        " đảm hiệu lực, hiệu quả, gắn kết chặt chẽ giữa nghiên cứu - ứng dụng - đào"
        " tạo",
        QUAL,
    ),
    (
        "1754/III.2-3",
        "Từng bước làm chủ một số công nghệ chiến lược, công nghệ số như: Trí tuệ nhân"
        " tạo, Internet vạn vật (IoT), dữ liệu lớn, điện toán đám mây, chuỗi khối",
        QUAL,
    ),
    (
        "1754/III.2-4",
        "Quản lý nhà nước trong lĩnh vực Tài chính từ Trung ương (Bộ Tài chính) đến"
        " địa phương (Các Cơ quan Thuế, Hải quan, Dự trữ, Kho bạc khu vực ...) trên"
        " môi trường số, kết nối và vận hành thông suốt giữa các đơn vị trong ngành"
        " Tài chính",
        QUAL,
    ),
    (
        "1754/III.2-4",
        "Hoàn thành xây dựng, kết nối, chia sẻ đồng bộ cơ sở dữ liệu quốc gia, cơ sở"
        " dữ liệu chuyên ngành; khai thác và sử dụng có hiệu quả tài nguyên số, dữ"
        " liệu số, hình thành sàn giao dịch dữ liệu",
        QUAL,
    ),
    ("1754/III.2-5", "ít nhất 30%", [C(">=", 30)]),
    (
        "1754/III.2-5",
        "Phấn đấu trong năm 2025 giảm ít nhất 30% thời gian xử lý TTHC",
        [C(">=", 30)],
    ),
    ("1754/III.2-6", "giảm ít nhất 30% chi phí kinh doanh", [C(">=", 30)]),
    ("1754/III.2-7", "bãi bỏ ít nhất 30% điều kiện kinh doanh không cần thiết", [C(">=", 30)]),
    (
        "1754/III.2-8",
        "mọi thủ tục liên quan đến doanh nghiệp phải thực hiện trực tuyến thông suốt,"
        " liền mạch và hiệu quả, đảm bảo minh bạch, giảm tối đa giấy tờ",
        QUAL,
    ),
    ("1754/III.2-9", "100%", [C("=", 100)]),
    (
        "1754/III.2-9",
        "100% TTHC được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh",
        [C("=", 100)],
    ),
    ("1754/III.2-10", "50%", [C("=", 50)]),
    (
        "1754/III.2-10",
        "Phấn đấu 50% chỉ tiêu thống kê của ngành tài chính được cung cấp phục vụ"
        " công tác chỉ đạo, điều hành dưới dạng dữ liệu số khi có yêu cầu",
        [C("=", 50)],
    ),
    (
        "1754/III.2-11",
        "Phấn đấu 100% các thông tin, dữ liệu Bộ Tài chính được tích hợp, kết nối,"
        " chia sẻ với các hệ thống thông tin của Trung ương Đảng, Quốc hội khi có"
        " yêu cầu",
        [C("=", 100)],
    ),
    (
        "1754/III.2-12",
        "Phấn đấu 100% nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao được theo dõi,"
        " giám sát, đánh giá bằng dữ liệu số",
        [C("=", 100)],
    ),
    # 3392/QĐ-BKHCN Điều 2 a)-c) (the quoted targets)
    ("3392/dieu2-a", "100% kết quả giải quyết thủ tục hành chính được số hóa", [C("=", 100)]),
    (
        "3392/dieu2-b.1",
        "100% các hệ thống thông tin của Bộ hoàn thành phê duyệt cấp độ an toàn",
        [C("=", 100)],
    ),
    (
        "3392/dieu2-b.2",
        "Các hệ thống thông tin, cơ sở dữ liệu của Bộ được kết nối, chia sẻ dữ liệu"
        " nội bộ và kết nối với các cơ sở dữ liệu quốc gia theo đúng quy định",
        QUAL,
    ),
    (
        "3392/dieu2-c",
        "Các cơ sở dữ liệu của Bộ được kết nối với cơ sở dữ liệu quốc gia phục vụ cho"
        " quá trình khai thác, sử dụng, làm giàu cơ sở dữ quốc gia theo tiến độ yêu"
        " cầu của Chính phủ",
        QUAL,
    ),
    # 71/NQ-CP body text
    ("71/II.1.i", "hướng tới tối thiểu đạt 25%", [C(">=", 25)]),
    (
        "71/II.3.b",
        "Phấn đấu đến năm 2030, có ít nhất 05 dự án, chương trình trong lĩnh vực bán"
        " dẫn, trí tuệ nhân tạo, công nghệ số, nhà máy thông minh, đô thị thông minh",
        [C(">=", 5)],
    ),
]

# Forms named in the brief and other spellings.
OTHER = [
    ("≥ 80", [C(">=", 80)]),
    (">= 80", [C(">=", 80)]),
    ("≥80%", [C(">=", 80)]),
    ("⩾ 80", [C(">=", 80)]),
    ("Tối thiểu 80", [C(">=", 80)]),
    ("tối thiểu 80%", [C(">=", 80)]),
    ("Từ 80% trở lên", [C(">=", 80)]),
    ("Tối đa 5", [C("<=", 5)]),
    ("không quá 5", [C("<=", 5)]),
    ("<= 10", [C("<=", 10)]),
    ("< 10", [C("<", 10)]),
    ("trên 60%", [C(">", 60)]),
    ("dưới 5%", [C("<", 5)]),
    ("> 0,7", [C(">", 0.7)]),
    ("$\\geq 80\\%$", [C(">=", 80)]),
    ("$0{,}7$", [C("=", 0.7)]),
    ("= 100", [C("=", 100)]),
    ("1.000", [C("=", 1000)]),
    ("≥ 1.000.000", [C(">=", 1_000_000)]),
    ("1.000,5", [C("=", 1000.5)]),
    ("0,7", [C("=", 0.7)]),
    ("2,5", [C("=", 2.5)]),
    ("2.5", [C("=", 2.5)]),
    ("40-50", [C("range", 40, 50)]),
    ("40 – 50", [C("range", 40, 50)]),
    ("từ 40 đến 50", [C("range", 40, 50)]),
    ("1% - 3%", [C("range", 1, 3)]),
    ("50 - 40", [C("range", 40, 50)]),
    ("Top 3 ASEAN", [C("<=", 3, label="ASEAN")]),
    ("Nhóm 3 nước dẫn đầu ASEAN", [C("<=", 3, label="ASEAN")]),
    ("thuộc nhóm 3 nước dẫn đầu ASEAN", [C("<=", 3, label="ASEAN")]),
    ("Top 50 thế giới", [C("<=", 50, label="thế giới")]),
    (
        "≤ 3 Đông Nam Á, ≤ 50 Thế giới",
        [C("<=", 3, label="Đông Nam Á"), C("<=", 50, label="Thế giới")],
    ),
    (
        "Đông Nam Á: ≤ 3; Thế giới: ≤ 50",
        [C("<=", 3, label="Đông Nam Á"), C("<=", 50, label="Thế giới")],
    ),
    ("Hoàn thành", QUAL),
    ("Đạt mức cao", QUAL),
    ("Hoàn thành theo Nghị quyết 57-NQ/TW", QUAL),  # a document number is no figure
    ("Băng thông trên 1Gb/s", QUAL),  # nor a number glued to a unit word
    ("Trong năm 2025", QUAL),  # nor a year
]


def _corpus() -> str:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _check(text: str, expected) -> None:
    t = parse_target(text)
    assert t.text == text
    if expected == QUAL:
        assert t.qualitative and t.comparisons == ()
    else:
        assert not t.qualitative
        assert t.comparisons == tuple(expected)


@pytest.mark.parametrize(("where", "text", "expected"), PRINTED)
def test_printed_target(where, text, expected):
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), OTHER)
def test_other_forms(text, expected):
    _check(text, expected)


def test_printed_targets_are_in_the_sources():
    corpus = _corpus()
    assert [text for _, text, _ in PRINTED if text not in corpus] == []


def test_71_appendix_I_has_53_targets():
    assert len([w for w, *_ in PRINTED if re.fullmatch(r"71/[\d.]+", w)]) == 53


def test_plain_values_and_empty():
    assert parse_target(80) == Target("80", (C("=", 80),))
    assert parse_target(0.7) == Target("0.7", (C("=", 0.7),))
    assert parse_target(None) == Target("", (), qualitative=False)
    assert parse_target("  ") == Target("  ", (), qualitative=False)
    assert parse_target(True).comparisons == ()
    assert parse_target(float("inf")).comparisons == ()
    assert parse_target(unicodedata.normalize("NFD", "Tối thiểu 80")).comparisons == (C(">=", 80),)
    assert parse_target("TỐI THIỂU 80").comparisons == (C(">=", 80),)


def test_unprintable_object():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert parse_target(Broken()) == Target("", ())


RANKS = parse_target("≤ 3 Đông Nam Á; ≤ 50 Thế giới")
YEARS = parse_target("2030: ≥ 3; 2045: ≥ 5 (tổ chức, doanh nghiệp)")


@pytest.mark.parametrize(
    ("target", "value", "label", "expected"),
    [
        ("≥ 80", 80, None, True),
        ("≥ 80", 79.9, None, False),
        ("> 0,7", 0.7, None, False),
        ("> 0,7", 0.71, None, True),
        ("≤ 10", 10, None, True),
        ("≤ 10", 11, None, False),
        ("< 10", 10, None, False),
        ("100", 100, None, True),  # a plain figure is a level to reach
        ("90", 95, None, True),
        ("90", 89, None, False),
        ("40 - 50", 40, None, True),
        ("40 - 50", 50, None, True),
        ("40 - 50", 51, None, False),
        ("40 - 50", 39, None, False),
        ("≥ 80", 90, "any label", True),  # unlabelled bounds apply to any label
        (RANKS, 2, None, True),  # no label: all bounds must hold
        (RANKS, 4, None, False),
        (RANKS, 40, "Thế giới", True),
        (RANKS, 40, "thế giới", True),  # case-insensitive
        (RANKS, 40, "THE GIOI", True),  # diacritic-insensitive
        (RANKS, 40, "Đông Nam Á", False),
        (RANKS, 2, "Châu Á", None),  # unknown label among labelled bounds
        (YEARS, 4, "2030", True),
        (YEARS, 4, "2045", False),
        (YEARS, 4, None, False),
        ("Hoàn thành", 100, None, None),
        ("", 100, None, None),
        ("≥ 80", float("nan"), None, None),
        ("≥ 80", "90", None, None),
        ("≥ 80", None, None, None),
        ("≥ 80", True, None, None),
        ("≥ 80", Decimal("90"), None, None),  # not a real number type
        ("≥ 80", Fraction(161, 2), None, True),
        ("≥ 80", 90, 2030, None),  # a label must be text
    ],
)
def test_meets(target, value, label, expected):
    target = parse_target(target) if isinstance(target, str) else target
    assert meets(target, value, label) is expected


@pytest.mark.parametrize(
    ("target", "baseline", "value", "label", "expected"),
    [
        ("≥ 80", 40, 60, None, 0.5),
        ("≥ 80", 40, 80, None, 1.0),
        ("≥ 80", 40, 100, None, 1.5),  # not clamped
        ("≥ 80", 40, 30, None, -0.25),
        ("100", 50, 75, None, 0.5),
        ("≤ 10", 30, 20, None, 0.5),  # rank: lower is better
        ("≤ 10", 30, 5, None, 1.25),
        ("40 - 50", 20, 30, None, 0.5),  # towards the nearer end
        ("40 - 50", 70, 60, None, 0.5),
        ("40 - 50", 45, 45, None, None),  # already inside
        ("≥ 80", 90, 95, None, None),  # baseline already meets the bound
        ("≤ 10", 5, 4, None, None),
        ("≥ 80", 80, 90, None, None),
        ("≥ 80", None, 60, None, None),
        (RANKS, 10, 5, None, None),  # two bounds, no label
        (RANKS, 10, 5, "Đông Nam Á", 5 / 7),
        (RANKS, 100, 75, "Thế giới", 0.5),
        ("Hoàn thành", 0, 1, None, None),
        ("≥ 80", 40, float("inf"), None, None),
        ("≥ 1e308", -1e308, 1e308, None, None),
    ],
)
def test_progress(target, baseline, value, label, expected):
    target = parse_target(target) if isinstance(target, str) else target
    result = progress(target, baseline, value, label)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("≥ 80", False),
        ("> 0,7", False),
        ("100", False),
        ("≤ 10", True),
        ("< 3", True),
        (RANKS, True),
        ("Top 3 ASEAN", True),
        ("40 - 50", None),
        ("Hoàn thành", None),
        ("", None),
        ("≥ 3; ≤ 10", None),
    ],
)
def test_lower_is_better(target, expected):
    target = parse_target(target) if isinstance(target, str) else target
    assert lower_is_better(target) is expected


def test_hand_built_targets():
    assert meets(Target("x", (C("~", 3),)), 3) is None  # unknown operator
    assert meets(Target("x", (C(">=", "3"),)), 3) is None  # bound not a number
    assert meets(Target("x", ("≥ 3",)), 3) is None  # not a Comparison
    assert meets(Target("x", None), 3) is None  # type: ignore[arg-type]  # wrong type on purpose
    assert meets(Target("x", (C("range", 3),)), 4) is True  # open range
    assert progress("≥ 80", 0, 1) is None  # type: ignore[arg-type]  # wrong type on purpose
    assert lower_is_better(object()) is None  # type: ignore[arg-type]  # wrong type on purpose


def test_no_clock():
    assert not re.search(r"\b(today|now|utcnow|time\.time)\s*\(", inspect.getsource(targets))


# --- properties -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "≥",
        "≤",
        ">",
        "<",
        "=",
        ">=",
        "<=",
        "$",
        "\\geq",
        "%",
        "(%)",
        "(",
        ")",
        ";",
        ",",
        ".",
        ":",
        "-",
        "–",
        "Tối thiểu",
        "ít nhất",
        "tối đa",
        "trên",
        "dưới",
        "Top",
        "Nhóm",
        "nước dẫn đầu",
        "ASEAN",
        "Đông Nam Á",
        "Thế giới",
        "và tăng dần",
        "trở lên",
        "năm",
        "đến",
        "từ",
        "2030",
        "0,7",
        "1.000",
        "09",
        "100",
        "3",
        "50",
        "999999999999999999999",
        "Hoàn thành",
        "57-NQ/TW",
    ]
)
PHRASES = st.lists(st.one_of(FRAGMENTS, st.integers(0, 10_000).map(str)), max_size=8).map(
    " ".join
) | st.lists(FRAGMENTS, max_size=6).map("".join)


class _Unprintable:
    def __str__(self):
        raise ValueError("unprintable")


ANYTHING = st.one_of(
    st.none(),
    st.text(),
    PHRASES,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.binary(),
    st.decimals(),
    st.fractions(),
    st.complex_numbers(),
    st.lists(st.text(), max_size=3),
    st.just(object()),
    st.just(_Unprintable()),
    st.integers(min_value=10**400),
)
COMPARISONS = st.builds(
    Comparison,
    st.sampled_from([">=", "<=", ">", "<", "=", "range", "?"]) | st.text(max_size=2),
    st.floats() | st.integers() | st.none() | st.text(max_size=3),
    st.none() | st.floats(),
    st.none() | st.text(max_size=5),
)
TARGETS = (
    PHRASES.map(parse_target)
    | st.text().map(parse_target)
    | st.builds(
        Target, st.text(max_size=5), st.lists(COMPARISONS, max_size=3).map(tuple), st.booleans()
    )
    | ANYTHING
)


@given(ANYTHING)
def test_parse_never_raises_and_is_deterministic(value):
    t = parse_target(value)
    assert isinstance(t, Target) and isinstance(t.text, str)
    assert t == parse_target(value)
    assert not (t.qualitative and t.comparisons)
    for c in t.comparisons:
        assert c.op in (">=", "<=", ">", "<", "=", "range")
        assert math.isfinite(c.value)
        assert (c.high is not None) == (c.op == "range")
        assert c.high is None or c.value <= c.high
        assert c.label is None or (c.label and c.label == c.label.strip())


@given(st.one_of(st.text(), PHRASES))
def test_normal_forms_agree(text):
    a = parse_target(unicodedata.normalize("NFC", text))
    b = parse_target(unicodedata.normalize("NFD", text))
    assert a.comparisons == b.comparisons


@given(TARGETS, ANYTHING, ANYTHING, ANYTHING)
def test_meets_progress_never_raise(target, baseline, value, label):
    assert meets(target, value, label) in (True, False, None)
    assert meets(target, value) in (True, False, None)
    result = progress(target, baseline, value, label)
    assert result is None or math.isfinite(result)
    result = progress(target, baseline, value)
    assert result is None or math.isfinite(result)
    assert lower_is_better(target) in (True, False, None)


@given(
    st.sampled_from(["≥", "≤", ">", "<", ""]),
    st.integers(0, 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_meets_and_progress_agree_with_the_bound(symbol, bound, baseline):
    t = parse_target(f"{symbol} {bound}")
    (c,) = t.comparisons
    assert c.value == bound
    inclusive = symbol in ("≥", "≤", "")
    assert meets(t, bound) is inclusive
    lower = symbol in ("≤", "<")
    assert lower_is_better(t) is lower
    if (baseline > bound) if lower else (baseline < bound):
        assert progress(t, baseline, bound) == pytest.approx(1.0)
        assert progress(t, baseline, baseline) == 0.0
    else:
        assert progress(t, baseline, bound) is None
