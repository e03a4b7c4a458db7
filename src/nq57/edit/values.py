"""Values typed on the command line or in a form: dates, measured numbers, free text.

Pure and clock-free: ``today`` is a parameter where a rule needs it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from nq57.i18n import t

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date:
    """``2025-07-15`` or day-first ``15/07/2025`` (also ``15.07.2025``, ``15-7-2025``)."""
    value = text.strip()
    try:
        if _ISO.match(value):
            return dt.date.fromisoformat(value)
        day_first = _DAY_FIRST.match(value)
        if day_first:
            day, month, year = (int(p) for p in day_first.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(t("edit.not_real_date", text=text)) from None
    raise ValueError(t("edit.not_a_date", text=text))


_NUMBER = re.compile(r"^([+-]?)(\d+)(?:[.,](\d+))?$")
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")


def parse_number(text: str) -> int | float:
    """A measured value: ``55``, ``0.7`` or Vietnamese ``0,7``; int when integral.

    ``1.500`` / ``1,500`` are refused as ambiguous (Vietnamese writes thousands
    with a dot and decimals with a comma; English the other way round).
    """
    value = text.strip().replace("\u2212", "-")
    match = _NUMBER.match(value)
    if not match:
        raise ValueError(t("edit.not_a_number", text=text))
    if _THOUSANDS.match(value):
        whole = f"{match.group(2)}{match.group(3)}"
        decimal = f"{match.group(2)},{match.group(3).rstrip('0') or '0'}"
        raise ValueError(t("edit.ambiguous_number", text=text, whole=whole, decimal=decimal))
    sign, whole, fraction = match.groups()
    if not fraction or not fraction.strip("0"):
        return int(sign + whole)
    return float(f"{sign}{whole}.{fraction}")


def clean_text(text: str | None) -> str | None:
    """User text for a note/source/label: NFC, every YAML line break as \\n, trimmed;
    '' -> None."""
    if text is None:
        return None
    value = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    value = re.sub("[\r\x85\u2028\u2029]", "\n", value).strip()  # YAML line breaks
    return value or None


# --date in an edit: a day further ahead than this is a typo (2062 for 2026, 9999), refused.
MAX_AHEAD = dt.timedelta(days=366)


def latest_date(today: dt.date) -> dt.date:
    """The latest day an edit may be dated, seen from ``today`` (passed in: no clock here)."""
    return today + MAX_AHEAD
