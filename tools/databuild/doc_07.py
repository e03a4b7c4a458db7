"""Parser for 07/CT-TTg (Thủ tướng Chính phủ, 14/3/2025): the appendix "ĐÔN ĐỐC CÁC
NHIỆM VỤ CỦA BỘ, NGÀNH, ĐỊA PHƯƠNG TRONG TRIỂN KHAI ĐỀ ÁN 06 NĂM 2025" and the
tasks stated in the directive's body.

Appendix layout (INVENTORY.md section 3): one cell per line, empty cells
omitted (see ``cells``); columns ``STT | NHIỆM VỤ | ĐƠN VỊ CHỦ TRÌ | ĐƠN VỊ PHỐI
HỢP | THỜI GIAN HOÀN THÀNH`` (no output column). Sections ``A``, ``B``, ``C``;
numbers restart in every section; every row is a leaf.

How a row's lines are placed:

* the last line is the deadline ("Tháng 6/2025", "Quý II/2025", "Thực hiện
  thường xuyên", …);
* the title is the first line plus the lines that continue it: A.21's inline
  sub-items "(1) …" .. "(11) …" and C.1's "- " bullets (joined with one space);
* a line "(Nhiệm vụ [của] Bộ X chuyển sang)" belongs to the lead cell above it:
  it becomes ``lead_note`` and ``transferred_from: Bộ X``;
* the remaining lines are agency cells: the first is the lead, the second the
  support. A row with more than two agency cells (only B.23) cannot be placed:
  all its names go to ``lead`` and a recorded correction decides.

Lead cells that say more than names keep the whole cell as ``lead_note``: A.3's
per-ministry quotas ("Bộ Tài chính: 03 dịch vụ (01 DVC BHXH chuyển sang); …" ->
the names before ":"), A.21's "Bộ Nội vụ (của Bộ Lao động - Thương binh và Xã hội
chuyển sang), …" (the "(… chuyển sang)" parentheses dropped from the names).
These name several former ministries, so no ``transferred_from`` is set.

Body: sections "1." and "2." list the directive's tasks as lettered items
"a)".."p)"; an item with "- " bullets is a heading (the agency in section 2)
and each bullet is a task. Labels: "1.a", "2.b" for items without bullets,
"2.a.1".."2.a.5" for the n-th bullet ("1.đ.2": letter as printed). Every label
is mapped in ``BODY_LINKS`` to the appendix rows that repeat it; those rows get
``body_ref``. A label mapped to no row becomes its own task (key
"body-2-h-1", ref "2.h.1", section "body") with the lead named in its heading
and the deadline stated in its text (when there is one).

Keys: "A-1".."C-5"; body tasks "body-<label with '-' for '.' and 'dd' for 'đ'>".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nq57.edit.tables.cells import Row, find_line, split_names, split_rows, text
from nq57.edit.tables.common import Record, collapse, slug

DECISION = "07-CT-TTg-2025"
APPENDIX = "Phụ lục"
SECTIONS = ["A", "B", "C"]
HEADER_LAST = "THỜI GIAN HOÀN THÀNH"
APPENDIX_CAPTION = "PHỤ LỤC"
FOOTER = "Nguồn tra cứu: vanban.phaplyvn.com"
BODY_SECTIONS = ("1", "2")  # "3." is the monitoring duty of the Ban Chỉ đạo

_DEADLINE = re.compile(
    r"^(?:Tháng \d{1,2}/\d{4}(?: và những năm tiếp theo)?|Quý [IV]+/\d{4}|(?:Năm )?\d{4}|"
    r"Thực hiện thường xuyên)$"
)
_TITLE_CONTINUATION = re.compile(r"^(?:\(\d+\) |- )")
_PROVENANCE = re.compile(r"^\(Nhiệm vụ (?:của )?(Bộ .+?) chuyển sang\)$")
# Agency cells of this table begin with one of these words.
_AGENCY_HEAD = re.compile(r"^(?:Bộ|Các|các|Văn phòng|Thanh tra|Đài|Ngân hàng|Tập đoàn|Ủy ban)\b")
# "(của Bộ Lao động - Thương binh và Xã hội chuyển sang)" inside a lead name (A.21)
_NAME_PROVENANCE = re.compile(r"\s*\((?:của )?[^()]*chuyển sang\)")
# Names with commas not in common.UNSPLITTABLE (as printed).
EXTRA_UNSPLITTABLE = [
    "Các bộ, ngành là chủ quản CSDLQG, CSDL chuyên ngành",
    "Các Bộ, ngành, cơ quan thuộc Chính phủ",
    "Các bộ, ngành và địa phương",
    "Các bộ, ngành có liên quan",
    "Bộ, ngành, địa phương",
    "Các cơ quan Đảng, Quốc hội, Tòa án nhân dân tối cao, Viện Kiểm sát nhân dân tối cao",
]

# Body label -> appendix rows that repeat it (checked by hand; the body and the
# appendix word the tasks differently). () = no appendix row: a task of its own.
BODY_LINKS: dict[str, tuple[str, ...]] = {
    "1.a": ("A-13",),
    "1.b": ("A-14",),
    "1.c": ("A-10",),
    "1.d": ("A-21",),
    "1.đ.1": ("A-16", "B-45"),
    "1.đ.2": ("A-16",),
    "1.đ.3": ("A-16",),
    "2.a.1": ("B-12",),
    "2.a.2": ("B-8",),
    "2.a.3": ("B-4", "B-11"),
    "2.a.4": ("B-22", "B-23"),
    "2.a.5": ("B-14",),
    "2.b": ("B-75",),
    "2.c": ("B-24",),
    "2.d.1": ("B-77",),
    "2.d.2": ("B-78",),
    "2.d.3": ("B-76",),
    "2.đ.1": ("B-49",),
    "2.đ.2": ("B-51", "B-61"),
    "2.đ.3": ("B-58",),
    "2.e.1": ("B-47",),
    "2.e.2": ("B-47",),
    "2.g.1": ("B-27",),
    "2.g.2": ("B-25",),
    "2.h.1": (),
    "2.h.2": ("B-31",),
    "2.h.3": ("B-35",),
    "2.h.4": ("B-44",),
    "2.h.5": ("B-43",),
    "2.i": ("B-74",),
    "2.k.1": ("B-23",),
    "2.k.2": ("B-71",),
    "2.k.3": ("B-72",),
    "2.l": ("B-79",),
    "2.m": ("B-80",),
    "2.n": ("B-81",),
    "2.o.1": ("C-5",),
    "2.o.2": ("C-3",),
    "2.o.3": ("C-1", "C-4"),
    "2.p": ("A-1",),
}

_BODY_SECTION = re.compile(r"^(\d)\. (.*)$")
_BODY_LETTER = re.compile(r"^([a-zđ])\) (.*)$")
_BODY_BULLET = re.compile(r"^- (.*)$")
_BODY_DEADLINE = re.compile(
    r"(?:trong |đến hết )((?:tháng \d{1,2}|Quý [IV]+) năm \d{4}|năm \d{4})", re.IGNORECASE
)


def _is_next(previous: str | None, line: str) -> bool:
    if not line.isdigit():
        return False
    # the first row of a section is 1 (in an excerpt: any number)
    return previous is None or int(line) == int(previous) + 1


def _put(fields: dict, name: str, value) -> None:
    if value not in ("", [], None):
        fields[name] = value


def lead_names(cell: str) -> tuple[list[str], str | None]:
    """Names of a lead cell and the cell itself when it says more than names."""
    value = text(cell)
    names = []
    for name in split_names(value, EXTRA_UNSPLITTABLE):
        bare = _NAME_PROVENANCE.sub("", name).split(":")[0].strip()
        names.append(bare)
    plain = split_names(value, EXTRA_UNSPLITTABLE)
    return names, (value if names != plain else None)


def _task(row: Row) -> Record:
    key = f"{row.section}-{row.label}"
    cells = [text(c) for c in row.cells]
    if len(cells) < 3:
        raise ValueError(f"07 {key}: expected title, lead, deadline: {cells}")
    deadline = cells.pop()
    if not _DEADLINE.match(deadline):
        raise ValueError(f"07 {key}: last cell is not a deadline: {deadline!r}")
    title = [cells.pop(0)]
    while cells and _TITLE_CONTINUATION.match(cells[0]):
        title.append(cells.pop(0))
    agencies: list[str] = []
    provenance: list[str] = []
    for cell in cells:
        if _PROVENANCE.match(cell):
            if len(agencies) != 1 or provenance:
                raise ValueError(f"07 {key}: provenance note not after the lead: {cells}")
            provenance.append(cell)
        elif _AGENCY_HEAD.match(cell):
            agencies.append(cell)
        else:
            raise ValueError(f"07 {key}: cell is not an agency cell: {cell!r}")
    if not agencies:
        raise ValueError(f"07 {key}: no lead cell: {cells}")
    lead, lead_note = lead_names(agencies[0])
    support: list[str] = []
    if len(agencies) == 2:
        support = split_names(agencies[1], EXTRA_UNSPLITTABLE)
    elif len(agencies) > 2:
        # lead and support cannot be told apart (B.23): recorded correction
        for cell in agencies[1:]:
            lead += lead_names(cell)[0]
    fields: dict = {"ref": row.label, "section": row.section, "title": collapse(" ".join(title))}
    fields["lead"] = lead
    _put(fields, "support", support)
    fields["deadline"] = deadline
    fields["section_title"] = row.section_title
    fields["appendix"] = APPENDIX
    if provenance:
        fields["lead_note"] = provenance[0]
        m = _PROVENANCE.match(provenance[0])
        assert m is not None
        fields["transferred_from"] = m.group(1)
    else:
        _put(fields, "lead_note", lead_note)
    fields["source_line"] = row.line
    return Record("task", key, fields, row.line)


@dataclass
class BodyItem:
    label: str  # "1.a", "2.a.3", "1.đ.2"
    text: str
    line: int  # 1-based
    heading: str  # the lettered line of a bulleted item ("Bộ Khoa học và Công nghệ")
    section_title: str  # text of the "1." / "2." line


def body_items(lines: list[str]) -> list[BodyItem]:
    """The lettered items / bullets of body sections 1 and 2, in printed order."""
    start = next((i for i, line in enumerate(lines) if collapse(line).startswith("1. ")), None)
    if start is None:
        return []
    items: list[BodyItem] = []
    section = section_title = letter = ""
    pending: tuple[str, str, int] | None = None  # a lettered line not yet known to have bullets
    bullet = 0
    for i in range(start, len(lines)):
        line = collapse(lines[i])
        m_sec, m_let, m_bul = (
            _BODY_SECTION.match(line),
            _BODY_LETTER.match(line),
            _BODY_BULLET.match(line),
        )
        if (m_sec or m_let or not line) and pending:
            items.append(BodyItem(pending[0], pending[1], pending[2], "", section_title))
            pending = None
        if m_sec:
            if m_sec.group(1) not in BODY_SECTIONS:
                break  # "3. Giao Ban Chỉ đạo …": a monitoring duty, not a task
            section, section_title = m_sec.group(1), m_sec.group(2)
        elif m_let:
            if not section:
                raise ValueError(f"07 body line {i + 1}: item before section 1")
            letter, bullet = m_let.group(1), 0
            pending = (f"{section}.{letter}", m_let.group(2), i + 1)
        elif m_bul:
            if not letter:
                raise ValueError(f"07 body line {i + 1}: bullet outside an item")
            heading = pending[1] if pending else items[-1].heading
            pending = None
            bullet += 1
            items.append(
                BodyItem(
                    f"{section}.{letter}.{bullet}",
                    m_bul.group(1),
                    i + 1,
                    heading.rstrip(":"),
                    section_title,
                )
            )
        elif line:
            raise ValueError(f"07 body line {i + 1}: unexpected text {line!r}")
    return items


def body_key(label: str) -> str:
    label = unicodedata.normalize("NFC", label).replace("đ", "dd")
    return "body-" + slug(label).replace(".", "-")


def _body_task(item: BodyItem) -> Record:
    if not item.heading:
        raise ValueError(f"07 body {item.label}: no appendix row and no agency heading")
    fields: dict = {"ref": item.label, "section": "body", "title": item.text}
    fields["lead"] = [item.heading]
    deadlines = _BODY_DEADLINE.findall(item.text)
    _put(fields, "deadline", deadlines[-1] if deadlines else None)
    fields["section_title"] = item.section_title
    fields["source_line"] = item.line
    return Record("task", body_key(item.label), fields, item.line)


def _index(lines: list[str], wanted: str, start: int = 0) -> int | None:
    try:
        return find_line(lines, wanted, start)
    except ValueError:
        return None


def parse(text_: str) -> list[Record]:
    """Appendix rows in printed order, then the body tasks without an appendix row.

    Works on the full text and on excerpts: without the "PHỤ LỤC" caption the
    whole text is taken as appendix (no body), without the source footer the
    table runs to the end.
    """
    lines = text_.splitlines()
    appendix = _index(lines, APPENDIX_CAPTION) or 0
    start = find_line(lines, HEADER_LAST, appendix, doc="07") + 1
    end = _index(lines, FOOTER, start) or len(lines)
    rows = split_rows(lines, start, end, SECTIONS, _is_next, doc="07")
    records = [_task(row) for row in rows]
    by_key = {r.key: r for r in records}
    items = body_items(lines[:appendix])
    labels = [item.label for item in items]
    if items and sorted(labels) != sorted(BODY_LINKS):
        raise ValueError(
            f"07 body: labels {sorted(set(labels) ^ set(BODY_LINKS))} not matched in BODY_LINKS"
        )
    for item in items:
        for key in BODY_LINKS[item.label]:
            by_key[key].fields.setdefault("body_ref", []).append(item.label)
        if not BODY_LINKS[item.label]:
            records.append(_body_task(item))
    return records
