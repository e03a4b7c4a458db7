"""KPI targets as printed ("≥ 80", "≤ 3 Đông Nam Á; ≤ 50 Thế giới", "40 - 50", "$> 0,7$").

Pure: no I/O, never reads the clock, never raises.

Reading rules (decisions on ambiguous forms):

* numbers are Vietnamese: "," is the decimal mark ("0,7" = 0.7), a "." followed by
  exactly three digits groups thousands ("1.000" = 1000), any other "." is a
  decimal point ("2.5"); leading zeros are dropped ("09" = 9);
* a plain figure ("100", "90%", "Phấn đấu 50%") has op "=" and is read as a level
  to reach: ``meets`` is value >= figure, and higher is better;
* "Tối thiểu"/"ít nhất"/"không dưới"/"... trở lên" -> ">="; "Tối đa"/"không quá" ->
  "<="; "trên"/"hơn" -> ">"; "dưới" -> "<"; "40 - 50", "từ 40 đến 50" -> range;
* ranks: "Top 3 ASEAN" and "Nhóm 3 nước dẫn đầu ASEAN" -> rank <= 3, label "ASEAN";
* labels name the scope of one bound: a short capitalised phrase after the number
  ("≤ 3 Đông Nam Á") or a "label:" prefix ("2030: ≥ 3; 2045: ≥ 5"); a lower-case
  continuation ("≥ 3% và tăng dần theo yêu cầu phát triển") is commentary, not a
  label; parenthesised units ("(%)", "(tổ chức, doanh nghiệp)") are ignored;
* years in phrases such as "trong năm 2025", "đến năm 2030" are not figures;
* text without a figure is qualitative ("Hoàn thành", "Đạt mức cao ..."); an empty
  text has no comparisons and is not qualitative either.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    op: str  # ">=", "<=", ">", "<", "=", "range"
    value: float  # the bound (for range: low)
    high: float | None = None  # range only
    label: str | None = None  # scope of the bound, e.g. "Đông Nam Á", "Thế giới"


@dataclass(frozen=True)
class Target:
    text: str
    comparisons: tuple[Comparison, ...] = ()  # empty when qualitative
    qualitative: bool = False


_LOWER_BETTER = ("<=", "<")
_HIGHER_BETTER = (">=", ">", "=")

_LATEX = re.compile(r"\\(geq?|leq?|geqslant|leqslant|gt|lt)(?![A-Za-z])|\\(%)|\{(,)\}|\$")
_LATEX_OPS = {"geq": "≥", "ge": "≥", "geqslant": "≥", "leq": "≤", "le": "≤", "leqslant": "≤"}
_SYMBOLS = ((">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("⩾", "≥"), ("⩽", "≤"))
_WORD_OPS = {
    "toi thieu": ">=",
    "it nhat": ">=",
    "khong duoi": ">=",
    "khong it hon": ">=",
    "toi da": "<=",
    "khong vuot qua": "<=",
    "khong qua": "<=",
    "khong lon hon": "<=",
    "tren": ">",
    "hon": ">",
    "duoi": "<",
    "top": "<=",
    "nhom": "<=",
}
_SYMBOL_OPS = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "="}
_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])(?:,[0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
_WORDS = "|".join(sorted(_WORD_OPS, key=len, reverse=True))
_CMP = re.compile(
    rf"(?:(?P<op>[≥≤<>=]|\b(?:{_WORDS})\b)\s*(?:(?:dat|la|bang|muc)\s+)?)?"
    rf"(?<![\w.,])(?P<a>{_NUM})\s*%?"
    rf"(?:\s*(?:-|\u2013|\u2014|\bden\b)\s*(?P<b>{_NUM})\s*%?)?"
    rf"(?![\w/]|\s*-\s*[a-z])"
    rf"(?P<dir>\s*tro (?:len|xuong)\b)?"
)
_PREFIX_LABEL = re.compile(
    rf"(?P<label>[^\s:;,()][^:;,()]{{0,40}}?)\s*:\s*(?=[≥≤<>=0-9]|(?:{_WORDS})\b)"
)
# Years are not figures: "trong năm 2025", "đến 2030", "giai đoạn 2021-2025".
_YEARS = re.compile(
    r"\b(?:(?:den|trong|vao|toi|tu|giai doan|nam)\s+)+(?:nam\s+)?(?:19|20|21)[0-9]{2}"
    r"(?:\s*[-\u2013]\s*(?:19|20|21)[0-9]{2})?\b"
)
_PARENS = re.compile(r"\([^()]*\)")
_RANK_HEAD = re.compile(
    r"[\s%]*(?:(?:cac|nuoc|quoc gia|nen kinh te|dan dau|hang dau|cua|trong|tai)\s+)*"
)
_UNIT_HEAD = re.compile(r"[\s%]*(?:gdp\b)?")
_LABEL_END = re.compile(r",|;|:|\(|\s(?:va|hoac|voi)\s")


def _fold(text: str) -> str:
    """Per-character key of the same length: lower case, no diacritics, đ -> d."""
    out = []
    for ch in text:
        base = " " if unicodedata.combining(ch) else unicodedata.normalize("NFD", ch)[0]
        out.append("d" if base in "đĐ" else base.lower()[:1])
    return "".join(out)


def _blank(text: str, key: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    """Replace every match of ``pattern`` in ``key`` by spaces, in both strings."""
    for m in pattern.finditer(key):
        a, b = m.span()
        text, key = (s[:a] + " " * (b - a) + s[b:] for s in (text, key))
    return text, key


def _number(raw: str) -> float | None:
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", raw):
        raw = raw.replace(".", "")
    value = float(raw.replace(",", "."))
    return value if math.isfinite(value) else None


def _label(text: str, key: str, rank: bool) -> str | None:
    """A scope label from the words after a figure, or None for commentary/units."""
    head = (_RANK_HEAD if rank else _UNIT_HEAD).match(key)
    skip = head.end() if head else 0  # both patterns match the empty string
    text, key = text[skip:], key[skip:]
    end = _LABEL_END.search(key)
    label = text[: end.start() if end else len(text)].strip(" .-\u2013")
    words = label.split()
    if not words or len(words) > 4 or not (rank or label[0].isupper()):
        return None
    return " ".join(words)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        text = str(value)
    except Exception:  # a broken __str__ must not break the parser
        return ""
    return text if isinstance(text, str) else ""


def parse_target(value: object) -> Target:
    """Read a printed KPI target into comparisons (empty when qualitative)."""
    if type(value) is str:
        return _parse_text(value)  # the same printed targets recur across KPIs
    return _parse_target(value)


@functools.lru_cache(maxsize=8192)
def _parse_text(value: str) -> Target:
    return _parse_target(value)


def _parse_target(value: object) -> Target:
    text = _as_text(value)
    number = _real(value)
    if number is not None:  # a bare YAML number: the figure itself
        return Target(text, (Comparison("=", number),))
    try:
        comparisons = _comparisons(text)
    except Exception:  # defensive: the contract is "never raise"
        comparisons = ()
    return Target(text, comparisons, qualitative=bool(text.strip()) and not comparisons)


def _latex(m: re.Match[str]) -> str:
    """LaTeX math as printed in 71/NQ-CP ("$> 0,7$"): "$" -> " ", "\\geq" -> "≥", "{,}" -> ","."""
    name, percent, comma = m.groups()
    if name:
        return _LATEX_OPS.get(name, ">" if name == "gt" else "<")
    return percent or comma or " "


def _comparisons(text: str) -> tuple[Comparison, ...]:
    clean = _LATEX.sub(_latex, unicodedata.normalize("NFC", text))
    for old, new in _SYMBOLS:
        clean = clean.replace(old, new)
    clean = re.sub(r"\s", " ", clean)
    key = _fold(clean)
    clean, key = _blank(clean, key, _PARENS)
    clean, key = _blank(clean, key, _YEARS)
    out: list[Comparison] = []
    pos = 0
    for part in key.split(";"):
        out += _part(clean[pos : pos + len(part)], part)
        pos += len(part) + 1
    return tuple(out)


def _part(text: str, key: str) -> list[Comparison]:
    """The comparisons of one ";"-separated part."""
    prefix = None
    m = _PREFIX_LABEL.match(key.lstrip())
    if m and len(m.group("label").split()) <= 4:
        shift = len(key) - len(key.lstrip())
        prefix = text[shift : shift + m.end("label")].strip()
        text, key = (" " * (shift + m.end()) + s[shift + m.end() :] for s in (text, key))
    matches = [m for m in _CMP.finditer(key) if _number(m.group("a")) is not None]
    out = []
    for i, m in enumerate(matches):
        low = _number(m.group("a"))
        assert low is not None  # kept above: matches whose figure is not a number
        high = _number(m.group("b")) if m.group("b") else None
        op = _WORD_OPS.get(m.group("op") or "") or _SYMBOL_OPS.get(m.group("op") or "", "=")
        if m.group("dir"):
            op = ">=" if "len" in m.group("dir") else "<="
        if high is not None:
            op, low, high = "range", min(low, high), max(low, high)
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(key)
        rank = m.group("op") in ("top", "nhom")
        label = _label(text[m.end() : stop], key[m.end() : stop], rank)
        if i == 0 and prefix:
            label = prefix
        out.append(Comparison(op, low, high, label))
    return out


def _real(x: object) -> float | None:
    """A finite float from a real number (not bool), else None."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    try:
        value = float(x)
    except Exception:  # huge Fraction, broken __float__
        return None
    return value if math.isfinite(value) else None


def _key(label: str) -> str:
    return " ".join(_fold(unicodedata.normalize("NFC", label)).split())


def _select(target: object, label: object) -> tuple[Comparison, ...] | None:
    """The comparisons that apply for ``label``; None when undecidable."""
    if not isinstance(target, Target) or target.qualitative:
        return None
    try:
        comparisons = tuple(
            c for c in target.comparisons if isinstance(c, Comparison) and isinstance(c.op, str)
        )
    except Exception:  # a hand-built Target with a broken ``comparisons``
        return None
    if not comparisons or (label is not None and not isinstance(label, str)):
        return None
    if label is None:
        return comparisons
    named = tuple(
        c for c in comparisons if isinstance(c.label, str) and _key(c.label) == _key(label)
    )
    if named:
        return named
    return comparisons if all(c.label is None for c in comparisons) else None


def _holds(c: Comparison, v: float) -> bool | None:
    bound, high = _real(c.value), _real(c.high)
    if bound is None:
        return None
    if c.op in (">=", "="):
        return v >= bound
    if c.op == ">":
        return v > bound
    if c.op == "<=":
        return v <= bound
    if c.op == "<":
        return v < bound
    if c.op == "range":
        return bound <= v and (high is None or v <= high)
    return None


def meets(target: Target, value: float, label: str | None = None) -> bool | None:
    """Whether ``value`` meets the target (for ``label``, if given).

    Without a label every comparison must hold. None when not decidable:
    qualitative or empty target, unknown label among labelled bounds, value not a number.
    """
    comparisons, v = _select(target, label), _real(value)
    if comparisons is None or v is None:
        return None
    results = [_holds(c, v) for c in comparisons]
    return None if None in results else all(results)


def progress(
    target: Target, baseline: float | None, value: float, label: str | None = None
) -> float | None:
    """Fraction of the way from ``baseline`` to the bound: (value - baseline) / (bound - baseline).

    Direction-aware: the baseline must lie on the wrong side of the bound (below a
    ">="/"=" bound, above a "<="/"<" bound such as a rank; for a range the nearest
    end is the bound). Not clamped. None when not computable: qualitative target,
    several comparisons left after ``label``, no baseline, baseline already there.
    """
    comparisons, b, v = _select(target, label), _real(baseline), _real(value)
    if comparisons is None or len(comparisons) != 1 or b is None or v is None:
        return None
    c = comparisons[0]
    bound, high = _real(c.value), _real(c.high)
    if bound is None:
        return None
    if c.op == "range":
        bound = bound if b < bound else high if high is not None and b > high else None
    elif c.op in _HIGHER_BETTER:
        bound = bound if b < bound else None
    elif c.op in _LOWER_BETTER:
        bound = bound if b > bound else None
    else:
        bound = None
    if bound is None:
        return None
    result = (v - b) / (bound - b)
    return result if math.isfinite(result) else None


def lower_is_better(target: Target) -> bool | None:
    """True when every bound is "<="/"<" (ranks), False when all are ">=", ">", "=";
    None for qualitative targets, ranges or mixed directions."""
    comparisons = _select(target, None)
    if not comparisons:
        return None
    ops = {c.op for c in comparisons}
    if ops <= set(_LOWER_BETTER):
        return True
    if ops <= set(_HIGHER_BETTER):
        return False
    return None
