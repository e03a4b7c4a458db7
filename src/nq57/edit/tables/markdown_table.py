"""A small reader for pipe-delimited ("markdown") tables in extracted source texts.

Some source texts (1754/QĐ-BTC) hold their appendices as markdown tables::

    | STT | Đơn vị chủ trì | ... |
    |-----|----------------|-----|
    | 1   | Cục CNTT       | ... |

with a blank line between rows and the cells padded with spaces. A *table* is a
maximal run of lines starting with ``|``, only blank lines allowed in between.
Separator rows (``|---|:--:|``) are dropped. Cells are whitespace-collapsed
(``common.collapse``); a cell never contains ``|`` in these texts (no escaping).

Merged header cells come out misaligned: a header cell spanning two data
columns ("Nhiệm vụ/dự án" over "Mới | Chuyển tiếp") occupies one cell of the
header row and its sub-header sits in a row of its own, left-aligned.
:func:`expand_header` rebuilds one name per data column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nq57.edit.tables.common import collapse

_SEPARATOR_CELL = re.compile(r"^:?-+:?$")


@dataclass
class Row:
    line: int  # 1-based line of the row in the text
    cells: list[str]

    def cell(self, index: int) -> str:
        """The cell at ``index``, "" when the row is shorter."""
        return self.cells[index] if index < len(self.cells) else ""


@dataclass
class Table:
    start: int  # 1-based line of the first row
    end: int  # 1-based line of the last row
    rows: list[Row] = field(default_factory=list)  # separator rows dropped

    @property
    def header(self) -> list[str]:
        return self.rows[0].cells if self.rows else []


def split_row(line: str) -> list[str]:
    """Cells of one table line: ``"| a | b  c |"`` -> ``["a", "b c"]``."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [collapse(cell) for cell in text.split("|")]


def is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def find_tables(text: str) -> list[Table]:
    """Every markdown table of ``text`` in order."""
    tables: list[Table] = []
    current: Table | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("|"):
            if current is None:
                current = Table(start=number, end=number)
                tables.append(current)
            current.end = number
            cells = split_row(stripped)
            if not is_separator(cells):
                current.rows.append(Row(line=number, cells=cells))
        elif stripped:
            current = None
    return tables


def expand_header(header: list[str], merged: str, sub: list[str]) -> list[str]:
    """One column name per data column when header cell ``merged`` spans ``sub``.

    ``expand_header(["STT", "Nhiệm vụ", "Mục tiêu"], "Nhiệm vụ", ["Mới", "Chuyển tiếp"])``
    gives ``["STT", "Nhiệm vụ: Mới", "Nhiệm vụ: Chuyển tiếp", "Mục tiêu"]``.
    Trailing empty header cells (padding of the wider data rows) are dropped.
    """
    names = list(header)
    while names and not names[-1]:
        names.pop()
    if merged not in names:
        raise ValueError(f"header has no cell {merged!r}: {header!r}")
    at = names.index(merged)
    return names[:at] + [f"{merged}: {s}" for s in sub] + names[at + 1 :]
