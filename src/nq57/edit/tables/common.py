"""Shared pieces of the source-text importers: the record type, text cleaning,
agency splitting and the recorded-corrections mechanism.

Every parser module (one per source layout) exposes
``parse(text: str) -> list[Record]``; ``databuild.build`` applies the
corrections and writes the records as YAML files.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from nq57.edit.fmt import TOP_ORDER, canonical_order


@dataclass
class Record:
    """One task or KPI as parsed from a source table.

    ``key`` is the file key (ASCII slug, unique within the decision); the
    entity id is ``<decision-id>/<key>``. ``fields`` holds data-format fields
    in the order they should be written (``id`` and ``decision`` are added by
    the writer). Use full ids (``71-NQ-CP-2025/89``) for ``parent``.
    """

    kind: str  # "task" or "kpi"
    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # 1-based line in the source text where the row starts


_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
# A year range broken by a PDF line end: "2023-\n2024" or "2021- 2030".
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*-\s+((?:19|20)\d\d)\b")


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space and NFC-normalise."""
    text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


def join_year_ranges(text: str) -> str:
    """Re-join year ranges split at a line end ("2023- 2024" -> "2023-2024")."""
    return _YEAR_RANGE.sub(r"\1-\2", text)


def has_html(text: str) -> bool:
    return bool(_TAG.search(text))


def strip_html(text: str) -> str:
    """Remove HTML tags (keeping their text), unescape entities, collapse."""
    return collapse(html.unescape(_TAG.sub(" ", text)))


# Agency names that contain a comma or semicolon and must never be split.
UNSPLITTABLE = [
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Văn hoá, Thể thao và Du lịch",
    "Bộ Lao động - Thương binh và Xã hội",
    "Các bộ, ngành, địa phương",
    "các bộ, ngành, địa phương",
    "Các Bộ, ngành, địa phương",
    "các Bộ, ngành, địa phương",
    "Các bộ, ngành",
    "các bộ, ngành",
    "Các Bộ, ngành",
    "các Bộ, ngành",
    "Các bộ, ngành liên quan",
    "các bộ, ngành liên quan",
    "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    "Ủy ban nhân dân các tỉnh, thành phố",
    "UBND các tỉnh, thành phố trực thuộc Trung ương",
    "UBND các tỉnh, thành phố",
    "các tỉnh, thành phố",
    "Các tỉnh, thành phố",
    "Các bộ, ngành, địa phương liên quan",
    "các bộ, ngành, địa phương liên quan",
    "các bộ, ngành, cơ quan liên quan",
    "Các bộ, ngành, cơ quan liên quan",
]


def split_agencies(cell: str, extra_unsplittable: list[str] | None = None) -> list[str]:
    """Split an agency cell on "," and ";" keeping comma-containing names whole.

    Empty cells and "-" give []. Trailing punctuation is dropped from names.
    """
    text = collapse(cell)
    if text in ("", "-", "–"):
        return []
    protected = sorted(UNSPLITTABLE + (extra_unsplittable or []), key=len, reverse=True)
    placeholders: dict[str, str] = {}
    for i, name in enumerate(protected):
        token = f"\x00{i}\x00"
        if name in text:
            text = text.replace(name, token)
            placeholders[token] = name
    parts = re.split(r"\s*[;,]\s*", text)
    names = []
    for part in parts:
        for token, name in placeholders.items():
            part = part.replace(token, name)
        part = part.strip(" .;,")
        if part and part not in ("-", "–"):
            names.append(part)
    return names


def slug(text: str) -> str:
    """ASCII slug for file keys: "10a" -> "10a", "(117)" -> "117", "1.1" -> "1.1"."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.")
    return text


class CorrectionError(ValueError):
    pass


def apply_corrections(records: list[Record], corrections: list[dict]) -> list[Record]:
    """Apply recorded corrections (see ``data/sources/corrections/``).

    Each correction is ``{key, kind?, was?, set?, drop?, reason}``: ``was`` lists
    the parsed values the correction expects (so a changed parse is noticed, not
    silently overwritten), ``set`` the new values, ``drop: true`` removes the
    record. Every correction must match exactly one record.
    """
    by_key = {(r.kind, r.key): r for r in records}
    dropped = set()
    for corr in corrections:
        if not corr.get("reason"):
            raise CorrectionError(f"correction for {corr.get('key')!r} has no reason")
        kind = corr.get("kind", "task")
        rec = by_key.get((kind, corr["key"]))
        if rec is None:
            raise CorrectionError(f"correction for unknown {kind} {corr['key']!r}")
        for name, value in (corr.get("was") or {}).items():
            if rec.fields.get(name) != value:
                raise CorrectionError(
                    f"{kind} {corr['key']}: expected {name}={value!r}, parsed "
                    f"{rec.fields.get(name)!r}"
                )
        for name, value in (corr.get("set") or {}).items():
            if value is None:
                rec.fields.pop(name, None)
            else:
                rec.fields[name] = value
        if corr.get("drop"):
            dropped.add((kind, corr["key"]))
    return [r for r in records if (r.kind, r.key) not in dropped]


# The same order `nq57 fmt` writes, so imported files are already canonical.
TASK_ORDER = TOP_ORDER["task"]
KPI_ORDER = TOP_ORDER["kpi"]


def ordered(record: Record, decision_id: str) -> dict:
    """A record as a file's fields, in the house order, empty values left out."""
    base = {"id": f"{decision_id}/{record.key}", "decision": decision_id, **record.fields}
    order = TASK_ORDER if record.kind == "task" else KPI_ORDER
    return {k: base[k] for k in canonical_order(base, order) if base[k] not in (None, [], {})}
