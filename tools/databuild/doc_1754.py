"""Parser for 1754/QĐ-BTC (Bộ Tài chính, 14/5/2025): the digital transformation
plan of the Ministry of Finance for 2025.

Every appendix is present twice in the source text: once as a markdown table
and once flattened one cell per line. Only the markdown tables are read; they
are recognised by their header row, not by line number.

* Phụ lục 01 "DANH MỤC CÁC DỰ ÁN, NHIỆM VỤ TRỌNG ĐIỂM NĂM 2025" -> tasks
  ``pl01-I-1``..``pl01-I-34``, ``pl01-I-u1``, ``pl01-I-u2``, ``pl01-II-1``..``pl01-II-9``.
  Columns ``STT | Đơn vị chủ trì | Nhiệm vụ/dự án (Mới | Chuyển tiếp) | Mục tiêu
  chính đầu tư | Thời gian triển khai - hoàn thành | Quyết định``; the merged
  header "Nhiệm vụ/dự án" puts its sub-header "Mới | Chuyển tiếp" in a row of
  its own (see ``markdown_table.expand_header``). Section rows ``I DỰ ÁN`` and
  ``II NHIỆM VỤ``; in section I, rows ``1.1``..``1.10`` name the lead unit of
  the projects below them (headings, kept as ``group``); projects are numbered
  1-34 across the groups, two rows under 1.6 have no number (``pl01-I-u1``,
  ``-u2``); section II restarts at 1. The title sits in the "Mới" cell
  (``project_kind: new``) or the "Chuyển tiếp" cell (``continuing``). A row
  with text in the STT cell only continues the objective of the previous
  project (project 2 spreads its objective over ten such rows).
* Phụ lục 02 "DANH MỤC NHIỆM VỤ, GIẢI PHÁP CỦA CÁC ĐƠN VỊ" -> tasks
  ``pl02-1.1``..``pl02-9.2``; sections ``I``..``XI`` (printed ``VI.``, kept as
  printed); an unnumbered row is a child of the numbered row above it
  (``pl02-1.1-1``, ...) or, under a section without numbered rows (X, XI), a
  task directly under the section (``pl02-X-1``, ...).
* Phụ lục 03 "DANH MỤC CÁC NHIỆM VỤ CHUYỂN ĐỔI SỐ BỘ TÀI CHÍNH PHỐI HỢP VỚI CÁC
  ĐƠN VỊ KHÁC NĂM 2025" -> tasks ``pl03-1``..``pl03-14``; the external lead
  ministry is ``lead``, the BTC focal unit(s) ``focal``, other units ``support``.
* Plan section III.2 "Mục tiêu, chỉ tiêu cụ thể" -> 12 KPIs ``III.2-1``..``III.2-12``
  (see :func:`parse_kpis` for how the "-" bullets are cut into targets).

Text fields are whitespace-collapsed. Deadlines are kept verbatim ("2024 -
2027" stays as printed); in other cells a year range broken after its hyphen
("2026- 2030", the mark of a line end) is re-joined.
"""

from __future__ import annotations

import re

from nq57.edit.tables.common import Record, collapse, split_agencies
from nq57.edit.tables.markdown_table import Row, Table, expand_header, find_tables

DECISION = "1754-QD-BTC-2025"

# Agency names in this document that contain a comma (all as printed; see
# data/sources/agencies.tsv). Kept whole; the agencies registry resolves them.
EXTRA_UNSPLITTABLE = [
    "Trung tâm Công nghệ thông tin và Chuyển đổi số, BHXH Việt Nam",
    "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
    "Các đơn vị được Bộ giao theo chức năng, nhiệm vụ tại Quyết định 1057/QĐ-BTC",
    "Ban Chỉ đạo và Tổ giúp việc Ban Chỉ đạo CĐS của Bộ Tài chính và 02 Tổ công tác "
    "giám sát, đôn đốc, tháo gỡ khó khăn, vướng mắc, đẩy mạnh giải ngân vốn đầu tư "
    "công và vốn Chương trình phục hồi và phát triển kinh tế - xã hội",
]

PL01_HEADER = [
    "STT",
    "Đơn vị chủ trì",
    "Nhiệm vụ/dự án: Mới",
    "Nhiệm vụ/dự án: Chuyển tiếp",
    "Mục tiêu chính đầu tư",
    "Thời gian triển khai - hoàn thành",
    "Quyết định",
]
PL01_MERGED = "Nhiệm vụ/dự án"
PL01_SUB = ["Mới", "Chuyển tiếp"]
PL02_HEADER = [
    "TT",
    "Nhiệm vụ, giải pháp",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
]
PL03_HEADER = [
    "TT",
    "Nhiệm vụ, giải pháp",
    "Bộ ngành chủ trì",
    "Đơn vị đầu mối phối hợp",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
]

_ROMAN = re.compile(r"^([IVX]+)\.?$")
_GROUP = re.compile(r"^\d+\.\d+$")  # PL01 lead-unit group rows 1.1..1.10
_NUMBER = re.compile(r"^\d+$")
_ITEM = re.compile(r"^(\d+)\.(\d+)$")  # PL02 items x.y
_APPENDIX = re.compile(r"^PHỤ LỤC\s+(\d+)\s*$")
# "2026- 2030": a year range cut at a line end (hyphen glued to the first year).
_BROKEN_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)-\s+((?:19|20)\d\d)\b")
# Lead cells naming units with their role: "Cục CNTT chủ trì về công nghệ, ...;
# Văn phòng Bộ chủ trì về quy trình lưu trữ".
_ROLE = re.compile(r"\s+chủ trì về\s+")
# "Cục CNTT và các đơn vị có liên quan", "CDTNN và các đơn vị liên quan": "và" joins a
# unit and the generic group (split as in data/sources/agencies.tsv, like doc_71's
# "... và các bộ, ngành"); other "và" stay inside the name ("Vụ TCCB và Cục CNTT").
_AND_GROUP = re.compile(r" và (?=các đơn vị (?:có )?liên quan\b)")

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def roman_to_int(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _text(cell: str) -> str:
    return _BROKEN_YEAR_RANGE.sub(r"\1-\2", collapse(cell))


def _agencies(cell: str) -> tuple[list[str], str | None]:
    """Agency names of a lead/support cell and, for cells with role text, the note.

    "Cục CNTT chủ trì về công nghệ, ...; Văn phòng Bộ chủ trì về quy trình lưu trữ"
    -> (["Cục CNTT", "Văn phòng Bộ"], <whole cell>).
    """
    text = collapse(cell)
    if _ROLE.search(text):
        names = [_ROLE.split(part, maxsplit=1)[0].strip() for part in re.split(r"\s*;\s*", text)]
        return [n for n in names if n], text
    return split_agencies(_AND_GROUP.sub(", ", text), EXTRA_UNSPLITTABLE), None


def _set(fields: dict, name: str, value) -> None:
    """Set a field unless the value is empty."""
    if value not in (None, "", []):
        fields[name] = value


def _appendix_label(lines: list[str], table: Table) -> str:
    """ "Phụ lục 01" from the nearest "PHỤ LỤC 01" line above the table."""
    for index in range(table.start - 2, -1, -1):
        match = _APPENDIX.match(lines[index].strip())
        if match:
            return f"Phụ lục {match.group(1)}"
    raise ValueError(f"no 'PHỤ LỤC' heading above the table at line {table.start}")


def _find_table(text: str, accept) -> tuple[Table, str]:
    """The one markdown table whose header ``accept`` recognises, and its appendix."""
    found = [t for t in find_tables(text) if t.rows and accept(t)]
    if len(found) != 1:
        raise ValueError(f"expected one matching table, found {len(found)}")
    table = found[0]
    return table, _appendix_label(text.splitlines(), table)


def _check_header(row: Row, expected: list[str]) -> None:
    cells = list(row.cells)
    while cells and not cells[-1]:
        cells.pop()
    if cells != expected:
        raise ValueError(f"line {row.line}: unexpected header {row.cells!r}")


# --- Phụ lục 01 ------------------------------------------------------------------------


def _is_pl01(table: Table) -> bool:
    return table.header[:1] == ["STT"] and "Mục tiêu chính đầu tư" in table.header


def parse_pl01(text: str) -> list[Record]:
    table, appendix = _find_table(text, _is_pl01)
    header, sub, *rows = table.rows
    if [c for c in sub.cells if c] != PL01_SUB:
        raise ValueError(f"line {sub.line}: expected the sub-header {PL01_SUB!r}")
    columns = expand_header(header.cells, PL01_MERGED, PL01_SUB)
    if columns != PL01_HEADER:
        raise ValueError(f"line {header.line}: unexpected header {header.cells!r}")
    col = {name: i for i, name in enumerate(columns)}
    stt, lead_col = col["STT"], col["Đơn vị chủ trì"]
    new_col, cont_col = col["Nhiệm vụ/dự án: Mới"], col["Nhiệm vụ/dự án: Chuyển tiếp"]

    records: list[Record] = []
    section = section_title = group = None
    unnumbered, last_number = 0, ""
    for row in rows:
        ref = row.cell(stt)
        rest = [c for i, c in enumerate(row.cells) if i != stt and c]
        roman = _ROMAN.match(ref)
        if roman and row.cell(new_col) == row.cell(cont_col) == "":
            section, section_title, group, unnumbered = ref, row.cell(lead_col), None, 0
            continue
        if section is None:
            raise ValueError(f"line {row.line}: row before the first section row")
        if _GROUP.match(ref) and rest == [row.cell(lead_col)]:
            group = row.cell(lead_col)
            continue
        if ref and not rest:
            # text in the STT cell only: continuation of the previous objective
            if not records:
                raise ValueError(f"line {row.line}: continuation row before any project")
            prev = records[-1].fields
            prev["objective"] = collapse(f"{prev.get('objective', '')} {_text(ref)}")
            continue
        new, cont = row.cell(new_col), row.cell(cont_col)
        if bool(new) == bool(cont):
            raise ValueError(f"line {row.line}: expected a title in exactly one of Mới/Chuyển tiếp")
        if ref and not _NUMBER.match(ref):
            raise ValueError(f"line {row.line}: unexpected STT {ref!r}")
        derived = None
        if ref:
            key, last_number, unnumbered = f"pl01-{section}-{ref}", ref, 0
        else:
            unnumbered += 1
            key = f"pl01-{section}-u{unnumbered}"
            # a reader finds it as the n-th unnumbered row after the row numbered last_number
            derived = f"{last_number or section} ({unnumbered})"
        lead, lead_note = _agencies(row.cell(lead_col))
        fields: dict = {"ref": derived or ref, "section": section, "title": _text(new or cont)}
        if derived:
            fields["ref_derived"] = True
        _set(fields, "lead", lead)
        _set(fields, "deadline", collapse(row.cell(col["Thời gian triển khai - hoàn thành"])))
        fields["section_title"] = section_title
        fields["appendix"] = appendix
        _set(fields, "lead_note", lead_note)
        _set(fields, "group", group)
        fields["project_kind"] = "new" if new else "continuing"
        _set(fields, "objective", _text(row.cell(col["Mục tiêu chính đầu tư"])))
        _set(fields, "approval", _text(row.cell(col["Quyết định"])))
        fields["source_line"] = row.line
        records.append(Record("task", key, fields, row.line))
    return records


# --- Phụ lục 02 ------------------------------------------------------------------------


def _is_pl02(table: Table) -> bool:
    return [c for c in table.header if c] == PL02_HEADER


def parse_pl02(text: str) -> list[Record]:
    table, appendix = _find_table(text, _is_pl02)
    header, *rows = table.rows
    _check_header(header, PL02_HEADER)

    records: list[Record] = []
    section = section_title = None
    parent: Record | None = None  # the numbered row unnumbered rows attach to
    children = 0
    for row in rows:
        ref, title, lead_cell, support_cell, deadline, note = (row.cell(i) for i in range(6))
        roman = _ROMAN.match(ref)
        if roman:
            if lead_cell or support_cell or deadline or note:
                raise ValueError(f"line {row.line}: section row with more than a title")
            section, section_title, parent, children = ref, title, None, 0
            continue
        if section is None:
            raise ValueError(f"line {row.line}: row before the first section row")
        if not title:
            raise ValueError(f"line {row.line}: row without a title")
        fields: dict = {"ref": ref, "section": section, "title": _text(title)}
        if ref:
            item = _ITEM.match(ref)
            if not item or int(item.group(1)) != roman_to_int(section.rstrip(".")):
                raise ValueError(f"line {row.line}: item {ref!r} outside section {section!r}")
            key = f"pl02-{ref}"
        else:
            children += 1
            owner = parent.fields["ref"] if parent else section.rstrip(".")
            key = f"pl02-{owner}-{children}"
            # printed without a number: its parent's (or section's) number and its position
            fields["ref"], fields["ref_derived"] = f"{owner} ({children})", True
        lead, lead_note = _agencies(lead_cell)
        support, _ = _agencies(support_cell)
        _set(fields, "lead", lead)
        _set(fields, "support", support)
        _set(fields, "deadline", collapse(deadline))
        if not ref and parent is not None:
            fields["parent"] = f"{DECISION}/{parent.key}"
        fields["section_title"] = section_title
        fields["appendix"] = appendix
        _set(fields, "lead_note", lead_note)
        _set(fields, "note", _text(note))
        fields["source_line"] = row.line
        record = Record("task", key, fields, row.line)
        records.append(record)
        if ref:
            parent, children = record, 0
    return records


# --- Phụ lục 03 ------------------------------------------------------------------------


def _is_pl03(table: Table) -> bool:
    return [c for c in table.header if c] == PL03_HEADER


def parse_pl03(text: str) -> list[Record]:
    table, appendix = _find_table(text, _is_pl03)
    header, *rows = table.rows
    _check_header(header, PL03_HEADER)

    records: list[Record] = []
    for row in rows:
        ref, title, lead_cell, focal_cell, support_cell, deadline, note = (
            row.cell(i) for i in range(7)
        )
        if not _NUMBER.match(ref) or not title:
            raise ValueError(f"line {row.line}: unexpected row {row.cells!r}")
        lead, lead_note = _agencies(lead_cell)
        support, _ = _agencies(support_cell)
        fields: dict = {"ref": ref, "title": _text(title)}
        _set(fields, "lead", lead)
        _set(fields, "support", support)
        _set(fields, "deadline", collapse(deadline))
        fields["appendix"] = appendix
        _set(fields, "lead_note", lead_note)
        # #10 prints "Phân công sau khi có hướng dẫn của Bộ KHCN" (no unit named yet); it
        # is kept as printed, like any other cell (agencies.tsv lists it, kind "other").
        _set(fields, "focal", _agencies(focal_cell)[0])
        _set(fields, "note", _text(note))
        fields["source_line"] = row.line
        records.append(Record("task", f"pl03-{ref}", fields, row.line))
    return records


# --- Section III.2 targets ---------------------------------------------------------------

KPI_SECTION = "III.2"
KPI_SECTION_TITLE = "Mục tiêu, chỉ tiêu cụ thể"
KPI_YEAR = 2025
_PERCENT = re.compile(r"(?:ít nhất )?\d+%")
# Bullet 4 lists five targets in one sentence; V.2 gives them to Văn phòng.
_TTHC_PREFIX = "Phấn đấu trong năm 2025 "
TTHC_OWNER = "Văn phòng"


def _section_bullets(lines: list[str], start: str, stop: re.Pattern) -> list[tuple[int, str]]:
    """("- " bullet line number, text) from the line equal to ``start`` to ``stop``."""
    try:
        first = next(i for i, line in enumerate(lines) if collapse(line) == start)
    except StopIteration:
        raise ValueError(f"no line {start!r}") from None
    bullets = []
    for index in range(first + 1, len(lines)):
        line = collapse(lines[index])
        if stop.match(line):
            break
        if line.startswith("- "):
            bullets.append((index + 1, line[2:]))
    return bullets


def parse_kpis(text: str) -> list[Record]:
    """The targets of plan section III.2 "Mục tiêu, chỉ tiêu cụ thể".

    The section has eight "-" bullets. One KPI per target statement:

    * bullet 1 holds two sentences with different subjects (at least 3% of the
      annual budget; the reorganisation of the S&T system) -> two KPIs;
    * bullet 4 lists five targets separated by ";" (30% less TTHC processing
      time, 30% less business cost, 30% of business conditions abolished, all
      business procedures online, 100% TTHC independent of the administrative
      boundary) -> five KPIs, owner Văn phòng (section V.2 makes Văn phòng
      lead the review of exactly these targets);
    * bullets 2, 3, 5, 6, 7 -> one KPI each;
    * bullet 8 ("Ngoài ra, tiếp tục thực hiện các mục tiêu cụ thể tại Quyết định
      số 1484/QĐ-BTC ...") only refers to another plan and is no target.

    ``name`` is the statement as printed (final full stop dropped); where it
    states a percentage, ``unit`` is "%" and ``target`` the percentage as printed
    ("ít nhất 30%", "50%", "100%"), otherwise ``unit`` is "" and ``target`` the
    statement itself. ``ref`` is "" (the bullets carry no number).
    """
    lines = text.splitlines()
    bullets = _section_bullets(lines, f"2. {KPI_SECTION_TITLE}", re.compile(r"^IV\.\s"))
    if len(bullets) != 8 or not bullets[7][1].startswith("Ngoài ra"):
        raise ValueError(f"section III.2: expected 8 bullets, the last 'Ngoài ra', got {bullets}")

    statements: list[tuple[int, str, str | None]] = []  # (line, statement, owner)
    for number, (line, bullet) in enumerate(bullets[:7], start=1):
        if number == 1:
            parts = re.split(r"(?<=\.)\s+(?=[A-ZĐ])", bullet)
            if len(parts) != 2:
                raise ValueError(f"line {line}: expected two sentences in {bullet!r}")
            statements += [(line, p, None) for p in parts]
        elif number == 4:
            if not bullet.startswith(_TTHC_PREFIX):
                raise ValueError(f"line {line}: unexpected bullet {bullet!r}")
            parts = bullet.split("; ")
            if len(parts) != 5:
                raise ValueError(f"line {line}: expected five targets in {bullet!r}")
            owner = TTHC_OWNER if _tthc_owner_confirmed(lines, bullet) else None
            statements += [(line, p, owner) for p in parts]
        else:
            statements.append((line, bullet, None))

    records = []
    for index, (line, statement, owner) in enumerate(statements, start=1):
        name = statement.rstrip(".")
        percent = _PERCENT.search(name)
        fields: dict = {
            "ref": "",
            "section": KPI_SECTION,
            "name": name,
            "unit": "%" if percent else "",
            "target": percent.group(0) if percent else name,
            "year": KPI_YEAR,
        }
        _set(fields, "owner", owner)
        fields["section_title"] = KPI_SECTION_TITLE
        fields["source_line"] = line
        records.append(Record("kpi", f"{KPI_SECTION}-{index}", fields, line))
    return records


def _tthc_owner_confirmed(lines: list[str], bullet: str) -> bool:
    """Section V.2 "Văn phòng" restates bullet 4 in its "Chủ trì, ..." duty."""
    duties = _section_bullets(lines, f"2. {TTHC_OWNER}", re.compile(r"^3\.\s"))
    wanted = bullet[len(_TTHC_PREFIX) :].rstrip(".")
    return any(d.startswith("Chủ trì") and wanted in d for _, d in duties)


# --- whole document --------------------------------------------------------------------


def parse(text: str) -> list[Record]:
    """KPIs of section III.2, then the tasks of Phụ lục 01, 02 and 03, in printed order."""
    return parse_kpis(text) + parse_pl01(text) + parse_pl02(text) + parse_pl03(text)
