"""Printed deadline phrases ("Tháng 9/2025", "Quý II/2025", "Hằng năm", ...) as dates.

Pure: no I/O, never reads the clock, never raises. Matching ignores case,
diacritics and whitespace ("Hằng năm" = "hàng năm" = "HANG  NAM"; NFC or NFD).

Reading rules (decisions on ambiguous phrases):

* a month, quarter, half-year or year is due on its LAST day; a range
  ("2021-2025", "2024 - 2027") on the last day of its last year;
* numeric dates are always day-first ("05/07/2025" is 5 July);
* "Trước ngày 15/12/2025" is read as "by 15/12/2025": due is the printed day;
* several dates in one phrase -> the latest stated end
  ("Tháng 12/2025 và năm 2026" -> 2026-12-31);
* "Hằng năm/quý/tháng" (also "Hàng ...", "mỗi ...") -> recurring without start;
  "... và những năm tiếp theo" -> recurring annual whose start is the first day
  of the first year named, due = end of that first year or an earlier stated
  milestone. Thus "Tháng 9/2025 xong thí điểm; phát triển 2025 và những năm tiếp
  theo" (71/NQ-CP task 152) is annual from 2025-01-01 with due 2025-09-30: the
  pilot is a one-off milestone, the development then continues every year;
* "Thường xuyên", "Nhiệm vụ thường xuyên", "Thực hiện thường xuyên" -> continuous;
* a phrase relative to another document or event ("Theo lộ trình của ...",
  "Theo thời gian tại Quyết định ... ngày 19/03/2025", "Khi ... hoàn thành",
  "Thực hiện sau khi ...") is unscheduled even when it quotes a date, as are
  impossible dates ("31/02/2025", "Tháng 13/2025") and text with no date.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from nq57.i18n import M, Message

RECURRENCES = ("annual", "quarterly", "monthly")


@dataclass(frozen=True)
class Deadline:
    text: str  # the input as given (str(value) for ints; "" for None)
    kind: str  # "one_off" | "recurring" | "continuous" | "unscheduled" | "none"
    due: date | None = None  # one_off: last day of the period; recurring: end of first period
    recurrence: str | None = None  # "annual" | "quarterly" | "monthly" | "continuous"
    start: date | None = None  # recurring: first day of the first period, when stated
    reason: Message | None = None  # unscheduled: why no date (rendered when shown)


# Phrases that tie the deadline to another document or to an event (folded text).
_RELATIVE = ("theo ", "thuc hien theo ", "trien khai theo ", "can cu ", "nhiem vu dang thuc hien")
_EVENT = ("khi ", "sau khi ", "ngay sau khi ", "thuc hien sau ", "trien khai sau ", "phan cong sau")

_RECURRING = (  # first hit wins
    ("monthly", re.compile(r"\b(?:hang|moi) thang\b|\bcac thang tiep theo\b")),
    ("quarterly", re.compile(r"\b(?:hang|moi) quy\b|\bcac quy tiep theo\b")),
    ("annual", re.compile(r"\b(?:hang|moi) nam\b|\bnam tiep theo\b")),
    ("continuous", re.compile(r"\bthuong xuyen\b|\blien tuc\b")),
)

_A = re.ASCII
# Date tokens on folded text, most specific first; each match is blanked before the next.
_TOKENS = (
    ("ymd", re.compile(r"(?<![\d/.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/])", _A)),
    ("dmy", re.compile(r"(?<![\d/.])(\d{1,2}) ?([/.-]) ?(\d{1,2}) ?\2 ?(\d{4})(?![\d/])", _A)),
    ("dmy", re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b", _A)),
    ("half", re.compile(r"\b(?:6 thang|06 thang|nua) (dau|cuoi) (?:nam )?(\d{4})\b", _A)),
    ("quarter", re.compile(r"\bquy ?([ivx]+|\d{1,2})\b ?(?:/|-|nam)? ?(\d{4})\b", _A)),
    ("month", re.compile(r"\bthang ?(\d{1,2}) ?(?:/|-|\.|nam) ?(\d{4})(?![\d/])", _A)),
    ("month", re.compile(r"(?<![\d/.])(\d{1,2}) ?/ ?(\d{4})(?![\d/])", _A)),
    ("years", re.compile(r"(?<![\d/.,])(\d{4}) ?[-\u2013\u2014] ?(\d{4})(?![\d/])", _A)),
    ("year", re.compile(r"(?<![\d/.,])(\d{4})(?![\d/])", _A)),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _fold(text: str) -> str:
    """Lower-case ASCII-ish key: diacritics dropped, đ -> d, whitespace collapsed."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.combining(ch):
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append("d" if base in "đĐ" else base.lower()[:1])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(day=31)


def _plausible_year(text: str) -> bool:
    return 1900 <= int(text) <= 2199


def _span(kind: str, g: tuple[str, ...]) -> tuple[date, date] | None:
    """(first, last) day of one token; None when there is no such day (ValueError)."""
    if kind == "ymd":
        day = date(int(g[0]), int(g[1]), int(g[2]))
        return day, day
    if kind == "dmy":
        d, m, y = (int(g[0]), int(g[2]), int(g[3])) if len(g) == 4 else map(int, g)
        day = date(y, m, d)
        return day, day
    if kind == "half":
        year, first_half = int(g[1]), g[0] == "dau"
        return date(year, 1 if first_half else 7, 1), _month_end(year, 6 if first_half else 12)
    if kind == "quarter":
        q = _ROMAN.get(g[0]) or (int(g[0]) if g[0].isdigit() else 0)
        if not 1 <= q <= 4:
            raise ValueError("no such quarter")
        return date(int(g[1]), 3 * q - 2, 1), _month_end(int(g[1]), 3 * q)
    if kind == "month":
        return date(int(g[1]), int(g[0]), 1), _month_end(int(g[1]), int(g[0]))
    if not all(_plausible_year(y) for y in g):  # "year"/"years": a bare 4-digit number
        return None
    years = [int(y) for y in g]
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _tokens(key: str) -> tuple[list[tuple[date, date]], bool]:
    """All dated periods in the folded text, and whether an impossible date was seen."""
    spans, bad = [], False
    for kind, pattern in _TOKENS:
        for m in pattern.finditer(key):
            try:
                span = _span(kind, m.groups())
            except (ValueError, OverflowError):
                bad = True
                continue
            if span:
                spans.append(span)
        key = pattern.sub(" | ", key)
    return spans, bad


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    try:
        text = str(value)
    except Exception:  # a broken __str__ must not break the parser
        return ""
    return text if isinstance(text, str) else ""


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def parse_deadline(value: object) -> Deadline:
    """Read a printed deadline cell (str, int year, date, None or anything else)."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return _parse_cached(value)  # the same few hundred phrases recur across tasks
    return _parse_safely(value)


@functools.lru_cache(maxsize=8192)
def _parse_cached(value: str | int) -> Deadline:
    return _parse_safely(value)


def _parse_safely(value: object) -> Deadline:
    try:
        return _parse(value)
    except Exception:  # defensive: the contract is "never raise"
        return Deadline(_as_text(value), "unscheduled", reason=M("diag.deadline.unreadable"))


def _parse(value: object) -> Deadline:
    text = _as_text(value)
    day = _as_date(value)
    if day is not None:
        return Deadline(text, "one_off", due=day)
    key = _fold(text)
    if not key.strip(" -\u2013\u2014._"):
        return Deadline(text, "none")
    if key.startswith(_RELATIVE):
        return Deadline(text, "unscheduled", reason=M("diag.deadline.relative", text=text.strip()))
    if key.startswith(_EVENT):
        return Deadline(text, "unscheduled", reason=M("diag.deadline.event", text=text.strip()))
    spans, bad = _tokens(key)
    if bad:
        return Deadline(
            text, "unscheduled", reason=M("diag.deadline.impossible", text=text.strip())
        )
    recurrence = next((name for name, p in _RECURRING if p.search(key)), None)
    if recurrence == "continuous":
        return Deadline(text, "continuous", recurrence="continuous")
    if recurrence:
        if not spans:
            return Deadline(text, "recurring", recurrence=recurrence)
        bounds = period_bounds(recurrence, min(s[0] for s in spans))
        assert bounds is not None  # recurrence is one of RECURRENCES, the span a date
        first, last = bounds
        due = min([last] + [s[1] for s in spans])
        return Deadline(text, "recurring", due=due, recurrence=recurrence, start=first)
    if spans:
        return Deadline(text, "one_off", due=max(s[1] for s in spans))
    return Deadline(text, "unscheduled", reason=M("diag.deadline.no_date", text=text.strip()))


def period_bounds(recurrence: str, day: date) -> tuple[date, date] | None:
    """(first, last) day of the annual/quarterly/monthly period containing ``day``.

    None when ``recurrence`` is not one of RECURRENCES or ``day`` is not a date.
    """
    d = _as_date(day)
    if d is None or not isinstance(recurrence, str):
        return None
    if recurrence == "annual":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if recurrence == "quarterly":
        first = 3 * ((d.month - 1) // 3) + 1
        return date(d.year, first, 1), _month_end(d.year, first + 2)
    if recurrence == "monthly":
        return date(d.year, d.month, 1), _month_end(d.year, d.month)
    return None


def ended_periods(recurrence: str, start: date, before: date) -> list[tuple[date, date]]:
    """Periods whose last day is >= ``start`` and < ``before``, oldest first ([] if invalid)."""
    s, b = _as_date(start), _as_date(before)
    bounds = period_bounds(recurrence, s) if s is not None else None
    out: list[tuple[date, date]] = []
    while bounds is not None and b is not None and bounds[1] < b:
        out.append(bounds)
        bounds = period_bounds(recurrence, bounds[1] + timedelta(days=1))
    return out


def _next_day(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


def in_first_half(recurrence: str, day: date) -> bool:
    """Whether ``day`` falls in the first half of its period: January-June of a year,
    up to the 15th of the second month of a quarter, the 1st-15th of a month."""
    bounds = period_bounds(recurrence, day)
    if bounds is None:
        return False
    first = bounds[0]
    if recurrence == "annual":
        return day.month <= 6
    if recurrence == "quarterly":
        return day.month == first.month or (day.month == first.month + 1 and day.day <= 15)
    return day.day <= 15


def owed_span(
    recurrence: str, stated_start: date | None, issued: date | None, horizon: int | None
) -> tuple[date, date | None] | None:
    """(first day of the first period owed, last day of the last one or None: open-ended).

    The period in which the decision is issued is owed only when it was issued in the
    first half of it (a plan signed on 29 December owes no report for that year); a
    stated start ("2026 và những năm tiếp theo") can only start later. ``horizon`` is the
    last year the plan covers: no period after it is owed, but at least one period always
    is. None when ``recurrence`` is not one of RECURRENCES or nothing dates the first period.
    """
    if recurrence not in RECURRENCES:
        return None
    starts: list[date] = []
    if issued is not None:
        first, last = period_bounds(recurrence, issued) or (issued, issued)
        owed = first if in_first_half(recurrence, issued) else _next_day(last)
        if owed is None:
            return None
        starts.append(owed)
    if stated_start is not None:
        starts.append(stated_start)
    if not starts:
        return None
    begin = max(starts)
    if horizon is None:
        return begin, None
    end = date(min(max(horizon, 1), 9999), 12, 31)
    if begin > end:  # the plan would owe nothing: its last period is still owed
        last_period = period_bounds(recurrence, end)
        assert last_period is not None  # recurrence is one of RECURRENCES (checked above)
        return last_period[0], end
    return begin, end


def owed_period(
    recurrence: str, span: tuple[date, date | None], day: date
) -> tuple[date, date] | None:
    """The owed period holding ``day``; the first one before the span, the last one
    after it; None when ``recurrence`` is not one of RECURRENCES."""
    first, last = span
    day = max(day, first)
    if last is not None:
        day = min(day, last)
    return period_bounds(recurrence, day)


def ended_owed_periods(
    recurrence: str, span: tuple[date, date | None], before: date
) -> list[tuple[date, date]]:
    """Owed periods whose last day is before ``before``, oldest first."""
    first, last = span
    after_last = None if last is None else _next_day(last)
    return ended_periods(
        recurrence, first, before if after_last is None else min(before, after_last)
    )
