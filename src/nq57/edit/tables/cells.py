"""Shared pieces for tables printed "one cell per line, empty cells omitted".

1057/QĐ-BTC and 07/CT-TTg print their appendix tables this way: after the
header lines, a section is a label line ("I", "B") followed by its title line;
a row is its STT line ("7", "10a") followed by one line per *non-empty* cell
(a few title cells run over several lines). Nothing marks an omitted cell, so
the row parsers in ``doc_1057`` / ``doc_07`` infer the column of each cell from
its position and content; this module only cuts the lines into sections and
rows and splits agency cells.

A line is a row start only when it is the *next* row label of the current
section (``is_next(previous_label, line)``), and a section start only when it
is the next section label; so a cell that happens to read "2025" or "B" is
never taken for a row or section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nq57.edit.tables.common import collapse, join_year_ranges, split_agencies


@dataclass
class Row:
    """One printed table row: its STT label and the lines of its non-empty cells."""

    section: str
    section_title: str
    label: str
    line: int  # 1-based line of the STT cell
    cells: list[str] = field(default_factory=list)
    cell_lines: list[int] = field(default_factory=list)


def text(cell: str) -> str:
    """A cell's text: whitespace collapsed, split year ranges re-joined."""
    return join_year_ranges(collapse(cell))


def find_line(lines: list[str], wanted: str, start: int = 0, doc: str = "") -> int:
    """0-based index of the first line from ``start`` that reads ``wanted``."""
    for i in range(start, len(lines)):
        if collapse(lines[i]) == wanted:
            return i
    raise ValueError(f"{doc}: line {wanted!r} not found")


def split_rows(
    lines: list[str],
    start: int,
    end: int,
    sections: list[str],
    is_next: Callable[[str | None, str], bool],
    doc: str = "",
) -> list[Row]:
    """Cut ``lines[start:end]`` (0-based, end exclusive) into rows.

    ``sections`` are the section labels in printed order; each must be
    followed by its title line (an excerpt may skip sections; the callers'
    count tests check that a full document has them all). ``is_next(previous_label,
    line)`` says whether ``line`` is the label of the next row (``previous_label``
    is ``None`` right after a section title). Blank lines are ignored. Text before
    the first section or between a section title and its first row is an error.
    """
    rows: list[Row] = []
    pending = list(sections)
    section = section_title = ""
    previous: str | None = None
    i = start
    while i < end:
        line = collapse(lines[i])
        if not line:
            i += 1
            continue
        if line in pending:
            if i + 1 >= end or not collapse(lines[i + 1]):
                raise ValueError(f"{doc} line {i + 1}: section {line} has no title line")
            del pending[: pending.index(line) + 1]
            section, section_title = line, text(lines[i + 1])
            previous = None
            i += 2
            continue
        if section and is_next(previous, line):
            rows.append(Row(section, section_title, line, i + 1))
            previous = line
        elif rows and previous is not None and rows[-1].section == section:
            rows[-1].cells.append(lines[i].strip())
            rows[-1].cell_lines.append(i + 1)
        else:
            raise ValueError(f"{doc} line {i + 1}: text outside a row: {line!r}")
        i += 1
    return rows


# --- agency cells ------------------------------------------------------------------------------

_PAREN = re.compile(r"\([^()]*\)")
_COMMA, _SEMI = "\x02", "\x03"
# "Vụ Tài chính - Kinh tế ngành và các đơn vị liên quan", "Bộ Nội vụ và các Ngân
# hàng (...)": "và" joins two names when the second is a "các ..." group.
_AND_GROUP = re.compile(r" và (?=các )")
# "Cục Phát triển DNNN. Cục Phát triển DNTN và KTTT" (1057 III.16): a period
# printed where a comma is meant, seen only before a unit head word.
_PERIOD_SEP = re.compile(r"(?<=\w)\. (?=(?:Cục|Vụ|Bộ) )")


def _protect_parentheses(cell: str) -> str:
    return _PAREN.sub(lambda m: m.group(0).replace(",", _COMMA).replace(";", _SEMI), cell)


def _restore(name: str) -> str:
    return name.replace(_COMMA, ",").replace(_SEMI, ";")


def _printed(name: str) -> re.Pattern[str]:
    """A known name as it may be printed: any case, any spacing around its punctuation."""
    pattern = []
    for part in re.split(r"(\s*[,;]\s*|\s+)", collapse(name)):
        if part.isspace():
            pattern.append(r"\s+")
        elif part.strip() in (",", ";"):
            pattern.append(r"\s*" + re.escape(part.strip()) + r"\s*")
        else:
            pattern.append(re.escape(part))
    return re.compile("".join(pattern), re.IGNORECASE)


def split_names(
    cell: str, extra_unsplittable: list[str] | None = None, known: Iterable[str] = ()
) -> list[str]:
    """Split an agency cell into names as printed.

    On top of ``common.split_agencies`` (split on "," and ";", names with
    commas kept whole, ``extra_unsplittable`` as printed): commas inside
    parentheses never split ("Tập đoàn công nghệ (VNPT, CMC, FPT, Viettel...)");
    "X và các Y" gives "X" and "các Y"; a period used as a separator before
    "Cục/Vụ/Bộ" splits like a comma. ``known`` names (the registry's names that
    hold a comma, "Cục Quản lý Khám, chữa bệnh") are kept whole wherever they are
    printed, in any case and spacing.
    """
    value = _PERIOD_SEP.sub("; ", _AND_GROUP.sub(", ", text(cell)))
    printed = [m.group(0) for name in known for m in _printed(name).finditer(value)]
    protected = [_protect_parentheses(n) for n in [*(extra_unsplittable or []), *printed]]
    names = split_agencies(_protect_parentheses(value), protected)
    return [_restore(n) for n in names]
