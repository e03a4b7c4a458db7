"""`nq57 ingest`: filled monthly forms (xlsx or csv) back into the task and KPI files.

1. Each file is read into tables: a header row is a row holding the key ``id`` and at
   least one fill-in key (rows above it and the order of columns are free); the rows
   below it, up to the next header row, are its rows. A table with a ``value`` column
   holds KPIs, any other tasks. A row counts when any fill-in cell is set.
2. Every row is checked against the data (unknown id, status, progress, dates, values,
   completion rules) and each problem is reported as ``FILE:SHEET!CELL: CODE message``.
   With any error nothing is written.
3. The rows become plans for :func:`nq57.edit.editing.apply_edits` (the edit commands'
   machinery: lock, splice, check, atomic write), all files or none. A row whose update
   or measurement is already in the file changes nothing (ingest is idempotent).

The report date of a form is the defined name ``nq57_as_of`` of the workbook (or the cell
right of a cell ``nq57_as_of``, as the CSV form has it), unless ``--date`` is given.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from nq57.analysis.browse import close_ids_among
from nq57.analysis.forms import changed_since
from nq57.analysis.scope import led_by
from nq57.analysis.search import fold as plain
from nq57.edit.editing import EditResult, FileEdit, apply_edits
from nq57.edit.ops import AppendItem
from nq57.edit.plan import Plan, plan_kpi_record, plan_task_done, plan_task_update
from nq57.edit.values import clean_text, latest_date, parse_date, parse_number
from nq57.errors import EditError
from nq57.i18n import LANGUAGES, M, Message, catalogue, t
from nq57.model.dataset import DataSet
from nq57.model.entities import TASK_STATUSES, UPDATE_KINDS

AS_OF_KEY = "nq57_as_of"
LEAD_KEY = "nq57_lead"
TASK_FILL = ("status", "progress", "note", "completed", "kind")
KPI_FILL = ("value", "date", "source")
FILL_KEYS = set(TASK_FILL) | set(KPI_FILL)
# The read-only keys of the form's header rows (docs/data-format.md §10).
READ_KEYS = {
    "plan", "ref", "title", "deadline", "due", "class", "latest_date", "latest_status",
    "latest_progress", "latest_note", "name", "unit", "target", "year", "latest_value", "rev",
}  # fmt: skip
HEADER_KEYS = READ_KEYS | FILL_KEYS | {"id"}
# The labels a status or kind may be written as (both languages), besides its code.
STATUS_LABELS = {s: f"label.status.{s}" for s in TASK_STATUSES}
KIND_LABELS = {
    "difficulty": "cycle.kind.difficulty",
    "proposal": "cycle.kind.proposal",
    "result": "cycle.kind.result",
}


@dataclass(frozen=True)
class Problem:
    where: str  # FILE:SHEET!CELL (or FILE:CELL for a CSV, FILE for the whole file)
    code: str  # E3xx error, W3xx warning
    message: Message

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def format(self) -> str:
        return f"{self.where}: {self.code} {self.message}"


@dataclass(frozen=True)
class Cell:
    value: Any
    where: str
    number_format: str = "General"


@dataclass
class Row:
    table: str  # "task" or "kpi"
    cells: dict[str, Cell]  # key -> cell (the keys of the header row)

    def text(self, key: str) -> Any:
        """The cell's value; text NFC and trimmed, '' as None."""
        cell = self.cells.get(key)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value).strip() or None
        return value

    def at(self, key: str) -> str:
        return self.cells[key].where


@dataclass
class FilledForm:
    display: str
    as_of: dt.date | None = None
    leads: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------

Grid = list[tuple[str | None, list[list[Cell]]]]  # (sheet name, rows of cells)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_grid(path: Path, display: str) -> tuple[Grid, dict[str, str]]:
    wb = load_workbook(path, data_only=True)
    names: dict[str, str] = {}
    for name in (AS_OF_KEY, LEAD_KEY):
        defined = wb.defined_names.get(name)
        text = defined.attr_text if defined is not None else None
        if text and text.startswith('"') and text.endswith('"'):
            names[name] = text[1:-1].replace('""', '"')
    grid: Grid = []
    for ws in wb.worksheets:
        if ws.title == "_lists":
            continue
        rows = [
            [Cell(c.value, f"{display}:{ws.title}!{c.coordinate}", c.number_format) for c in row]
            for row in ws.iter_rows()
        ]
        grid.append((ws.title, rows))
    return grid, names


def _csv_grid(raw: bytes, display: str) -> Grid:
    """The cells of a CSV file, split at ',' or, when that finds no header row, at ';' (what
    Excel writes under a Vietnamese locale) or a tab."""
    text = raw.decode("utf-8-sig")
    grid: Grid = []
    for delimiter in (",", ";", "\t"):
        rows = [
            [Cell(v, f"{display}:{_column_letter(c)}{r}") for c, v in enumerate(row)]
            for r, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        ]
        grid = [(None, rows)]
        if any(_is_header(k) or _lacks_id(k) for k in ([_key(c.value) for c in r] for r in rows)):
            break
    return grid


def _is_header(keys: list[str | None]) -> bool:
    return "id" in keys and bool(FILL_KEYS.intersection(keys))


def _lacks_id(keys: list[str | None]) -> bool:
    """A row of field names (three or more, a fill-in key among them) without ``id``: a
    header whose ``id`` cell was overwritten or cleared."""
    return (
        "id" not in keys
        and bool(FILL_KEYS.intersection(keys))
        and len(HEADER_KEYS.intersection(keys)) >= 3
    )


def _header_problems(grid: Grid, display: str) -> list[Problem]:
    """E314 for every table ingest cannot find: a header row without ``id`` (at the cell
    where it is missing), or a task or KPI sheet of the form (by its name in either
    language) that holds something but no header row. Such rows would be skipped."""
    names = {catalogue(lang)[k] for lang in LANGUAGES for k in _TABLE_SHEETS}
    problems: list[Problem] = []
    for sheet, rows in grid:
        found = False
        for row in rows:
            keys = [_key(c.value) for c in row]
            if _is_header(keys):
                found = True
            elif _lacks_id(keys):
                found = True
                last = max(i for i, key in enumerate(keys) if key in HEADER_KEYS)
                gap = next((i for i in range(last) if keys[i] not in HEADER_KEYS), 0)
                cell = row[gap]  # where "id" was: the first cell that is not a key
                problems.append(
                    Problem(
                        cell.where,
                        "E314",
                        M("cycle.ingest.header_without_id", value=cell.value or ""),
                    )
                )
        if not found and sheet in names and any(c.value is not None for r in rows for c in r):
            where = f"{display}:{sheet}!A1"
            problems.append(
                Problem(where, "E314", M("cycle.ingest.sheet_without_header", sheet=sheet))
            )
    return problems


_TABLE_SHEETS = ("cycle.form.sheet_tasks", "cycle.form.sheet_kpis")


def _key(value: Any) -> str | None:
    return value.strip().casefold() if isinstance(value, str) else None


def _tables(grid: Grid) -> Iterator[Row]:
    for _sheet, rows in grid:
        header: dict[str, int] | None = None
        table = "task"
        for row in rows:
            keys = [_key(c.value) for c in row]
            if _is_header(keys):
                header = {}
                for index, key in enumerate(keys):
                    if key and key not in header:
                        header[key] = index
                table = "kpi" if "value" in header else "task"
                continue
            if header is None:
                continue
            cells = {key: row[i] for key, i in header.items() if i < len(row)}
            item = Row(table, cells)
            fill = TASK_FILL if table == "task" else KPI_FILL
            if any(item.text(key) is not None for key in fill):
                yield item


def _metadata(grid: Grid, names: dict[str, str]) -> dict[str, str]:
    """nq57_as_of / nq57_lead: the defined names, else the cell right of a cell so named."""
    found = dict(names)
    for _sheet, rows in grid:
        for row in rows:
            for index, cell in enumerate(row[:-1]):
                key = _key(cell.value)
                if key in (AS_OF_KEY, LEAD_KEY) and key not in found:
                    value = row[index + 1].value
                    if isinstance(value, dt.datetime):
                        value = value.date()
                    if isinstance(value, dt.date):
                        value = value.isoformat()
                    if value is not None:
                        found[key] = str(value)
    return found


def read_form(path: Path, display: str | None = None) -> FilledForm:
    """The rows and report date of a filled form; unreadable files as a problem."""
    shown = display or str(path)
    form = FilledForm(shown)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            grid, names = _xlsx_grid(path, shown)
        else:
            grid, names = _csv_grid(path.read_bytes(), shown), {}
    except UnicodeDecodeError:
        form.problems.append(Problem(shown, "E312", M("cycle.ingest.not_utf8")))
        return form
    except Exception as exc:  # a corrupt or foreign file: openpyxl raises many kinds
        form.problems.append(Problem(shown, "E312", M("cycle.ingest.unreadable", reason=exc)))
        return form
    form.rows = list(_tables(grid))
    form.problems.extend(_header_problems(grid, shown))
    meta = _metadata(grid, names)
    if meta.get(AS_OF_KEY):
        with contextlib.suppress(ValueError):
            form.as_of = dt.date.fromisoformat(meta[AS_OF_KEY])
    if meta.get(LEAD_KEY):
        form.leads = [n.strip() for n in meta[LEAD_KEY].split(";") if n.strip()]
    if not form.rows and not any(
        "id" in [_key(c.value) for c in row] for _s, rows in grid for row in rows
    ):
        form.problems.append(Problem(shown, "E312", M("cycle.ingest.no_header")))
    return form


# --- values -----------------------------------------------------------------------------------


def _choice(value: Any, codes: tuple[str, ...], labels: dict[str, str]) -> str | None:
    """A code from its code, its label in either language, or 'label (code)'."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    inner = re.search(r"\(([A-Za-z_]+)\)\s*$", text)
    if inner and inner.group(1).casefold() in codes:
        return inner.group(1).casefold()
    wanted = plain(text).strip()
    for code in codes:
        if wanted == code or wanted == code.replace("_", " "):
            return code
        for lang in ("vi", "en"):
            if wanted == plain(catalogue(lang)[labels[code]]):
                return code
    return None


def parse_status(value: Any) -> str | None:
    return _choice(value, TASK_STATUSES, STATUS_LABELS)


def parse_kind(value: Any) -> str | None:
    return _choice(value, UPDATE_KINDS, KIND_LABELS)


def parse_progress(cell: Cell) -> int:
    """40, '40', '40%', or a cell formatted as a percentage holding 0.4."""
    value = cell.value
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        number: float = value * 100 if "%" in cell.number_format else value
    elif isinstance(value, str):
        number = parse_number(value.strip().removesuffix("%").strip())
    else:
        raise ValueError(str(value))
    number = round(number, 6)
    if number != int(number) or not 0 <= number <= 100:
        raise ValueError(str(value))
    return int(number)


def parse_cell_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise ValueError(str(value))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError(str(value))


def parse_value(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(str(value))
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return parse_number(value)
    raise ValueError(str(value))


def _note(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        value = f"{value:%d/%m/%Y}"
    return clean_text(None if value is None else str(value))


# --- checking rows ----------------------------------------------------------------------------


@dataclass
class RowEdit:
    kind: str  # "task" or "kpi"
    entity_id: str
    where: str  # the id cell
    plan: Callable[[dict[str, Any]], Plan]
    describe: str  # what the row records, for the summary
    warnings: list[Problem]


class _Checker:
    def __init__(self, data: DataSet, form: FilledForm, report: dt.date):
        self.data, self.form, self.report = data, form, report
        self.problems: list[Problem] = []

    def error(self, where: str, code: str, key: str, **fields: Any) -> None:
        self.problems.append(Problem(where, code, M(key, **fields)))

    def entity(self, row: Row, kind: str) -> Any:
        entity_id = row.text("id")
        table = self.data.tasks if kind == "task" else self.data.kpis
        fill = TASK_FILL if kind == "task" else KPI_FILL
        first = next(k for k in fill if row.text(k) is not None)
        if entity_id is None or "id" not in row.cells:
            self.error(row.at(first), "E301", "cycle.ingest.no_id")
            return None
        entity_id = str(entity_id)
        if entity_id in table:
            return table[entity_id]
        known = self.data.known_ids.get(kind, set())
        if entity_id in known:
            self.error(row.at("id"), "E310", "cycle.ingest.file_invalid", id=entity_id)
            return None
        close = close_ids_among(entity_id, sorted(table))
        key = "cycle.ingest.unknown_task" if kind == "task" else "cycle.ingest.unknown_kpi"
        hint = M("cycle.ingest.did_you_mean", close=", ".join(close[:3])) if close else ""
        self.error(row.at("id"), "E301", key, id=entity_id, hint=hint)
        return None

    def parsed(self, row: Row, key: str, parse: Callable[[Any], Any], code: str, msg: str):
        value = row.text(key)
        if value is None:
            return None
        try:
            result = parse(row.cells[key] if parse is parse_progress else value)
        except ValueError:
            result = None
        if result is None:
            self.error(row.at(key), code, msg, value=value)
            return False
        return result

    def task_row(self, row: Row) -> RowEdit | None:
        task = self.entity(row, "task")
        status = self.parsed(row, "status", parse_status, "E302", "cycle.ingest.bad_status")
        progress = self.parsed(row, "progress", parse_progress, "E303", "cycle.ingest.bad_progress")
        completed = self.parsed(row, "completed", parse_cell_date, "E304", "cycle.ingest.bad_date")
        kind = self.parsed(row, "kind", parse_kind, "E309", "cycle.ingest.bad_kind")
        note = _note(row.text("note"))
        early = self._before_issued(row, task, completed)
        late = self._not_too_late(row, "completed", completed)
        if False in (status, progress, completed, kind, early, late) or task is None:
            return None
        if completed and status is None:
            status = "done"
        if completed and status != "done":
            self.error(row.at("completed"), "E306", "cycle.ingest.completed_not_done")
            return None
        if status == "done" and not completed:
            self.error(row.at("status"), "E305", "cycle.ingest.done_without_date")
            return None
        if status == "done" and progress not in (None, 100):
            self.error(row.at("progress"), "E303", "cycle.ingest.done_not_100", value=progress)
            return None
        if status is None and progress is None and note is None:
            self.error(row.at("kind"), "E313", "cycle.ingest.nothing")
            return None
        warnings = self._warnings(row, task, "task")
        report = self.report
        plan = _task_plan(task.id, report, status, progress, note, kind, completed)
        parts = [p for p in (status, None if progress is None else f"{progress}%") if p]
        if completed:
            parts.append(t("cycle.ingest.completed_part", date=f"{completed:%d/%m/%Y}"))
        if note:
            parts.append(_short(note))
        if kind:
            parts.append(kind)
        return RowEdit("task", task.id, row.at("id"), plan, ", ".join(parts), warnings)

    def _before_issued(self, row: Row, task: Any, completed: Any) -> bool:
        """False (reported) when the task was finished before its decision was issued."""
        decision = self.data.decisions.get(task.decision) if task is not None else None
        if isinstance(completed, dt.date) and decision and completed < decision.issued:
            self.error(
                row.at("completed"),
                "E308",
                "cycle.ingest.before_issued",
                date=f"{completed:%d/%m/%Y}",
                issued=f"{decision.issued:%d/%m/%Y}",
                number=decision.number,
            )
            return False
        return True

    def _not_too_late(self, row: Row, key: str, day: Any) -> bool:
        """False (reported) when ``day`` is more than a year after the form's report date:
        a mistyped year (2052 for 2025) would hide the row until then."""
        if isinstance(day, dt.date) and day > latest_date(self.report):
            shown = {"date": f"{day:%d/%m/%Y}", "report": f"{self.report:%d/%m/%Y}"}
            self.error(row.at(key), "E315", "cycle.ingest.date_too_far", **shown)
            return False
        return True

    def kpi_row(self, row: Row) -> RowEdit | None:
        kpi = self.entity(row, "kpi")
        value = self.parsed(row, "value", parse_value, "E307", "cycle.ingest.bad_value")
        day = self.parsed(row, "date", parse_cell_date, "E304", "cycle.ingest.bad_date")
        source = _note(row.text("source"))
        late = self._not_too_late(row, "date", day)
        if False in (value, day, late) or kpi is None:
            return None
        if value is None:
            first = "date" if day else "source"
            self.error(row.at(first), "E313", "cycle.ingest.no_value")
            return None
        when = day or self.report
        warnings = self._warnings(row, kpi, "kpi")
        plan = _kpi_plan(kpi.id, when, value, source)
        shown = f"{value} ({when:%d/%m/%Y})" + (f", {_short(source)}" if source else "")
        return RowEdit("kpi", kpi.id, row.at("id"), plan, shown, warnings)

    def _warnings(self, row: Row, entity: Any, kind: str) -> list[Problem]:
        found = []
        leads = self.form.leads
        if leads:
            if kind == "task":
                mine = any(led_by(self.data, entity, lead) for lead in leads)
            else:
                issuer = self.data.issuer_of(entity.decision)
                mine = bool(entity.owner) and any(
                    self.data.agencies.matches(lead, entity.owner, issuer) for lead in leads
                )
            if not mine:
                who = "; ".join(entity.lead) if kind == "task" else (entity.owner or "—")
                found.append(
                    Problem(
                        row.at("id"),
                        "W301",
                        M("cycle.ingest.other_unit", id=entity.id, lead=who, form="; ".join(leads)),
                    )
                )
        if self.form.as_of is not None:
            rev = row.text("rev")
            if changed_since(entity, self.form.as_of, str(rev) if rev else None):
                found.append(
                    Problem(
                        row.at("id"),
                        "W302",
                        M("cycle.ingest.changed", id=entity.id, date=f"{self.form.as_of:%d/%m/%Y}"),
                    )
                )
        return found


def _short(text: str, limit: int = 50) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _same(items: list[dict], item: dict) -> bool:
    wanted = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in item.items()}
    return any(existing == wanted for existing in items)


def _compact(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _task_plan(task_id, report, status, progress, note, kind, completed):
    def plan(old: dict[str, Any]) -> Plan:
        updates = old.get("updates", [])
        if status == "done":
            item = _compact(date=report, status="done", progress=100, note=note, kind=kind)
            if old.get("status") == "done" and old.get("completed") == completed.isoformat():
                if _same(updates, item):
                    return Plan([], "")
                return Plan([AppendItem("updates", item)], task_id)
            return plan_task_done(old, date=completed, note=note, kind=kind, reported=report)
        item = _compact(date=report, status=status, progress=progress, note=note, kind=kind)
        if _same(updates, item) and (status is None or old.get("status") == status):
            return Plan([], "")
        return plan_task_update(
            old, date=report, status=status, progress=progress, note=note, kind=kind
        )

    return plan


def _kpi_plan(kpi_id, when, value, source):
    def plan(old: dict[str, Any]) -> Plan:
        item = _compact(date=when, value=value, source=source)
        if _same(old.get("measurements", []), item):
            return Plan([], "")
        return plan_kpi_record(old, date=when, value=value, source=source)

    return plan


# --- the whole ingest -------------------------------------------------------------------------


@dataclass
class Change:
    kind: str
    entity_id: str
    display: str  # the data file
    what: list[str]


@dataclass
class IngestResult:
    problems: list[Problem]
    changes: list[Change]  # tasks and KPIs whose file changes (or would, with dry_run)
    unchanged: int  # rows already recorded
    written: bool

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def ingest(
    data: DataSet,
    forms: list[FilledForm],
    *,
    date: dt.date | None = None,
    dry_run: bool = False,
    warn: Callable[[str], None] | None = None,
) -> IngestResult:
    """Check every row of ``forms``; with no error, apply them all (or, with ``dry_run``,
    only say what would change). Nothing is written when any row or file is refused."""
    problems = [p for f in forms for p in f.problems]
    edits: list[RowEdit] = []
    for form in forms:
        report = date or form.as_of
        if report is None:
            if form.rows:
                problems.append(Problem(form.display, "E311", M("cycle.ingest.no_date")))
            continue
        checker = _Checker(data, form, report)
        for row in form.rows:
            edit = checker.task_row(row) if row.table == "task" else checker.kpi_row(row)
            if edit is not None:
                edits.append(edit)
        problems.extend(checker.problems)
    if any(p.is_error for p in problems):
        return IngestResult(problems, [], 0, False)
    return _apply(data, edits, problems, dry_run, warn)


def _apply(data, edits: list[RowEdit], problems, dry_run, warn) -> IngestResult:
    grouped: dict[tuple[str, str], list[RowEdit]] = {}
    for edit in edits:
        grouped.setdefault((edit.kind, edit.entity_id), []).append(edit)
    applied: dict[tuple[str, str], list[str]] = {}
    unchanged = [0]

    def wrap(edit: RowEdit) -> Callable[[dict[str, Any]], Plan]:
        def plan(old: dict[str, Any]) -> Plan:
            try:
                planned = edit.plan(old)
            except EditError as exc:
                problems.append(
                    Problem(edit.where, "E310", M("cycle.ingest.refused", reason=exc.describe()))
                )
                return Plan([], "")
            if planned.ops:
                applied.setdefault((edit.kind, edit.entity_id), []).append(edit.describe)
                problems.extend(edit.warnings)
            else:
                unchanged[0] += 1
            return planned

        return plan

    file_edits = []
    for (kind, entity_id), rows in grouped.items():
        source = data.file_of(kind, entity_id)
        assert source is not None  # checked: the id is a loaded task or KPI
        file_edits.append(
            FileEdit(source.path, kind, entity_id, [wrap(r) for r in rows], source.display)
        )
    results, refused = apply_edits(
        file_edits,
        write=not dry_run,
        warn=warn,
        before_write=lambda _results: not any(p.is_error for p in problems),
    )
    for edit, exc in refused:
        where = grouped[(edit.kind, edit.entity_id)][0].where
        problems.append(Problem(where, "E310", M("cycle.ingest.refused", reason=exc.describe())))
    ok = not any(p.is_error for p in problems)
    changes = [
        Change(kind, entity_id, r.display, applied.get((kind, entity_id), []))
        for r, (kind, entity_id) in _paired(results, file_edits)
        if r.after != r.before
    ]
    return IngestResult(problems, changes if ok else [], unchanged[0], ok and not dry_run)


def _paired(results: list[EditResult], edits: list[FileEdit]):
    by_display = {(e.display): (e.kind, e.entity_id) for e in edits}
    return [(r, by_display[r.display]) for r in results]
