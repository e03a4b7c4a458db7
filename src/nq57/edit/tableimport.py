"""`nq57 import`: a task table copied from a decision -> draft task files.

Three layouts, detected automatically (:func:`detect_layout`):

* ``tab`` — tab-separated rows (pasted from Word or Excel; a quoted cell may hold
  line breaks, as Excel writes it); columns are found by
  their Vietnamese header names (:func:`column_of`); repeated header rows (page
  breaks) are skipped; a row with a blank TT cell continues the previous row,
  cell by cell.
* ``markdown`` — pipe tables, same headers. A blank-TT row under a numbered row
  that has no lead, output or deadline (a heading) is an unnumbered sub-task
  (1754/QĐ-BTC Phụ lục 02); any other blank-TT row continues the previous row.
* ``cells`` — one cell per line, empty cells omitted (text copied from a PDF).
  A number line that follows the previous number starts a row; its cells are
  title (plus lines that continue it: "- …", "(1) …", lower-case starts), lead,
  support, deadline. The last cell is the deadline only when it reads like one;
  rows whose cells cannot be told apart are reported, not guessed.

With ``sections=True`` a row numbered with a Roman numeral (or one capital letter)
is a section heading: the rows below get ``section``/``section_title``. Keys are
the slug of the printed number, prefixed by the section when numbering restarts
in a later section; sub-items "(1)", "a)" get ``<parent key>-<n>`` and ``parent``.
Pure: :func:`parse_table` reads text, :func:`drafts` makes file texts; the CLI writes.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from nq57.edit.tables.cells import split_names
from nq57.edit.tables.common import (
    Record,
    collapse,
    has_html,
    join_year_ranges,
    ordered,
    slug,
    strip_html,
)
from nq57.edit.tables.markdown_table import find_tables
from nq57.errors import Nq57Error
from nq57.i18n import language, t
from nq57.io import fastyaml, loader
from nq57.io.yamlio import dump_mapping
from nq57.model.deadlines import parse_deadline
from nq57.model.entities import DECISION_ID, AgencyRegistry, Task

FIELDS = ("ref", "title", "lead", "support", "focal", "output", "approver", "deadline", "note")
AGENCY_FIELDS = ("lead", "support", "focal")
_SECTION = re.compile(r"^(?:[IVXLC]+|[A-Z])\.?$")
_SUBITEM = re.compile(r"^\((\d+|[a-zđ])\)$|^([a-zđ])\)$")
_NUMBER_LINE = re.compile(r"^(\d{1,3})([a-z]?)\.?$")
_TITLE_CONTINUATION = re.compile(r"^(?:[-+•] |\(\d+\) |[a-zđà-ỹ])")
_DEADLINE_HEAD = re.compile(
    r"^(?:\d|thang|quy|nam |trong|truoc|den |hang|moi |thuong xuyen|nhiem vu thuong xuyen|"
    r"thuc hien thuong xuyen|lien tuc|6 thang|nua |ngay |giai doan|tu |dinh ky|"
    r"theo (?:lo trinh|tien do|thoi gian|ke hoach)|sau khi|khi )"
)


class NoTable(Nq57Error):
    """The input holds no recognisable table."""


@dataclass
class Row:
    line: int  # 1-based line of the row in the input
    cells: dict[str, str] = field(default_factory=dict)  # field -> text
    child: bool = False  # markdown: unnumbered sub-task of the heading row above


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class Parsed:
    layout: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    key: str
    line: int
    text: str  # the YAML file


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def column_of(name: str) -> str | None:
    """The task field a header cell names ("Cơ quan chủ trì" -> "lead"), or None."""
    key = fold(name).strip(" .:")
    if key in ("tt", "stt", "so tt", "so thu tu"):
        return "ref"
    for words, column in (
        (("dau moi",), "focal"),
        (("phoi hop",), "support"),
        (("chu tri",), "lead"),
        (("tham quyen",), "approver"),
        (("thoi gian", "thoi han", "tien do"), "deadline"),
        (("ket qua", "san pham", "hinh thuc"), "output"),
        (("ghi chu",), "note"),
        (("nhiem vu", "noi dung"), "title"),
    ):
        if any(w in key for w in words):
            return column
    return None


def header_columns(cells: list[str]) -> list[str | None] | None:
    """The field of each column when ``cells`` is a header row, else None."""
    columns: list[str | None] = []
    for cell in cells:
        column = column_of(cell) if cell.strip() else None
        columns.append(None if column in columns else column)
    found = set(columns)
    if {"ref", "title"} <= found and found & {"lead", "deadline", "output"}:
        return columns
    return None


def detect_layout(text: str) -> str:
    lines = text.splitlines()
    for table in find_tables(text):
        if any(header_columns(row.cells) for row in table.rows):
            return "markdown"
    if any(header_columns(line.split("\t")) for line in lines if "\t" in line):
        return "tab"
    return "cells"


def deadline_like(text: str) -> bool:
    key = fold(text)
    if len(key) > 80 or not _DEADLINE_HEAD.match(key) or any(c in key for c in "≥≤<>=%"):
        return False
    return parse_deadline(text).kind != "none"


# --- table layouts ------------------------------------------------------------------------------


def _row(line: int, columns: list[str | None], cells: list[str], parsed: Parsed) -> Row | None:
    extra = [c for c in cells[len(columns) :] if c.strip()]
    if extra:
        parsed.problems.append(
            Problem(line, t("import.cell_count", count=len(cells), expected=len(columns)))
        )
        return None
    return Row(line, {f: c for f, c in zip(columns, cells, strict=False) if f and c.strip()})


def _is_heading(row: Row) -> bool:
    return not any(row.cells.get(f) for f in ("lead", "output", "deadline"))


def _add(rows: list[Row], row: Row, parsed: Parsed, children: bool) -> None:
    """Append a row; a row without a number continues the previous one (or is a sub-task)."""
    if row.cells.get("ref", "").strip() or not row.cells:
        if row.cells:
            rows.append(row)
        return
    if not rows:
        parsed.problems.append(Problem(row.line, t("import.orphan_row")))
        return
    main = next((r for r in reversed(rows) if not r.child), rows[-1])
    under_heading = rows[-1].child or _is_heading(rows[-1])
    in_section = _SECTION.match(collapse(main.cells.get("ref", "")))
    if children and under_heading and not in_section and not _is_heading(row):
        rows.append(Row(row.line, row.cells, child=True))
        return
    previous = rows[-1]
    for name, value in row.cells.items():
        previous.cells[name] = f"{previous.cells.get(name, '').rstrip()} {value.lstrip()}".strip()


_BREAKS = re.compile(r"[\t\r\n]")  # inside a quoted cell: folded to one space


def tab_records(text: str, parsed: Parsed) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each tab-separated row, read as Excel and Word copy them: a
    cell with line breaks, tabs or quotes is quoted (a"b as "a""b"), and may span lines.

    From a row whose quotes do not pair up, the lines are split at tabs as they are,
    and the problem is reported.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, [collapse(c) if _BREAKS.search(c) else c for c in cells]))
            start = reader.line_num + 1
    except csv.Error:
        parsed.problems.append(Problem(start, t("import.unpaired_quotes")))
        rest = text.splitlines()[start - 1 :]
        records.extend((n, line.split("\t")) for n, line in enumerate(rest, start=start))
    return records


def parse_tab(text: str, parsed: Parsed) -> None:
    columns: list[str | None] | None = None
    for number, cells in tab_records(text, parsed):
        if len(cells) < 2:
            line = cells[0] if cells else ""
            if line.strip() and columns is not None:
                problem = t("import.no_tabs", line=repr(collapse(line)))
                parsed.problems.append(Problem(number, problem))
            continue
        header = header_columns(cells)
        if header is not None:
            columns = header
        elif columns is not None:
            row = _row(number, columns, cells, parsed)
            if row is not None:
                _add(parsed.rows, row, parsed, children=False)


def parse_markdown(text: str, parsed: Parsed) -> None:
    for table in find_tables(text):
        columns: list[str | None] | None = None
        for table_row in table.rows:
            header = header_columns(table_row.cells)
            if header is not None:
                columns = header
            elif columns is not None:
                row = _row(table_row.line, columns, table_row.cells, parsed)
                if row is not None:
                    _add(parsed.rows, row, parsed, children=True)


# --- one cell per line --------------------------------------------------------------------------


def _is_next(previous: str | None, line: str) -> bool:
    m = _NUMBER_LINE.match(line)
    if not m:
        return False
    if previous is None:
        return True
    p = _NUMBER_LINE.match(previous)
    assert p is not None
    number, letter, prev_number, prev_letter = int(m[1]), m[2], int(p[1]), p[2]
    if letter:
        return number == prev_number and letter == (
            chr(ord(prev_letter) + 1) if prev_letter else "a"
        )
    return number == prev_number + 1


def _place(line: int, label: str, cells: list[tuple[int, str]], parsed: Parsed) -> Row | None:
    texts = [collapse(c) for _, c in cells]
    if not texts:
        parsed.problems.append(Problem(line, t("import.row_no_cells", label=label)))
        return None
    title = [texts.pop(0)]
    while texts and _TITLE_CONTINUATION.match(texts[0]):
        title.append(texts.pop(0))
    row = Row(line, {"ref": label, "title": " ".join(title)})
    if texts and deadline_like(texts[-1]):
        row.cells["deadline"] = texts.pop()
    elif texts:
        parsed.problems.append(
            Problem(line, t("import.last_not_deadline", label=label, cell=repr(texts[-1])))
        )
        return None
    if len(texts) > 2:
        parsed.problems.append(
            Problem(
                line, t("import.cells_between", label=label, count=len(texts), cells=texts)
            )
        )  # fmt: skip
        return None
    row.cells.update(zip(("lead", "support"), texts, strict=False))
    return row


def parse_cells(text: str, parsed: Parsed, sections: bool) -> None:
    lines = [collapse(line) for line in text.splitlines()]
    current: tuple[int, str, list[tuple[int, str]]] | None = None
    previous: str | None = None
    index = 0

    def close() -> None:
        if current is not None:
            row = _place(*current, parsed)
            if row is not None:
                parsed.rows.append(row)

    while index < len(lines):
        line, number = lines[index], index + 1
        index += 1
        if not line:
            continue
        following = next((t for t in lines[index:] if t), "")
        if sections and _SECTION.match(line) and following and not _is_next(None, following):
            close()
            current, previous = None, None
            parsed.rows.append(Row(number, {"ref": line, "title": following}))
            index = next(i for i in range(index, len(lines)) if lines[i]) + 1
        elif _is_next(previous, line):
            close()
            current, previous = (number, line, []), line
        elif current is not None:
            current[2].append((number, line))
        elif parsed.rows:  # between a section heading and its first row
            parsed.problems.append(Problem(number, t("import.text_outside", line=repr(line))))
    close()


# --- rows -> draft files ------------------------------------------------------------------------


def parse_table(text: str, *, sections: bool = False) -> Parsed:
    parsed = Parsed(detect_layout(text))
    if parsed.layout == "tab":
        parse_tab(text, parsed)
    elif parsed.layout == "markdown":
        parse_markdown(text, parsed)
    else:
        parse_cells(text, parsed, sections)
    if not parsed.rows and not parsed.problems:
        raise NoTable(t("import.no_table"))
    roman = [r for r in parsed.rows if _SECTION.match(collapse(r.cells.get("ref", "")))]
    if not sections and roman:
        rows = ", ".join(collapse(r.cells["ref"]) for r in roman[:3])
        parsed.notes.append(t("import.roman_rows", rows=rows))
    return parsed


def _text(value: str) -> str:
    return join_year_ranges(collapse(value))


def _fields(row: Row, section: tuple[str, str] | None, known: tuple[str, ...] = ()) -> dict:
    fields: dict = {"ref": "" if row.child else collapse(row.cells.get("ref", ""))}
    if section:
        fields["section"] = section[0]
    raw_title = collapse(row.cells.get("title", ""))
    fields["title"] = join_year_ranges(strip_html(raw_title)) if has_html(raw_title) else raw_title
    for name in FIELDS[2:]:
        value = row.cells.get(name, "")
        value = split_names(value, known=known) if name in AGENCY_FIELDS else _text(value)
        if value:
            fields[name] = value
    if section:
        fields["section_title"] = section[1]
    if has_html(raw_title):
        fields["title_raw_html"] = raw_title
    return fields


def records(
    parsed: Parsed, decision: str, *, sections: bool, known: tuple[str, ...] = ()
) -> list[Record]:
    """Task records of the parsed rows; unplaceable rows go to ``parsed.problems``.
    ``known``: agency names with a comma, never split (:func:`comma_names`)."""
    section: tuple[str, str] | None = None
    placed: list[tuple[Row, tuple[str, str] | None]] = []
    for row in parsed.rows:
        ref = collapse(row.cells.get("ref", ""))
        if sections and _SECTION.match(ref):
            section = (ref, _text(row.cells.get("title", "")))
            extra = [f for f in row.cells if f not in ("ref", "title")]
            if extra:
                parsed.problems.append(
                    Problem(row.line, t("import.section_extra", ref=ref, fields=", ".join(extra)))
                )
            continue
        placed.append((row, section))
    bases: dict[str, set[str]] = {}
    for row, sec in placed:
        ref = collapse(row.cells.get("ref", ""))
        if not row.child and not _SUBITEM.match(ref):
            bases.setdefault(slug(ref), set()).add(sec[0] if sec else "")
    restart = any(len(s) > 1 for s in bases.values())
    result: list[Record] = []
    keys: set[str] = set()
    parent_key: str | None = None
    children = 0
    for row, sec in placed:
        ref = collapse(row.cells.get("ref", ""))
        fields = _fields(row, sec, known)
        if row.child or _SUBITEM.match(ref):
            if parent_key is None:
                problem = t("import.orphan_subitem", ref=repr(ref))
                parsed.problems.append(Problem(row.line, problem))
                continue
            children += 1
            key = f"{parent_key}-{slug(ref) if ref else children}"
            fields["parent"] = f"{decision}/{parent_key}"
        else:
            key = slug(ref)
            if restart and sec and key:
                key = f"{slug(sec[0])}-{key}"
            parent_key, children = key, 0
        if not fields["title"]:
            parsed.problems.append(Problem(row.line, t("import.no_title", ref=repr(ref))))
        elif not key or not DECISION_ID.match(key):
            parsed.problems.append(Problem(row.line, t("import.no_file_name", ref=repr(ref))))
        elif key in keys:
            problem = t("import.repeated_number", ref=repr(ref), key=key)
            parsed.problems.append(Problem(row.line, problem))
        else:
            keys.add(key)
            result.append(Record("task", key, fields, row.line))
    return result


def drafts(
    records_: list[Record], decision: str, source: str, parsed: Parsed, *, source_line: bool
) -> list[Draft]:
    """The YAML text of each record, checked against the data model. ``source_line``:
    the input is ``sources/<decision>.txt``, so its line numbers are kept in the files."""
    result = []
    for record in records_:
        if source_line:
            record.fields["source_line"] = record.line
        body = dump_mapping(ordered(record, decision))
        try:
            Task.model_validate(fastyaml.load(body))
        except Exception as exc:  # noqa: BLE001 - reported as a row that was not placed
            parsed.problems.append(Problem(record.line, t("import.invalid_task", problem=exc)))
            continue
        with language("vi"):  # a comment in the data folder: Vietnamese, like the data
            header = t("import.draft_header", source=source, line=record.line) + "\n"
        result.append(Draft(record.key, record.line, header + body))
    return result


@dataclass
class Outcome:
    parsed: Parsed
    drafts: list[Draft]
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # the file exists: never overwritten


def decision_file(data_dir: Path, decision: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = data_dir / "decisions" / f"{decision}{suffix}"
        if path.is_file():
            return path
    return None


def comma_names(data_dir: Path) -> tuple[str, ...]:
    """The names, short names and aliases of the data folder's ``agencies.yaml`` that hold
    a comma or semicolon ("Cục Quản lý Khám, chữa bệnh"), so that agency cells keep them
    whole. An unreadable registry gives none (``nq57 validate`` reports it)."""
    source = loader.SourceFile(data_dir / "agencies.yaml", "agencies.yaml", "agencies", None)
    if not source.path.is_file() or not isinstance(loader.read(source).document, dict):
        return ()
    try:
        registry = AgencyRegistry.model_validate(source.document)
    except ValidationError:
        return ()
    names = {n for a in registry.agencies for n in (a.name, a.short, *a.aliases) if n}
    return tuple(sorted(n for n in names if "," in n or ";" in n))


def import_table(
    text: str, data_dir: Path, decision: str, source: Path, *, sections: bool, dry_run: bool
) -> Outcome:
    """Parse ``text`` and write one file per placed row under ``tasks/<decision>/``."""
    if not DECISION_ID.match(decision):
        raise Nq57Error(t("import.bad_decision_id", decision=decision), 2)
    parsed = parse_table(text, sections=sections)
    found = records(parsed, decision, sections=sections, known=comma_names(data_dir))
    is_source = source.resolve() == (data_dir / "sources" / f"{decision}.txt").resolve()
    outcome = Outcome(parsed, drafts(found, decision, source.name, parsed, source_line=is_source))
    parsed.problems.sort(key=lambda p: p.line)
    folder = data_dir / "tasks" / decision
    for draft in outcome.drafts:
        path = folder / f"{draft.key}.yaml"
        if path.exists() or path.with_suffix(".yml").exists():
            outcome.skipped.append(path)
        elif not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(draft.text)
            outcome.written.append(path)
    return outcome
