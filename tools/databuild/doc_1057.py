"""Parser for 1057/QĐ-BTC (Bộ Tài chính, 20/3/2025): the appendix "KẾ HOẠCH HÀNH ĐỘNG
TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT 03/NQ-CP".

Layout (INVENTORY.md section 1): one cell per line, empty cells omitted (see
``cells``). The header is printed in another order than the data; a data row is
``STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Hình thức văn bản/ Kết quả |
Cấp có thẩm quyền | Thời gian trình``. Sections ``I``..``III``; numbers restart
in every section; sub-items ``10a``/``10b`` (II) and ``7a``/``7b`` (III).

Where the omitted cells were (checked against every row of the table):

* sections II and III: the last cell is the deadline ("Thời gian trình");
  an authority cell ("Quốc hội", "Chính phủ", "Thủ tướng Chính phủ" or two of
  them joined by ";") just before it is the approver; of the cells left, the
  first is the lead, the second the support when it reads like a unit name
  (else the output), the third the output. More cells -> ``ValueError``.
* a parent row (the row before "Na") has no lead/support: its cells are the
  output and optionally the approver.
* section I holds KPIs ``owner | support | target``; no deadline cell.

Lead cells with role text ("Vụ NSNN tổng hợp chung", "… chủ trì, phối hợp với
…", "… rà soát, tổng hợp chung", "Các Vụ/Cục chủ trì theo chức năng, nhiệm vụ
được giao") give the agency names as ``lead`` and the whole cell as
``lead_note``; a KPI owner cell with role text gives ``owner`` + ``owner_note``.
Support cells are kept as printed (the data format has no support note).

Keys: tasks "<section>-<number>" ("II-1", "II-10a", "III-7b"), KPIs "I-1".."I-3".
Children carry ``parent: 1057-QD-BTC-2025/II-10``. Links to the national plans
(KPI parents in 71/NQ-CP Phụ lục I, task parents in 71/NQ-CP Phụ lục II or
07/CT-TTg) are recorded corrections, not parser guesses.
"""

from __future__ import annotations

import re

from nq57.edit.tables.cells import Row, find_line, split_names, split_rows, text
from nq57.edit.tables.common import Record

DECISION = "1057-QD-BTC-2025"
APPENDIX = "Phụ lục"
SECTIONS = ["I", "II", "III"]
HEADER_LAST = "Hình thức văn bản/ Kết quả"

_LABEL = re.compile(r"^(\d{1,2})([a-z]?)$")
_DEADLINE = re.compile(
    r"^(?:\d{1,2}/\d{4}|\d{4}(?:-\d{4})?|\d{4} và những năm tiếp theo|Hằng năm|"
    r"Thường xuyên|Nhiệm vụ thường xuyên)$"
)
_AUTHORITY = r"(?:Quốc hội|Chính phủ|Thủ tướng Chính ph[ủú])"
_APPROVER = re.compile(rf"^{_AUTHORITY}(?:; {_AUTHORITY})*$")
# A support cell always starts like a unit name; output cells never do.
_UNIT_HEAD = re.compile(
    r"^(?:Các đơn vị|Vụ|Cục|NIC|Trung tâm|Văn phòng|Viện|Kho bạc|Ủy ban|Các Vụ|[Cc]ơ quan)\b"
)
# KPI target "2030: ≥ 3; 2045: ≥ 5 (tổ chức, doanh nghiệp)": unit in the final
# parentheses, target year the first year named.
_TARGET_UNIT = re.compile(r"\(([^()]*)\)$")
_TARGET_YEAR = re.compile(r"\b(20\d\d):")

# Role text inside lead/owner cells: (pattern, replacement). Applied in order;
# what is left splits into agency names.
# "X chủ trì, phối hợp với Y": X alone leads, Y supports. II-4: "Vụ Tài chính - Kinh tế
# ngành chủ trì, phối hợp với Vụ I, Vụ NSNN tổng hợp".
_LEAD_WITH_HELPERS = re.compile(r"^(?P<lead>.+?) chủ trì, phối hợp với (?P<helpers>.+)$")
_ROLE_TEXT = [
    # "Các đơn vị thực hiện, giải quyết thủ tục hành chính tại Bộ (Cục …, …,...)":
    # a description followed by the units it names
    (
        re.compile(
            r"^Các đơn vị thực hiện, giải quyết thủ tục hành chính tại Bộ \((.*?),?\.\.\.\)$"
        ),
        r"\1",
    ),
    (re.compile(r" rà soát, tổng hợp chung$"), ""),
    (
        re.compile(r" tổng hợp, cân đối trên kết quả rà soát và đề xuất của các Vụ/Cục chức năng$"),
        "",
    ),
    (re.compile(r" tổng hợp chung$"), ""),
    (re.compile(r" tổng hợp$"), ""),
    (re.compile(r" tổng hợp(?=;)"), ""),
    (re.compile(r" đề xuất cho Bộ, cơ quan thuộc phạm vi(?=;)"), ""),
    (re.compile(r"(?: chủ trì)? theo chức năng, nhiệm vụ được giao$"), ""),
]
# Support cells printed with role text: kept whole, as printed.
SUPPORT_UNSPLITTABLE = [
    "Các đơn vị liên quan rà soát, gửi kết quả cho đơn vị chủ trì tổng hợp",
    "Cục Quản lý, giám sát chính sách thuế, phí và lệ phí",
]
LEAD_UNSPLITTABLE = ["Cục Quản lý, giám sát chính sách thuế, phí và lệ phí"]


def lead_cell(cell: str) -> tuple[list[str], list[str], str | None]:
    """Lead names of a lead (or KPI owner) cell, the names it says support
    ("X chủ trì, phối hợp với Y"), and the cell itself when it has role text."""
    value = text(cell)
    m = _LEAD_WITH_HELPERS.match(value)
    parts = [m["lead"], m["helpers"]] if m else [value, ""]
    for pattern, repl in _ROLE_TEXT:
        parts = [pattern.sub(repl, part) for part in parts]
    names = split_names(parts[0], LEAD_UNSPLITTABLE)
    helpers = split_names(parts[1], LEAD_UNSPLITTABLE) if parts[1] else []
    plain = split_names(value, LEAD_UNSPLITTABLE)
    return names, helpers, (value if names != plain else None)


def support_cell(cell: str) -> list[str]:
    return split_names(cell, SUPPORT_UNSPLITTABLE)


def _is_next(previous: str | None, line: str) -> bool:
    m = _LABEL.match(line)
    if not m:
        return False
    number, letter = int(m.group(1)), m.group(2)
    if previous is None:  # first row of a section (of an excerpt: any number)
        return not letter
    p = _LABEL.match(previous)
    assert p is not None
    prev_number, prev_letter = int(p.group(1)), p.group(2)
    if letter:
        # "10a" after "10"; "10b" after "10a"
        expected = "a" if not prev_letter else chr(ord(prev_letter) + 1)
        return number == prev_number and letter == expected
    return number == prev_number + 1


def _put(fields: dict, name: str, value) -> None:
    if value not in ("", [], None):
        fields[name] = value


def _kpi(row: Row) -> Record:
    key = f"{row.section}-{row.label}"
    if len(row.cells) != 4:
        raise ValueError(f"1057 KPI {key}: expected name, owner, support, target: {row.cells}")
    name, owner_cell, support, target = (text(c) for c in row.cells)
    owners, helpers, owner_note = lead_cell(owner_cell)
    if len(owners) != 1 or helpers:
        raise ValueError(f"1057 KPI {key}: owner cell names {owners}")
    fields: dict = {"ref": row.label, "section": row.section}
    fields["name"] = name
    unit = _TARGET_UNIT.search(target)
    _put(fields, "unit", unit.group(1) if unit else None)
    fields["target"] = target
    year = _TARGET_YEAR.search(target)
    _put(fields, "year", int(year.group(1)) if year else None)
    fields["owner"] = owners[0]
    _put(fields, "owner_note", owner_note)
    _put(fields, "support", support_cell(support))
    fields["section_title"] = row.section_title
    fields["appendix"] = APPENDIX
    fields["source_line"] = row.line
    return Record("kpi", key, fields, row.line)


def _task(row: Row, is_parent: bool, parent_key: str | None) -> Record:
    key = f"{row.section}-{row.label}"
    if len(row.cells) < 2:
        raise ValueError(f"1057 {key}: no title or no deadline: {row.cells}")
    title, *middle, deadline = (text(c) for c in row.cells)
    if not _DEADLINE.match(deadline):
        raise ValueError(f"1057 {key}: last cell is not a deadline: {deadline!r}")
    approver = middle.pop() if middle and _APPROVER.match(middle[-1]) else None
    lead = support = output = None
    if is_parent:
        if len(middle) > 1:
            raise ValueError(f"1057 {key}: parent row with cells {middle}")
        output = middle[0] if middle else None
    else:
        if not middle or len(middle) > 3:
            raise ValueError(f"1057 {key}: cannot place cells {middle}")
        lead = middle[0]
        rest = middle[1:]
        if rest and _UNIT_HEAD.match(rest[0]):
            support = rest.pop(0)
        if len(rest) > 1:
            raise ValueError(f"1057 {key}: cannot place cells {middle}")
        output = rest[0] if rest else None
    fields: dict = {"ref": row.label, "section": row.section, "title": title}
    lead_note = None
    helpers: list[str] = []
    if lead is not None:
        names, helpers, lead_note = lead_cell(lead)
        fields["lead"] = names
    if support is not None or helpers:
        supporting = support_cell(support) if support is not None else []
        fields["support"] = helpers + [n for n in supporting if n not in helpers]
    _put(fields, "output", output)
    _put(fields, "approver", approver)
    fields["deadline"] = deadline
    if parent_key:
        fields["parent"] = f"{DECISION}/{parent_key}"
    fields["section_title"] = row.section_title
    fields["appendix"] = APPENDIX
    _put(fields, "lead_note", lead_note)
    fields["source_line"] = row.line
    return Record("task", key, fields, row.line)


def parse(text_: str) -> list[Record]:
    lines = text_.splitlines()
    start = find_line(lines, HEADER_LAST, doc="1057") + 1
    rows = split_rows(lines, start, len(lines), SECTIONS, _is_next, doc="1057")
    records: list[Record] = []
    for i, row in enumerate(rows):
        if row.section == "I":
            records.append(_kpi(row))
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        is_parent = bool(nxt and nxt.section == row.section and nxt.label == f"{row.label}a")
        m = _LABEL.match(row.label)
        assert m is not None
        parent_key = f"{row.section}-{m.group(1)}" if m.group(2) else None
        records.append(_task(row, is_parent, parent_key))
    return records
