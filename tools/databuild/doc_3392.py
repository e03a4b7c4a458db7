"""Parser for 3392/QĐ-BKHCN (29/12/2023): the appendix task table and Điều 2.

Layout (PDF text, see INVENTORY.md section 5). The appendix table
``TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện`` is
serialised column by column: a row starts with a line "N title…" after a blank
line; the title lines follow without blank lines; then come the lead, support
and time cells, each wrapped over short lines and cut into *fragments* by blank
lines (a blank line is not a column boundary). Sections are lines
"ROMAN title" (I–XV, each the successor of the one before) and the row numbers
restart at 1 in every section.

How the cells are recovered:

* time: the first fragment that reads "Hằng năm" or a year / year range
  ("2023-" + "2024" re-joined); fragments after it form an unlabelled extra cell
  (XII.3), kept as ``note``;
* an empty support cell shows as leading spaces on the first time line
  ("  2023"); then every fragment before the time belongs to the lead;
* otherwise the fragments are cut once, at the only place where the support
  can start: the next fragment begins with an agency head word (``Vụ``, ``Cục``,
  ``Trung tâm``, ``Văn phòng``, ``Các đơn vị``…) and the lead so far does not end
  with "," ";" or "-". No place or several places -> ``ValueError`` (record a
  correction instead);
* a lead glued to the title (V.2 "…HTTT của Bộ Trung tâm" / "CNTT", V.9
  "…về KH&CN Cục Thông" / "tin"): when the fragments cannot start with a lead
  (the first fragment has no head word, or a support is announced but no cut
  exists), the lead starts at the last head word in the title block; the lines
  after it must be short column lines;
* a row number must be the next number of its section and follow a blank line,
  so the title line "06 và chuyển đổi số…" (IV.8) is not a row.

Agency cells are split with ``split_agencies``; a comma-separated part that does
not begin with a head word stays with the name before it ("Vụ Đánh giá, Thẩm
định và Giám định công nghệ", "Các đơn vị quản lý, đơn vị chủ trì nhiệm vụ
KH&CN", "Báo, Tạp chí"), and the truncated "Trung tâm ...." keeps its dots.

Keys: tasks "<section>-<number>" ("I-1".."XV-2"); Điều 2 targets are KPIs keyed
"dieu2-<letter>" ("dieu2-a", "dieu2-c") or, when one item quotes several targets,
"dieu2-<letter>.<n>" ("dieu2-b.1", "dieu2-b.2"); ``ref`` is the printed label
("a)"). A KPI's ``name`` is the quoted target as printed; a leading percentage
gives ``unit: "%"`` and ``target: "100%"``, a qualitative target has ``unit: ""``
and the quoted text as ``target``; ``year`` comes from "đến năm YYYY" after the
quote (2025 when absent); ``note`` keeps where the target is inserted into the
plan ("vào Mục 1, Phần III. …"); no owner is stated. A task added in Điều 2 that
repeats a table row (d) = VI.4, equal once the table's "ATTT"/"HTTT" are
spelled out) is recorded on that row as ``body_ref: ["Điều 2.d"]``.
"""

from __future__ import annotations

import re

from nq57.edit.tables.common import Record, collapse, join_year_ranges, split_agencies

DECISION = "3392-QD-BKHCN-2023"
APPENDIX = "Phụ lục"

ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ROMANS += ["X" + r for r in ROMANS[:9]] + ["XX"]  # XI..XIX, XX

# Words an agency name in this table begins with (checked on collapsed text).
_HEAD = re.compile(
    r"^(?:Vụ|Cục|Trung tâm|Văn phòng|Các đơn vị|Ủy ban|Uỷ ban|Quỹ|Nhà xuất bản|Báo|"
    r"Viện|Học viện|Thanh tra)\b",
    re.IGNORECASE,
)
_HEAD_ANYWHERE = re.compile(
    r"(?<!\S)(?:Vụ|Cục|Trung tâm|Văn phòng|Các đơn vị|Ủy ban|Uỷ ban|Quỹ|Nhà xuất bản|Báo|"
    r"Viện|Học viện|Thanh tra)\b"
)
_DEADLINE = re.compile(r"^(?:[Hh][ằà]ng năm|(?:19|20)\d\d(?:-(?:19|20)\d\d)?)$")
_ROW = re.compile(r"^(\d{1,3}) (\S.*)$")
_SECTION = re.compile(r"^([IVXL]+) (\S.*)$")
_COLUMN_LINE_MAX = 15  # lead/support column lines are at most ~12 characters
_ELLIPSIS = "\x01"  # stands for "...." while splitting agency names


def _blank(line: str) -> bool:
    return not line.strip()


def _text(lines: list[str]) -> str:
    return join_year_ranges(collapse(" ".join(lines)))


def _fragments(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Cut numbered lines into runs of non-blank lines."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for item in lines:
        if _blank(item[1]):
            if current:
                out.append(current)
                current = []
        else:
            current.append(item)
    if current:
        out.append(current)
    return out


def is_head(text: str) -> bool:
    """True when ``text`` begins like an agency name of this table."""
    return bool(_HEAD.match(collapse(text)))


def agencies(cell: str) -> list[str]:
    """Split an agency cell; parts without a head word stay with the previous name."""
    text = collapse(cell).replace("....", _ELLIPSIS)
    if not text:
        return []
    pieces = re.split(r"(\s*[;,]\s*)", text)
    names: list[str] = [pieces[0]]
    for sep, part in zip(pieces[1::2], pieces[2::2], strict=True):
        if sep.strip() == "," and part and not is_head(part):
            names[-1] = names[-1] + sep.strip() + " " + part
        else:
            names.append(part)
    keep = [n for n in names if "," in n]
    return [n.replace(_ELLIPSIS, "....") for n in split_agencies(text, keep)]


def _cuts(frags: list[str]) -> list[int]:
    """Fragment indexes where the support cell can start."""
    return [
        k
        for k in range(1, len(frags))
        if is_head(frags[k]) and not collapse(" ".join(frags[:k])).endswith((",", ";", "-"))
    ]


def _split_lead_support(frags: list[str], key: str) -> tuple[str, str]:
    cuts = _cuts(frags)
    if len(cuts) != 1:
        raise ValueError(f"3392 {key}: cannot split lead/support in {frags!r} (cuts {cuts})")
    k = cuts[0]
    return collapse(" ".join(frags[:k])), collapse(" ".join(frags[k:]))


def _glued_lead(title_lines: list[str], key: str) -> tuple[list[str], str]:
    """Split a lead glued to the end of the title block: (title lines, lead text)."""
    for i in range(len(title_lines) - 1, -1, -1):
        line = title_lines[i].rstrip()
        matches = [m for m in _HEAD_ANYWHERE.finditer(line) if m.start() > 0]
        if matches:
            start = matches[-1].start()
            tail = title_lines[i + 1 :]
            if any(len(t.strip()) > _COLUMN_LINE_MAX for t in tail):
                break
            lead = collapse(" ".join([line[start:], *tail]))
            return [*title_lines[:i], line[:start]], lead
        if i == 0 or len(line.strip()) > _COLUMN_LINE_MAX:
            break
    raise ValueError(f"3392 {key}: no lead cell found (title block {title_lines!r})")


def _parse_row(section: str, number: str, block: list[tuple[int, str]]) -> tuple[dict, str | None]:
    """Parse one row block (its first line is "N title…"); returns fields and note."""
    key = f"{section}-{number}"
    title_lines: list[str] = []
    i = 0
    while i < len(block) and not _blank(block[i][1]):
        title_lines.append(block[i][1])
        i += 1
    title_lines[0] = _ROW.match(title_lines[0].strip()).group(2)
    frags = _fragments(block[i:])
    d = next((j for j, f in enumerate(frags) if _DEADLINE.match(_text([s for _, s in f]))), None)
    if d is None:
        raise ValueError(f"3392 {key}: no time cell")
    deadline = _text([s for _, s in frags[d]])
    support_empty = frags[d][0][1][:1].isspace()
    note = _text([s for f in frags[d + 1 :] for _, s in f]) or None
    cells = [_text([s for _, s in f]) for f in frags[:d]]

    # the lead starts inside the title block when the fragments cannot start it,
    # or when a support is announced but no fragment can start one
    if not cells or not is_head(cells[0]) or (not support_empty and not _cuts(cells)):
        title_lines, glued = _glued_lead(title_lines, key)
        cells = [glued, *cells]

    if support_empty:
        lead, support = collapse(" ".join(cells)), ""
    else:
        lead, support = _split_lead_support(cells, key)
    fields = {
        "title": _text(title_lines),
        "lead": agencies(lead),
        "support": agencies(support),
        "deadline": deadline,
    }
    return fields, note


def _parse_table(lines: list[str]) -> list[Record]:
    start = next(i for i, s in enumerate(lines) if s.startswith("TT Nhiệm vụ"))
    records: list[Record] = []
    section = section_title = ""
    expected = 1
    row_start: int | None = None
    row_number = ""
    row_section = row_section_title = ""

    def close(end: int) -> None:
        if row_start is None:
            return
        block = [(n + 1, lines[n]) for n in range(row_start, end)]
        fields, note = _parse_row(row_section, row_number, block)
        rec = {
            "ref": row_number,
            "section": row_section,
            "section_title": row_section_title,
            "appendix": APPENDIX,
            **fields,
        }
        if note:
            rec["note"] = note
        rec["source_line"] = row_start + 1
        records.append(Record("task", f"{row_section}-{row_number}", rec, line=row_start + 1))

    for n in range(start + 1, len(lines)):
        line = lines[n].strip()
        if not line or not _blank(lines[n - 1]):
            continue
        m_sec = _SECTION.match(line)
        if (
            m_sec
            and m_sec.group(1) in ROMANS
            and (not section or ROMANS.index(m_sec.group(1)) == ROMANS.index(section) + 1)
        ):
            close(n)
            row_start = None
            section, section_title = m_sec.group(1), collapse(m_sec.group(2))
            expected = 1
            continue
        m_row = _ROW.match(line)
        if m_row and section and m_row.group(1) == str(expected):
            close(n)
            row_start, row_number = n, m_row.group(1)
            row_section, row_section_title = section, section_title
            expected += 1
    close(len(lines))
    return records


def _article_items(lines: list[str], article: int) -> list[tuple[str, int, str]]:
    """Lettered items "a) …" of body article ``article``: (letter, line, text after label)."""
    start = next((i for i, s in enumerate(lines) if s.startswith(f"Điều {article}.")), None)
    if start is None:
        return []
    items: list[tuple[str, int, list[str]]] = []
    for n in range(start + 1, len(lines)):
        line = lines[n].strip()
        if line.startswith(f"Điều {article + 1}."):
            break
        m = re.match(r"^([a-zđ])\) ", line)
        if m:
            items.append((m.group(1), n + 1, [line[m.end() :]]))
        elif items:
            items[-1][2].append(line)
    return [(letter, no, collapse(" ".join(text))) for letter, no, text in items]


_ABBREVIATIONS = {"ATTT": "an toàn thông tin", "HTTT": "hệ thống thông tin"}


def _normalise_title(text: str) -> str:
    for short, full in _ABBREVIATIONS.items():
        text = re.sub(rf"\b{short}\b", full, text)
    return collapse(text).rstrip(".").casefold()


def _parse_article2(lines: list[str], tasks: list[Record]) -> list[Record]:
    kpis: list[Record] = []
    for letter, line_no, text in _article_items(lines, 2):
        quotes = re.findall(r"“([^”]*)”", text)
        tail = text[text.rfind("”") + 1 :].strip()
        if re.match(r"^Bổ sung (?:các )?mục tiêu", text):
            years = re.findall(r"đến năm ((?:19|20)\d\d)", tail)
            year = int(years[-1]) if years else 2025
            for n, quote in enumerate(quotes, start=1):
                quote = collapse(quote)
                key = f"dieu2-{letter}" if len(quotes) == 1 else f"dieu2-{letter}.{n}"
                m = re.match(r"^(\d+(?:[.,]\d+)?)\s*%", quote)
                fields = {
                    "ref": f"{letter})",
                    "section": "Điều 2",
                    "name": quote,
                    "unit": "%" if m else "",
                    "target": m.group(0).replace(" ", "") if m else quote,
                    "year": year,
                    "note": tail.rstrip("."),
                    "source_line": line_no,
                }
                kpis.append(Record("kpi", key, fields, line=line_no))
        elif text.startswith("Bổ sung nhiệm vụ"):
            for quote in quotes:
                wanted = _normalise_title(quote)
                same = [t for t in tasks if _normalise_title(t.fields["title"]) == wanted]
                if len(same) != 1:
                    raise ValueError(f"3392 Điều 2 {letter}): no table row matches {quote!r}")
                refs = same[0].fields.setdefault("body_ref", [])
                refs.append(f"Điều 2.{letter}")
        else:
            raise ValueError(f"3392 Điều 2 {letter}): unknown item kind {text[:40]!r}")
    return kpis


def parse(text: str) -> list[Record]:
    lines = text.splitlines()
    tasks = _parse_table(lines)
    kpis = _parse_article2(lines, tasks)
    return tasks + kpis
