"""nq57.model.deadlines: every deadline phrase printed in the five source texts, the phrases
named in the design brief, period arithmetic, and never-raise properties."""

from __future__ import annotations

import inspect
import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq57.model import deadlines
from nq57.model.deadlines import Deadline, ended_periods, parse_deadline, period_bounds

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
D = date
A, Q, M, C = "annual", "quarterly", "monthly", "continuous"
ONE, REC, CONT, UNS = "one_off", "recurring", "continuous", "unscheduled"

# Every distinct deadline cell of the five tables (whitespace collapsed, PDF-split
# year ranges re-joined): (text, kind, due, recurrence).
PRINTED = [
    # 71/NQ-CP Phụ lục II "Thời gian hoàn thành" (also 07/CT-TTg, 1057, 1754 where shared)
    ("Tháng 02/2025", ONE, D(2025, 2, 28), None),
    ("Tháng 3/2025", ONE, D(2025, 3, 31), None),
    ("Tháng 4/2025", ONE, D(2025, 4, 30), None),
    ("Tháng 5/2025", ONE, D(2025, 5, 31), None),
    ("Tháng 6/2025", ONE, D(2025, 6, 30), None),
    ("Tháng 7/2025", ONE, D(2025, 7, 31), None),
    ("Tháng 8/2025", ONE, D(2025, 8, 31), None),
    ("Tháng 9/2025", ONE, D(2025, 9, 30), None),
    ("Tháng 10/2025", ONE, D(2025, 10, 31), None),
    ("Tháng 11/2025", ONE, D(2025, 11, 30), None),
    ("Tháng 12/2025", ONE, D(2025, 12, 31), None),
    ("Tháng 3/2026", ONE, D(2026, 3, 31), None),
    ("Tháng 6/2026", ONE, D(2026, 6, 30), None),
    ("Tháng 9/2026", ONE, D(2026, 9, 30), None),
    ("Tháng 12/2026", ONE, D(2026, 12, 31), None),
    ("Tháng 6/2028", ONE, D(2028, 6, 30), None),
    ("Tháng 6/2030", ONE, D(2030, 6, 30), None),
    ("Tháng 12/2030", ONE, D(2030, 12, 31), None),
    ("Thường xuyên", CONT, None, C),
    ("Hằng năm", REC, None, A),
    ("hằng năm", REC, None, A),
    ("2025 và những năm tiếp theo", REC, D(2025, 12, 31), A),
    ("Tháng 12/2025 và năm 2026", ONE, D(2026, 12, 31), None),
    ("Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo", REC, D(2025, 9, 30), A),
    ("Khi các CSDL quốc gia, CSDL chuyên ngành hoàn thành, khai thác sử dụng", UNS, None, None),
    # 07/CT-TTg Phụ lục "THỜI GIAN HOÀN THÀNH"
    ("Quý I/2025", ONE, D(2025, 3, 31), None),
    ("Quý II/2025", ONE, D(2025, 6, 30), None),
    ("Năm 2025", ONE, D(2025, 12, 31), None),
    ("Năm 2027", ONE, D(2027, 12, 31), None),
    ("2025", ONE, D(2025, 12, 31), None),
    ("Thực hiện thường xuyên", CONT, None, C),
    ("Tháng 12/2025 và những năm tiếp theo", REC, D(2025, 12, 31), A),
    # 1057/QĐ-BTC "Thời gian trình"
    ("06/2025", ONE, D(2025, 6, 30), None),
    ("12/2025", ONE, D(2025, 12, 31), None),
    ("3/2026", ONE, D(2026, 3, 31), None),
    ("09/2026", ONE, D(2026, 9, 30), None),
    ("12/2028", ONE, D(2028, 12, 31), None),
    ("2026", ONE, D(2026, 12, 31), None),
    ("2028", ONE, D(2028, 12, 31), None),
    ("2030", ONE, D(2030, 12, 31), None),
    ("2025-2026", ONE, D(2026, 12, 31), None),
    ("Nhiệm vụ thường xuyên", CONT, None, C),
    # 1754/QĐ-BTC PL01 "Thời gian triển khai - hoàn thành" (ranges)
    ("2020-2033", ONE, D(2033, 12, 31), None),
    ("2021-2025", ONE, D(2025, 12, 31), None),
    ("2022-2025", ONE, D(2025, 12, 31), None),
    ("2023-2025", ONE, D(2025, 12, 31), None),
    ("2024-2025", ONE, D(2025, 12, 31), None),
    ("2024 - 2025", ONE, D(2025, 12, 31), None),
    ("2024-2026", ONE, D(2026, 12, 31), None),
    ("2024 - 2027", ONE, D(2027, 12, 31), None),
    ("2025-2027", ONE, D(2027, 12, 31), None),
    ("2025 - 2027", ONE, D(2027, 12, 31), None),
    ("2025-2028", ONE, D(2028, 12, 31), None),
    ("2025-2029", ONE, D(2029, 12, 31), None),
    ("2025-2030", ONE, D(2030, 12, 31), None),
    ("2026-2029", ONE, D(2029, 12, 31), None),
    ("2026-2030", ONE, D(2030, 12, 31), None),
    # 1754/QĐ-BTC PL02 "Thời gian thực hiện"
    ("Hàng năm", REC, None, A),
    ("2023-2026", ONE, D(2026, 12, 31), None),
    ("Nghiên cứu triển khai và có báo cáo Bộ trong tháng 12/2025", ONE, D(2025, 12, 31), None),
    ("Nhiệm vụ thường xuyên và đột xuất theo ý kiến của Trưởng Ban chỉ đạo", CONT, None, C),
    ("Theo hướng dẫn Bộ KHCN", UNS, None, None),
    ("Theo hướng dẫn của Bộ KHCN", UNS, None, None),
    ("Theo thời gian tại Nghị Quyết 57-NQ/TW", UNS, None, None),
    ("Theo thời gian tại Nghị định số 09/2019/NĐ-CP", UNS, None, None),
    ("Theo thời gian tại Quyết định số 1012/QĐ-TTg", UNS, None, None),
    ("Theo thời gian tại Quyết định số 1043/QĐ-BTC ngày 19/03/2025", UNS, None, None),
    ("Theo thời gian tại Quyết định số 58/QĐ-UBQGCĐS ngày 19/4/2024", UNS, None, None),
    (
        "Theo thời gian tại Quyết định số 06/QĐ-TTg ngày 06/01/2022, Quyết định số 422/QĐ-TTg"
        " ngày 04/4/2022, Quyết định số 206/QĐ-TTg ngày 28/2/2024",
        UNS,
        None,
        None,
    ),
    (
        "Theo thời gian tại tại Nghị định số 45/2020/NĐ-CP và Nghị định số 107/2021/NĐ-CP",
        UNS,
        None,
        None,
    ),
    ("Thực hiện theo thời gian tại Quyết định 844/QĐ-BTC", UNS, None, None),
    (
        "Thực hiện sau khi sửa đổi Nghị định 155/2020/NĐ-CP về quy định chi tiết thi hành"
        " một số điều của Luật Chứng khoán",
        UNS,
        None,
        None,
    ),
    ("Nhiệm vụ đang thực hiện tại Quyết định 446/QĐ-BTC", UNS, None, None),
    # 1754/QĐ-BTC PL03 "Thời gian thực hiện" (all relative)
    ("Theo lộ trình của Bộ KHCN", UNS, None, None),
    ("Theo lộ trình của Bộ Công an", UNS, None, None),
    ("Theo lộ trình của VPCP", UNS, None, None),
    ("Theo lộ trình thực hiện của NHNN", UNS, None, None),
    ("Theo lộ trình triển khai Bộ KHCN", UNS, None, None),
    ("Triển khai theo lộ trình của NHNN", UNS, None, None),
    ("Theo tiến độ của NHNN", UNS, None, None),
    ("Theo tiến độ của Bộ KHCN", UNS, None, None),
    ("Theo đề xuất của các đơn vị", UNS, None, None),
    # 3392/QĐ-BKHCN "Thời gian thực hiện" (cells wrapped over lines in the PDF text)
    ("2023", ONE, D(2023, 12, 31), None),
    ("2024", ONE, D(2024, 12, 31), None),
    ("2023-2024", ONE, D(2024, 12, 31), None),
]

# Phrases of the brief and of body text (reporting duties) not in a deadline column.
OTHER = [
    ("tháng 12 năm 2025", ONE, D(2025, 12, 31), None),
    ("Quý 4/2025", ONE, D(2025, 12, 31), None),
    ("Quý III năm 2025", ONE, D(2025, 9, 30), None),  # 07 body 1.đ
    ("Quý IV/2024", ONE, D(2024, 12, 31), None),
    ("6 tháng đầu năm 2025", ONE, D(2025, 6, 30), None),
    ("6 tháng cuối năm 2025", ONE, D(2025, 12, 31), None),
    ("6 tháng đầu năm 2024", ONE, D(2024, 6, 30), None),
    ("Trước ngày 15/12/2025", ONE, D(2025, 12, 15), None),  # "trước" read as "by"
    ("Trước ngày 05/07/2025", ONE, D(2025, 7, 5), None),  # day-first
    ("15/12/2025", ONE, D(2025, 12, 15), None),
    ("ngày 15 tháng 12 năm 2025", ONE, D(2025, 12, 15), None),
    ("Tháng 2/2024", ONE, D(2024, 2, 29), None),  # leap year
    ("trong tháng 01 năm 2025", ONE, D(2025, 1, 31), None),  # 71 body III.1
    ("hoàn thành trong năm 2025", ONE, D(2025, 12, 31), None),  # 71 body III.2
    ("hoàn thành trong tháng 6 năm 2025", ONE, D(2025, 6, 30), None),  # 07 body
    ("hết năm 2025", ONE, D(2025, 12, 31), None),  # 07 body 1.b
    ("Quý II, tháng 8, Quý III năm 2025", ONE, D(2025, 9, 30), None),  # only Q3 has a year
    ("2025-12-15", ONE, D(2025, 12, 15), None),  # ISO, as a YAML date becomes a string
    ("Hằng quý", REC, None, Q),
    ("Hàng quý", REC, None, Q),
    ("định kỳ hàng Quý", REC, None, Q),  # 71 body III.3
    ("Hằng tháng", REC, None, M),
    ("Hàng tháng", REC, None, M),
    ("trước ngày 20 hàng tháng", REC, None, M),  # 1754 body V.1
    ("Theo lộ trình của Bộ KH&CN", UNS, None, None),
    ("31/02/2025", UNS, None, None),
    ("Tháng 13/2025", UNS, None, None),
    ("Tháng 0/2025", UNS, None, None),
    ("Quý V/2025", UNS, None, None),
    ("Quý 5/2025", UNS, None, None),
    ("29/02/2025", UNS, None, None),
    ("Chưa xác định", UNS, None, None),
    ("", "none", None, None),
    ("   ", "none", None, None),
]


def _corpus() -> str:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    return re.sub(r"\b(\d{4})- (\d{4})\b", r"\1-\2", text)  # "2023-\n2025" in 3392


@pytest.mark.parametrize(("text", "kind", "due", "recurrence"), PRINTED + OTHER)
def test_phrase(text, kind, due, recurrence):
    d = parse_deadline(text)
    assert (d.kind, d.due, d.recurrence) == (kind, due, recurrence)
    assert d.text == text
    assert (d.reason is not None) == (kind == UNS)


def test_printed_phrases_are_in_the_sources():
    corpus = _corpus()
    missing = [text for text, *_ in PRINTED if text not in corpus]
    assert not missing


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("2025 và những năm tiếp theo", D(2025, 1, 1), D(2025, 12, 31)),
        ("Tháng 12/2025 và những năm tiếp theo", D(2025, 1, 1), D(2025, 12, 31)),
        # 71/NQ-CP 152.: the pilot (9/2025) is the first milestone, development is yearly
        (
            "Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp theo",
            D(2025, 1, 1),
            D(2025, 9, 30),
        ),
        ("Hằng năm", None, None),
        ("Hằng quý từ Quý II/2025", D(2025, 4, 1), D(2025, 6, 30)),
        ("Hằng tháng từ tháng 7/2025", D(2025, 7, 1), D(2025, 7, 31)),
    ],
)
def test_recurring_start(text, start, due):
    d = parse_deadline(text)
    assert (d.kind, d.start, d.due) == (REC, start, due)


@pytest.mark.parametrize(
    ("text", "why", "english"),
    [
        ("Theo lộ trình của Bộ KH&CN", "phụ thuộc văn bản khác", "relative to another document"),
        ("Theo đề xuất của các đơn vị", "phụ thuộc văn bản khác", "relative to another document"),
        ("Khi các CSDL quốc gia hoàn thành", "phụ thuộc một sự kiện", "depends on an event"),
        (
            "Thực hiện sau khi sửa đổi Nghị định 155/2020/NĐ-CP",
            "phụ thuộc một sự kiện",
            "depends on an event",
        ),
        ("31/02/2025", "ngày không có thật", "impossible date"),
        ("Tháng 13/2025", "ngày không có thật", "impossible date"),
        ("Chưa xác định", "không tìm thấy ngày", "no date found"),
    ],
)
def test_unscheduled_reason(text, why, english):
    from nq57.i18n import language

    d = parse_deadline(text)
    assert (d.text, d.kind, d.due) == (text, UNS, None)
    assert str(d.reason) == f"{why}: {text}"
    with language("en"):
        assert str(d.reason) == f"{english}: {text}"


def test_relative_phrase_is_unscheduled_even_with_a_date():
    d = parse_deadline("Theo thời gian tại Quyết định số 1043/QĐ-BTC  ngày 19/03/2025")
    assert (d.kind, d.due) == (UNS, None)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        (unicodedata.normalize("NFD", "Tháng 9/2025"), "Tháng 9/2025"),
        (unicodedata.normalize("NFD", "Hằng năm"), "Hằng năm"),
        (unicodedata.normalize("NFD", "Quý II/2025"), "Quý II/2025"),
        ("tháng 9/2025", "Tháng 9/2025"),
        ("THÁNG 9/2025", "Tháng 9/2025"),
        ("Thang 9/2025", "Tháng 9/2025"),
        ("Tháng  9 / 2025", "Tháng 9/2025"),
        ("quý ii/2025", "Quý II/2025"),
        ("Quy II/2025", "Quý II/2025"),
        ("Quý 2/2025", "Quý II/2025"),
        ("Quý II năm 2025", "Quý II/2025"),
        ("HẰNG NĂM", "Hằng năm"),
        ("Hang nam", "Hằng năm"),
        ("Hằng \nnăm", "Hằng năm"),  # 3392 wraps the cell
        ("2023-\n2025", "2023-2025"),
        ("2021 – 2025", "2021-2025"),
        ("thuong xuyen", "Thường xuyên"),
        ("  Thường   xuyên ", "Thường xuyên"),
        ("NĂM 2025", "2025"),
    ],
)
def test_spelling_tolerance(variant, canonical):
    a, b = parse_deadline(variant), parse_deadline(canonical)
    assert (a.kind, a.due, a.recurrence, a.start) == (b.kind, b.due, b.recurrence, b.start)
    assert a.text == variant


def test_int_none_and_dates():
    assert parse_deadline(2025) == Deadline("2025", ONE, due=D(2025, 12, 31))
    assert parse_deadline(None) == Deadline("", "none")
    assert parse_deadline(D(2025, 12, 15)) == Deadline("2025-12-15", ONE, due=D(2025, 12, 15))
    assert parse_deadline(datetime(2025, 12, 15, 8, 30)).due == D(2025, 12, 15)
    assert parse_deadline(True).kind == UNS


def test_unprintable_object():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert parse_deadline(Broken()).kind == "none"


@pytest.mark.parametrize(
    ("recurrence", "day", "bounds"),
    [
        (A, D(2025, 6, 15), (D(2025, 1, 1), D(2025, 12, 31))),
        (Q, D(2025, 2, 10), (D(2025, 1, 1), D(2025, 3, 31))),
        (Q, D(2025, 6, 30), (D(2025, 4, 1), D(2025, 6, 30))),
        (Q, D(2025, 11, 1), (D(2025, 10, 1), D(2025, 12, 31))),
        (M, D(2024, 2, 10), (D(2024, 2, 1), D(2024, 2, 29))),
        (M, D(2025, 2, 28), (D(2025, 2, 1), D(2025, 2, 28))),
        (A, datetime(2025, 3, 1, 12), (D(2025, 1, 1), D(2025, 12, 31))),
        (M, date.max, (D(9999, 12, 1), date.max)),
        (Q, date.min, (date.min, D(1, 3, 31))),
    ],
)
def test_period_bounds(recurrence, day, bounds):
    assert period_bounds(recurrence, day) == bounds


@pytest.mark.parametrize(
    ("recurrence", "day"),
    [
        ("continuous", D(2025, 1, 1)),
        ("weekly", D(2025, 1, 1)),
        (None, D(2025, 1, 1)),
        (A, "2025-01-01"),
        (A, None),
    ],
)
def test_period_bounds_invalid(recurrence, day):
    assert period_bounds(recurrence, day) is None


@pytest.mark.parametrize(
    ("recurrence", "start", "before", "periods"),
    [
        (
            Q,
            D(2025, 4, 1),
            D(2025, 10, 15),
            [(D(2025, 4, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 9, 30))],
        ),
        (Q, D(2025, 5, 10), D(2025, 9, 30), [(D(2025, 4, 1), D(2025, 6, 30))]),  # Q3 not ended
        (
            Q,
            D(2025, 5, 10),
            D(2025, 10, 1),
            [(D(2025, 4, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 9, 30))],
        ),
        (
            A,
            D(2023, 12, 31),
            D(2025, 1, 1),
            [(D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31))],
        ),
        (
            M,
            D(2025, 1, 15),
            D(2025, 3, 1),
            [(D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 2, 1), D(2025, 2, 28))],
        ),
        (M, D(2025, 3, 1), D(2025, 3, 31), []),
        (A, D(2026, 1, 1), D(2025, 1, 1), []),
        (A, D(2025, 1, 1), D(2025, 1, 1), []),
        ("continuous", D(2025, 1, 1), D(2026, 1, 1), []),
        (A, None, D(2026, 1, 1), []),
        (A, D(2025, 1, 1), "2026-01-01", []),
    ],
)
def test_ended_periods(recurrence, start, before, periods):
    assert ended_periods(recurrence, start, before) == periods


def test_ended_periods_whole_calendar():
    periods = ended_periods(A, date.min, date.max)
    assert len(periods) == 9998 and periods[-1] == (D(9998, 1, 1), D(9998, 12, 31))


def test_no_clock():
    source = inspect.getsource(deadlines)
    assert not re.search(r"\b(today|now|utcnow|time\.time)\s*\(", source)


# --- properties -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "Tháng",
        "tháng",
        "THÁNG",
        "Quý",
        "quý",
        "I",
        "II",
        "IV",
        "V",
        "năm",
        "Năm",
        "Hằng",
        "Hàng",
        "và những năm tiếp theo",
        "Thường xuyên",
        "Theo",
        "Khi",
        "Trước ngày",
        "ngày",
        "6 tháng đầu",
        "cuối",
        "/",
        "-",
        "–",
        ";",
        ",",
        ".",
        "2025",
        "12",
        "31",
        "02",
        "0",
        "00",
        "9999",
        "0000",
        "13",
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
    st.dates(),
    st.datetimes(),
    st.decimals(),
    st.fractions(),
    st.complex_numbers(),
    st.lists(st.text(), max_size=3),
    st.dictionaries(st.text(), st.integers(), max_size=2),
    st.just(object()),
    st.just(_Unprintable()),
    st.just(float("nan")),
)
DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))
RECURRENCE = st.sampled_from([A, Q, M])


@given(ANYTHING)
def test_parse_never_raises_and_is_deterministic(value):
    d = parse_deadline(value)
    assert isinstance(d, Deadline)
    assert d.kind in ("one_off", "recurring", "continuous", "unscheduled", "none")
    assert d == parse_deadline(value)
    assert isinstance(d.text, str)
    if d.kind == ONE:
        assert isinstance(d.due, date) and d.recurrence is None
    if d.kind == REC:
        assert d.recurrence in (A, Q, M)
        assert d.start is None or (d.due is not None and d.start <= d.due)
    if d.kind == CONT:
        assert (d.recurrence, d.due) == (C, None)
    if d.kind == UNS:
        assert d.reason and d.due is None
    if d.kind == "none":
        assert d.due is None and d.reason is None


@given(st.one_of(st.text(), PHRASES))
def test_normal_forms_agree(text):
    a = parse_deadline(unicodedata.normalize("NFC", text))
    b = parse_deadline(unicodedata.normalize("NFD", text))
    assert (a.kind, a.due, a.recurrence, a.start) == (b.kind, b.due, b.recurrence, b.start)


@given(PHRASES)
def test_case_does_not_matter(text):
    a, b = parse_deadline(text), parse_deadline(text.upper())
    assert (a.kind, a.due, a.recurrence, a.start) == (b.kind, b.due, b.recurrence, b.start)


@given(RECURRENCE, st.dates())
def test_period_bounds_contains_the_day(recurrence, day):
    first, last = period_bounds(recurrence, day)
    assert first <= day <= last
    assert first.day == 1
    assert last == date.max or (last + timedelta(days=1)).day == 1
    assert period_bounds(recurrence, first) == period_bounds(recurrence, last) == (first, last)


@given(RECURRENCE, DATES, DATES)
def test_ended_periods_are_contiguous_and_ended(recurrence, start, before):
    periods = ended_periods(recurrence, start, before)
    for first, last in periods:
        assert start <= last < before
        assert period_bounds(recurrence, first) == (first, last)
    for (_, last), (first, _) in zip(periods, periods[1:], strict=False):
        assert first == last + timedelta(days=1)
    if periods:
        assert periods[0][0] <= start  # the period containing start comes first
    # complete: the next period has not ended yet
    nxt = period_bounds(recurrence, periods[-1][1] + timedelta(days=1) if periods else start)
    assert nxt[1] >= before


@given(ANYTHING, ANYTHING, ANYTHING)
def test_period_functions_never_raise(recurrence, a, b):
    period_bounds(recurrence, a)
    ended_periods(recurrence, a, b)


def test_month_ends_and_filing_days_clamp_like_the_calendar():
    import calendar
    import datetime as dt

    from nq57.analysis.filings import _day
    from nq57.model.deadlines import _month_end, period_bounds

    for year in (1900, 2000, 2024, 2025, 2199):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            assert _month_end(year, month) == dt.date(year, month, last)
            assert _day(year, month, 31) == dt.date(year, month, last)
            assert _day(year, month, 5) == dt.date(year, month, 5)
            first, end = period_bounds("quarterly", dt.date(year, month, 1))
            assert first.month % 3 == 1 and end == _month_end(year, first.month + 2)
