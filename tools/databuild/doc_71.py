"""Parser for 71/NQ-CP (Chính phủ, 01/4/2025): the two tab-separated appendices.

* Phụ lục I "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ" -> KPI records.
  Columns ``TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá``;
  section rows ``I\\tĐến năm 2030`` and ``II Đến năm 2045`` (label and title in
  one cell); KPIs ``1``..``41`` numbered across both sections, sub-items
  ``11.1``..``11.9`` and ``23.1``..``23.4``.
* Phụ lục II "DANH MỤC CÁC NHIỆM VỤ ..." -> task records.
  Columns ``TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả |
  Thời gian hoàn thành``; sections ``I.``..``VII.``; tasks ``1.``..``189.``
  numbered across sections; sub-items ``(1)``..``(N)`` restarting under each
  parent (32., 89., 147.).

Both tables repeat their header row after every page break. In Phụ lục II a
row with an empty TT cell continues the previous row across a page break: each
non-empty cell is appended to the same cell of the previous row with one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nq57.edit.tables.common import (
    Record,
    collapse,
    has_html,
    join_year_ranges,
    split_agencies,
    strip_html,
)

DECISION = "71-NQ-CP-2025"

KPI_APPENDIX = "Phụ lục I"
TASK_APPENDIX = "Phụ lục II"

KPI_HEADER = ["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]
TASK_HEADER = [
    "TT",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Kết quả",
    "Thời gian hoàn thành",
]

# Names in this document's agency cells that contain a comma and are not in
# common.UNSPLITTABLE (all listed as printed in data/sources/agencies.tsv). Some
# are printed with a stray comma ("Bộ Khoa học, Công nghệ" in 62., "Các bộ,
# ngành, liên quan"); they are kept whole and as printed, the agencies registry
# resolves them.
EXTRA_UNSPLITTABLE = [
    "Bộ Khoa học, Công nghệ",
    "Bộ, ngành, địa phương liên quan",
    "bộ, ngành liên quan",
    "Các bộ, ngành và địa phương liên quan",
    "Các bộ, ngành và địa phương",
    "các bộ, ngành và địa phương khác liên quan",
    "Các bộ, ngành có liên quan",
    "Các bộ, ngành, liên quan",
    "Các bộ, ngành, địa phương, doanh nghiệp liên quan",
    "Các bộ, ngành chủ quản các CSDL quốc gia, CSDL chuyên ngành ở trên",
    "Các cơ quan Đảng, Quốc hội, Tòa án nhân dân tối cao, Viện Kiểm sát nhân dân tối cao",
    "Các tập đoàn, doanh nghiệp",
    "Tập đoàn, doanh nghiệp công nghệ số",
    "các địa phương có cảng hàng không, sân bay",
]
# "Viện Hàn lâm Khoa học và Công nghệ và các bộ, ngành, địa phương" (67.),
# "Bộ Tài chính và các bộ, ngành, địa phương" (70.): "và" joins two names here.
_AND_GROUP = re.compile(r" và (?=các bộ, ngành)")

_KPI_REF = re.compile(r"^\d+(?:\.\d+)?$")
_KPI_SECTION = re.compile(r"^(I|II)\s+(Đến năm (\d{4}))$")
_TASK_SECTION = re.compile(r"^[IVX]+\.$")
_TASK_NUMBER = re.compile(r"^(\d+)\.$")
_TASK_SUBITEM = re.compile(r"^\((\d+)\)$")
# KPI 14 prints its target as LaTeX inline math ("$> 0,7$"), an artefact of the
# text extraction; the delimiters are dropped, the content kept verbatim.
_LATEX_MATH = re.compile(r"^\$(.*)\$$")
# "Bộ Công an chủ trì; Bộ Khoa học và Công nghệ, các bộ, ngành phối hợp."
_OWNER_ROLES = re.compile(r"^(?P<owner>.+?) chủ trì\s*;\s*(?P<support>.+?) phối hợp\.?$")


@dataclass
class _Row:
    line: int
    cells: list[str]


def _find_line(lines: list[str], text: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if lines[i].strip() == text:
            return i
    raise ValueError(f"71/NQ-CP: line {text!r} not found")


def _table_rows(lines: list[str], start: int, end: int, header: list[str]) -> list[_Row]:
    """Tab-separated rows of lines[start:end] without the (repeated) header rows.

    ``_Row.line`` is 1-based. Every row must have the header's number of cells.
    """
    width = len(header)
    rows: list[_Row] = []
    in_table = False
    for i in range(start, end):
        line = lines[i]
        if "\t" not in line:
            # the caption lines before the first header row; blank lines at page breaks
            if line.strip() and in_table:
                raise ValueError(f"71/NQ-CP line {i + 1}: text inside the table: {line!r}")
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise ValueError(f"71/NQ-CP line {i + 1}: {len(cells)} cells, expected {width}")
        if [collapse(c) for c in cells] == header:
            in_table = True
            continue
        if not in_table:
            raise ValueError(f"71/NQ-CP line {i + 1}: table row before the header row")
        rows.append(_Row(i + 1, cells))
    return rows


def _text(cell: str) -> str:
    return join_year_ranges(collapse(cell))


def _agencies(cell: str) -> list[str]:
    return split_agencies(_AND_GROUP.sub(", ", _text(cell)), EXTRA_UNSPLITTABLE)


def _put(fields: dict, name: str, value) -> None:
    """Set a field unless the value is empty (empty optional fields are omitted)."""
    if value not in ("", [], None):
        fields[name] = value


def parse_kpis(lines: list[str], start: int, end: int) -> list[Record]:
    """Phụ lục I: lines[start:end] (0-based, end exclusive)."""
    records = []
    section = section_title = None
    year = 0
    for row in _table_rows(lines, start, end, KPI_HEADER):
        tt, name, unit, target, owner = (_text(c) for c in row.cells)
        # "I\tĐến năm 2030\t\t\t" or "II Đến năm 2045\t\t\t\t" (label and title in one cell)
        heading = _KPI_SECTION.match(f"{tt} {name}".strip())
        if heading and not _KPI_REF.match(tt):
            if any((unit, target, owner)):
                raise ValueError(f"71/NQ-CP line {row.line}: unexpected section row")
            section, section_title = heading.group(1), heading.group(2)
            year = int(heading.group(3))
            continue
        if not _KPI_REF.match(tt):
            raise ValueError(f"71/NQ-CP line {row.line}: unexpected KPI number {tt!r}")
        if section is None:
            raise ValueError(f"71/NQ-CP line {row.line}: KPI before any section row")
        fields: dict = {"ref": tt, "section": section, "name": name}
        _put(fields, "unit", unit)
        latex = _LATEX_MATH.match(target)
        if latex:
            target = latex.group(1).strip()
        _put(fields, "target", target)
        fields["year"] = year
        roles = _OWNER_ROLES.match(owner)
        if roles:
            fields["owner"] = roles.group("owner")
        else:
            _put(fields, "owner", owner)
        if "." in tt:
            fields["parent"] = f"{DECISION}/{tt.split('.')[0]}"
        fields["section_title"] = section_title
        fields["appendix"] = KPI_APPENDIX
        if roles:
            fields["support"] = split_agencies(roles.group("support"), EXTRA_UNSPLITTABLE)
            fields["owner_note"] = owner
        fields["source_line"] = row.line
        records.append(Record("kpi", tt, fields, row.line))
    return records


def _merge_continuations(rows: list[_Row]) -> list[_Row]:
    """Fold rows with an empty TT cell into the previous row, cell by cell."""
    merged: list[_Row] = []
    for row in rows:
        if collapse(row.cells[0]):
            merged.append(_Row(row.line, list(row.cells)))
            continue
        if not merged or _TASK_SECTION.match(collapse(merged[-1].cells[0])):
            raise ValueError(f"71/NQ-CP line {row.line}: continuation row without a task row")
        prev = merged[-1]
        for i, cell in enumerate(row.cells[1:], start=1):
            if cell.strip():
                prev.cells[i] = f"{prev.cells[i].rstrip()} {cell.lstrip()}"
    return merged


def parse_tasks(lines: list[str], start: int, end: int) -> list[Record]:
    """Phụ lục II: lines[start:end] (0-based, end exclusive)."""
    records = []
    section = section_title = None
    parent_key: str | None = None
    keys: set[str] = set()
    for row in _merge_continuations(_table_rows(lines, start, end, TASK_HEADER)):
        tt = collapse(row.cells[0])
        raw_title = collapse(row.cells[1])
        lead, support, output, deadline = row.cells[2:]
        if _TASK_SECTION.match(tt):
            if any(c.strip() for c in row.cells[2:]):
                raise ValueError(f"71/NQ-CP line {row.line}: unexpected section row")
            section, section_title = tt, _text(raw_title)
            parent_key = None
            continue
        number, sub = _TASK_NUMBER.match(tt), _TASK_SUBITEM.match(tt)
        if section is None or not (number or sub):
            raise ValueError(f"71/NQ-CP line {row.line}: unexpected task number {tt!r}")
        if number:
            key = parent_key = number.group(1)
        else:
            if parent_key is None:
                raise ValueError(f"71/NQ-CP line {row.line}: sub-item {tt} without a parent")
            key = f"{parent_key}-{sub.group(1)}"
        if key in keys:
            raise ValueError(f"71/NQ-CP line {row.line}: duplicate task key {key!r}")
        keys.add(key)
        fields: dict = {"ref": tt, "section": section}
        if has_html(raw_title):
            fields["title"] = join_year_ranges(strip_html(raw_title))
        else:
            fields["title"] = _text(raw_title)
        _put(fields, "lead", _agencies(lead))
        _put(fields, "support", _agencies(support))
        _put(fields, "output", _text(output))
        _put(fields, "deadline", _text(deadline))
        if sub:
            fields["parent"] = f"{DECISION}/{parent_key}"
        fields["section_title"] = section_title
        fields["appendix"] = TASK_APPENDIX
        if has_html(raw_title):
            fields["title_raw_html"] = raw_title
        fields["source_line"] = row.line
        records.append(Record("task", key, fields, row.line))
    return records


def parse(text: str) -> list[Record]:
    """All records of 71/NQ-CP in printed order: Phụ lục I KPIs, then Phụ lục II tasks."""
    lines = text.splitlines()
    kpi_start = _find_line(lines, KPI_APPENDIX)
    task_start = _find_line(lines, TASK_APPENDIX, kpi_start + 1)
    return parse_kpis(lines, kpi_start + 1, task_start) + parse_tasks(
        lines, task_start + 1, len(lines)
    )
