"""Recording progress in task and KPI files without losing a byte.

``nq57 task update``, ``nq57 task done`` and ``nq57 kpi record`` go through
:func:`apply_edit`, which

1. takes ``<file>.lock`` (created with ``O_EXCL``) so two commands editing the
   same file never lose an update (:class:`FileLock`);
2. re-reads the file under the lock and refuses to touch it when it does not
   parse or validate against the model (the completion rule is checked on the
   result only, so ``task done`` can repair "status: done" without a date);
3. plans the change on the parsed data (:func:`plan_task_update`,
   :func:`plan_task_done`, :func:`plan_kpi_record`: the business rules);
4. makes the change as a *text splice* (:func:`edit_text`): ruamel.yaml's
   composer gives the exact character offsets of every value, the few new or
   changed lines are rendered with the house YAML style and spliced in, and
   every other byte of the file (comments, key order, quoting, flow lists,
   blank lines, CRLF or LF line endings, a missing final newline, a BOM) is
   kept as it was. A full ruamel round-trip dump is *not* byte-exact (it
   re-indents sequences, normalises ``[ a ,b ]`` and spacing), so it is only
   used to render the new fragment;
5. checks the result: the new text is parsed again and must equal the old data
   plus exactly the planned change; it is validated with the data model and the
   completion rule (status done <=> completed). Any failure refuses the edit
   and leaves the file untouched;
6. writes atomically (:func:`atomic_write`): a hidden temporary file in the
   same folder (the loader skips dot-files), write, fsync, ``os.replace``, fsync
   of the folder; the file's permission bits are kept and a symbolic link is
   followed (its target is edited, the link stays).

Refused edits raise :class:`EditError` (message + diagnostics + exit code).

Where new keys go:

* ``status`` right after the last present key of the canonical order that
  precedes it (id, decision, ref, section, title, lead, support, output,
  approver, deadline, due, parent, kpis) -- the importer's order, so a task
  reads "... deadline, status";
* ``completed`` right after ``status``;
* ``updates`` / ``measurements`` (growing logs) at the end of the file, as a
  block list indented like the file's other block lists (house style
  ``  - `` otherwise); ``key: []`` becomes a block list in place. New items
  are appended after the last item, in the style of the existing items
  (indentation, block or flow); items are rendered by ruamel in the house
  style, so any note text is quoted correctly.

A new key goes directly after the value of the key it follows, before any
comment or blank lines that follow that value (those belong to what comes next).

The edit functions never read the clock: the date is a parameter.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from nq57.check.pipeline import validate_document
from nq57.check.rules import check_completion
from nq57.diagnostics import Diagnostic
from nq57.errors import EditError as EditError  # re-exported: callers import them from here
from nq57.errors import LockBusy as LockBusy
from nq57.i18n import M, t
from nq57.io.atomic import LOCK_TIMEOUT as LOCK_TIMEOUT
from nq57.io.atomic import STALE_LOCK_AFTER as STALE_LOCK_AFTER
from nq57.io.atomic import FileLock as FileLock
from nq57.io.atomic import Warn as Warn
from nq57.io.atomic import atomic_write as atomic_write
from nq57.io.atomic import reason
from nq57.io.loader import SourceFile, parse_bytes, parse_text, to_plain
from nq57.io.loader import line_ending as line_ending  # re-exported for its callers
from nq57.io.yamlio import compose_yaml, round_trip_yaml
from nq57.model.dataset import DataSet
from nq57.model.entities import TASK_FIELD_ORDER, TASK_STATUSES

TASK_ORDER = TASK_FIELD_ORDER

# --- values typed by the user --------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date:
    """``2025-07-15`` or day-first ``15/07/2025`` (also ``15.07.2025``, ``15-7-2025``)."""
    value = text.strip()
    try:
        if _ISO.match(value):
            return dt.date.fromisoformat(value)
        day_first = _DAY_FIRST.match(value)
        if day_first:
            day, month, year = (int(p) for p in day_first.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(t("edit.not_real_date", text=text)) from None
    raise ValueError(t("edit.not_a_date", text=text))


_NUMBER = re.compile(r"^([+-]?)(\d+)(?:[.,](\d+))?$")
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")


def parse_number(text: str) -> int | float:
    """A measured value: ``55``, ``0.7`` or Vietnamese ``0,7``; int when integral.

    ``1.500`` / ``1,500`` are refused as ambiguous (Vietnamese writes thousands
    with a dot and decimals with a comma; English the other way round).
    """
    value = text.strip().replace("\u2212", "-")
    match = _NUMBER.match(value)
    if not match:
        raise ValueError(t("edit.not_a_number", text=text))
    if _THOUSANDS.match(value):
        whole = f"{match.group(2)}{match.group(3)}"
        decimal = f"{match.group(2)},{match.group(3).rstrip('0') or '0'}"
        raise ValueError(t("edit.ambiguous_number", text=text, whole=whole, decimal=decimal))
    sign, whole, fraction = match.groups()
    if not fraction or not fraction.strip("0"):
        return int(sign + whole)
    return float(f"{sign}{whole}.{fraction}")


def clean_text(text: str | None) -> str | None:
    """User text for a note/source/label: NFC, every YAML line break as \\n, trimmed;
    '' -> None."""
    if text is None:
        return None
    value = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    value = re.sub("[\r\x85\u2028\u2029]", "\n", value).strip()  # YAML line breaks
    return value or None


# --- planned changes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SetField:
    """Set a top-level scalar field (replaced in place, or inserted if absent)."""

    key: str
    value: str | dt.date


@dataclass(frozen=True)
class AppendItem:
    """Append a mapping to a top-level list (created at the end of the file if absent)."""

    key: str
    item: dict[str, Any]


Op = SetField | AppendItem


@dataclass
class Plan:
    ops: list[Op]
    summary: str  # the one line printed on success


def _plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def expected_data(old: dict[str, Any], ops: list[Op]) -> dict[str, Any]:
    """The data the file must hold after the edit (dates as text, like the loader)."""
    new = dict(old)
    for op in ops:
        if isinstance(op, SetField):
            new[op.key] = _plain_value(op.value)
        else:
            item = {k: _plain_value(v) for k, v in op.item.items()}
            new[op.key] = [*new.get(op.key, []), item]
    return new


def _compact(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _already(items: list[dict], item: dict) -> bool:
    wanted = {k: _plain_value(v) for k, v in item.items()}
    return any(existing == wanted for existing in items)


def plan_task_update(
    task: dict[str, Any],
    *,
    date: dt.date,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
) -> Plan:
    """Append ``{date, status?, progress?, note?}`` to ``updates``; set ``status`` if given."""
    task_id = task.get("id", "?")
    note = clean_text(note)
    if status is None and progress is None and note is None:
        raise EditError(t("edit.nothing_to_record"), exit_code=2)
    if status is not None and status not in TASK_STATUSES:
        known = ", ".join(TASK_STATUSES)
        raise EditError(t("edit.bad_status", status=status, known=known), exit_code=2)
    if progress is not None and not 0 <= progress <= 100:
        raise EditError(t("edit.progress_out_of_range", progress=progress), exit_code=2)
    current = task.get("status", "not_started")
    if status == "done" and current != "done":
        raise EditError(t("edit.use_task_done", id=task_id))
    if status is not None and status != "done" and current == "done" and task.get("completed"):
        raise EditError(t("edit.reopen_by_hand", id=task_id, completed=task.get("completed")))
    item = _compact(date=date, status=status, progress=progress, note=note)
    if _already(task.get("updates", []), item):
        raise EditError(t("edit.update_exists", id=task_id, date=date.isoformat()))
    ops: list[Op] = []
    if status is not None and (status != current or "status" not in task):
        ops.append(SetField("status", status))
    ops.append(AppendItem("updates", item))
    parts = [p for p in (status, None if progress is None else f"{progress}%") if p]
    if note:
        parts.append(t("edit.note_part", note=_short(note)))
    summary = t("edit.recorded_update", id=task_id, date=date.isoformat(), parts=", ".join(parts))
    return Plan(ops, summary)


def plan_task_done(task: dict[str, Any], *, date: dt.date, note: str | None = None) -> Plan:
    """status: done, completed: DATE, and an update ``{date, status: done, progress: 100}``."""
    task_id = task.get("id", "?")
    note = clean_text(note)
    if task.get("status") == "done" and task.get("completed"):
        raise EditError(t("edit.already_done", id=task_id, completed=task.get("completed")))
    item = _compact(date=date, status="done", progress=100, note=note)
    ops: list[Op] = [] if task.get("status") == "done" else [SetField("status", "done")]
    ops += [SetField("completed", date), AppendItem("updates", item)]
    parts = ["done", "100%"] + ([t("edit.note_part", note=_short(note))] if note else [])
    summary = t("edit.recorded_done", id=task_id, date=date.isoformat(), parts=", ".join(parts))
    return Plan(ops, summary)


def plan_kpi_record(
    kpi: dict[str, Any],
    *,
    date: dt.date,
    value: int | float,
    source: str | None = None,
    label: str | None = None,
    note: str | None = None,
) -> Plan:
    """Append ``{date, value, source?, label?, note?}`` to ``measurements``."""
    kpi_id = kpi.get("id", "?")
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != value
        or value in (float("inf"), float("-inf"))
    ):
        raise EditError(t("edit.not_finite", value=repr(value)), exit_code=2)
    item = _compact(
        date=date,
        value=value,
        source=clean_text(source),
        label=clean_text(label),
        note=clean_text(note),
    )
    if _already(kpi.get("measurements", []), item):
        raise EditError(t("edit.measurement_exists", id=kpi_id, date=date.isoformat(), value=value))
    unit = kpi.get("unit")
    shown = f"{value}{unit}" if unit == "%" else (f"{value} {unit}" if unit else f"{value}")
    if item.get("label"):
        shown += f" [{item['label']}]"
    summary = t("edit.recorded_measurement", id=kpi_id, date=date.isoformat(), value=shown)
    return Plan([AppendItem("measurements", item)], summary)


# --- the text splice ------------------------------------------------------------------------------


class _Unsupported(Exception):
    """The file's layout is one this editor does not change in place."""


@dataclass(order=True)
class _Splice:
    start: int
    order: int
    end: int = field(compare=False)
    text: str = field(compare=False)


def _render_block(item: dict[str, Any]) -> list[str]:
    """A mapping in the house style, one entry per line (without indentation)."""
    buffer = io.StringIO()
    round_trip_yaml().dump(CommentedMap(item), buffer)
    return buffer.getvalue().rstrip("\n").split("\n")


def _render_flow(item: dict[str, Any]) -> str:
    """A mapping on one line. ruamel's emitter leaves some text plain that its parser
    then rejects inside braces ("?0", ": y"); such text is written quoted instead."""
    text = _dump_flow(item)
    try:
        if dict(round_trip_yaml().load(text)) == item:
            return text
    except Exception:  # the emitter produced what the parser cannot read
        pass
    quoted = {k: SingleQuotedScalarString(v) if isinstance(v, str) else v for k, v in item.items()}
    return _dump_flow(quoted)


def _dump_flow(item: dict[str, Any]) -> str:
    mapping = CommentedMap(item)
    mapping.fa.set_flow_style()
    buffer = io.StringIO()
    round_trip_yaml().dump(mapping, buffer)
    return buffer.getvalue().strip()


def _render_scalar(value: str | dt.date, style: str | None = None) -> str:
    buffer = io.StringIO()
    round_trip_yaml().dump(value, buffer)
    text = buffer.getvalue()
    text = text.removesuffix("\n...\n").rstrip("\n")
    if style in ("'", '"') and not text.startswith(("'", '"')):
        text = f"{style}{text}{style}"
    return text


class _Splicer:
    def __init__(self, text: str):
        self.text = text
        self.eol = line_ending(text)
        try:
            root = compose_yaml(text)
        except YAMLError as exc:  # the caller validated the file; be safe anyway
            raise _Unsupported(t("edit.layout.yaml_error", problem=exc)) from None
        if not isinstance(root, MappingNode) or root.flow_style or not root.value:
            raise _Unsupported(t("edit.layout.not_block_mapping"))
        self.root = root
        self.keys: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in root.value:
            if isinstance(key_node, ScalarNode):
                self.keys[str(key_node.value)] = (key_node, value_node)
        self.indent = root.value[0][0].start_mark.column
        self.splices: list[_Splice] = []
        self.pending: dict[str, tuple[int, bool]] = {}  # new key -> where it is inserted

    # positions

    def _content_end(self, node: Node) -> int | None:
        """Offset just after the last character that belongs to the node (None: empty)."""
        if isinstance(node, ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if start == end and node.style is None:
                return None
            if node.style in ("|", ">"):
                header = self.text[start:end].split("\n", 1)[0].split("#", 1)[0]
                if "+" in header:  # keep chomping: trailing blank lines are the value
                    return end
                body = self.text[start:end].rstrip(" \t\r\n")
                return start + len(body)
            return end
        if getattr(node, "flow_style", False):
            return node.end_mark.index
        if isinstance(node, SequenceNode):
            if not node.value:
                return node.end_mark.index
            return self._content_end(node.value[-1])
        if isinstance(node, MappingNode):
            if not node.value:
                return node.end_mark.index
            key_node, value_node = node.value[-1]
            end = self._content_end(value_node)
            return end if end is not None else self._content_end(key_node)
        raise _Unsupported(t("edit.layout.unknown_node"))

    def _after_line(self, offset: int) -> tuple[int, bool]:
        """Start of the next line after ``offset``; (len, True) at EOF with no final EOL."""
        if offset > 0 and self.text[offset - 1] in "\r\n":
            return offset, False
        match = re.compile(r"\r\n|\r|\n").search(self.text, offset)
        if match is None:
            return len(self.text), True
        return match.end(), False

    def _after_key(self, key: str) -> tuple[int, bool]:
        key_node, value_node = self.keys[key]
        end = self._content_end(value_node)
        return self._after_line(end if end is not None else key_node.end_mark.index)

    def _add(self, start: int, end: int, text: str) -> None:
        self.splices.append(_Splice(start, len(self.splices), end, text))

    def _insert_lines(self, at: tuple[int, bool], lines: list[str]) -> None:
        offset, no_final_eol = at
        if no_final_eol:  # keep the file's "no newline at end of file"
            self._add(offset, offset, self.eol + self.eol.join(lines))
        else:
            self._add(offset, offset, "".join(line + self.eol for line in lines))

    # operations

    def set_field(self, key: str, value: str | dt.date) -> None:
        if key in self.keys:
            key_node, node = self.keys[key]
            if not isinstance(node, ScalarNode):
                raise _Unsupported(t("edit.layout.not_scalar", key=key))
            start, end = node.start_mark.index, node.end_mark.index
            if start == end and node.style is None:  # "key:" with no value
                colon = self.text.find(":", key_node.end_mark.index)
                if colon < 0 or self.text[key_node.end_mark.index : colon].strip():
                    raise _Unsupported(t("edit.layout.no_colon", key=key))
                self._add(colon + 1, colon + 1, " " + _render_scalar(value))
            elif node.style in ("|", ">"):
                self._add(start, end, _render_scalar(value) + self.eol)
            else:
                self._add(start, end, _render_scalar(value, node.style))
            return
        at = self._anchor_for(key)
        self.pending[key] = at
        self._insert_lines(at, [f"{' ' * self.indent}{key}: {_render_scalar(value)}"])

    def _anchor_for(self, key: str) -> tuple[int, bool]:
        """Where a new top-level key goes (see the module docstring)."""
        if key in TASK_ORDER:
            before = TASK_ORDER[: TASK_ORDER.index(key)]
            for previous in reversed(before):
                if previous in self.pending:  # right after a key inserted by this edit
                    return self.pending[previous]
                if previous in self.keys:
                    return self._after_key(previous)
        return self._at_end()

    def _at_end(self) -> tuple[int, bool]:
        last_key = str(self.root.value[-1][0].value)
        return self._after_key(last_key)

    def append_item(self, key: str, item: dict[str, Any]) -> None:
        if key not in self.keys:
            dash, content = self._sequence_style()
            lines = [f"{' ' * self.indent}{key}:"]
            lines += self._block_item(item, self.indent + dash, self.indent + content)
            self._insert_lines(self._at_end(), lines)
            return
        key_node, node = self.keys[key]
        if not isinstance(node, SequenceNode):
            raise _Unsupported(t("edit.layout.not_list", key=key))
        if node.flow_style:
            if node.value:  # [a, b] -> [a, b, {new}] right after the last item
                last_end = self._content_end(node.value[-1])
                assert last_end is not None
                self._add(last_end, last_end, ", " + _render_flow(item))
            else:  # "key: []  # comment" -> "key:  # comment" + a block list
                base = key_node.start_mark.column
                dash, content = self._sequence_style()
                lines = self._block_item(item, base + dash, base + content)
                line_end = re.compile(r"\r\n|\r|\n|$").search(self.text, node.end_mark.index)
                assert line_end is not None
                rest = self.text[node.end_mark.index : line_end.start()]
                self._add(
                    key_node.end_mark.index,
                    line_end.start(),
                    ":" + rest + self.eol + self.eol.join(lines),
                )
            return
        first, last = node.value[0], node.value[-1]
        dash_col = node.start_mark.column
        if first.start_mark.line == node.start_mark.line:
            content_col = first.start_mark.column
        else:
            content_col = dash_col + 2
        end = self._content_end(last)
        if end is None:
            raise _Unsupported(t("edit.layout.empty_last_item", key=key))
        at = self._after_line(end)
        if isinstance(last, MappingNode) and last.flow_style:
            line = f"{' ' * dash_col}-{' ' * (content_col - dash_col - 1)}{_render_flow(item)}"
            self._insert_lines(at, [line])
        else:
            self._insert_lines(at, self._block_item(item, dash_col, content_col))

    def _sequence_style(self) -> tuple[int, int]:
        """(dash, content) columns of block lists relative to their key, as the file writes
        them (first block list found); the house style (2, 4) otherwise."""
        for key_node, value_node in self.root.value:
            if (
                isinstance(value_node, SequenceNode)
                and not value_node.flow_style
                and value_node.value
            ):
                base = key_node.start_mark.column
                dash = value_node.start_mark.column
                first = value_node.value[0]
                if first.start_mark.line != value_node.start_mark.line:
                    continue
                return dash - base, first.start_mark.column - base
        return 2, 4

    @staticmethod
    def _block_item(item: dict[str, Any], dash_col: int, content_col: int) -> list[str]:
        rendered = _render_block(item)
        gap = max(content_col - dash_col - 1, 1)
        first = f"{' ' * dash_col}-{' ' * gap}{rendered[0]}"
        rest = [f"{' ' * (dash_col + 1 + gap)}{line}" if line else line for line in rendered[1:]]
        return [first, *rest]

    def result(self) -> str:
        out, position = [], 0
        for splice in sorted(self.splices):
            if splice.start < position:
                raise _Unsupported(t("edit.layout.overlap"))
            out.append(self.text[position : splice.start])
            out.append(splice.text)
            position = splice.end
        out.append(self.text[position:])
        return "".join(out)


def _load_plain(text: str) -> dict[str, Any] | None:
    source = SourceFile(Path("<edit>"), "<edit>", "task", None)
    parse_text(source, text, fast=False)
    # the tree as parsed, even if refused (E104): validate_bytes reports why afterwards
    return to_plain(source.rt) if source.rt is not None else source.document


def edit_text(text: str, ops: list[Op]) -> str:
    """Apply ``ops`` to the YAML text of one file, changing only the lines they concern.

    Pure. Raises :class:`EditError` when the change cannot be made in place or
    when the result, parsed again, is not exactly the old data plus ``ops``.
    """
    old = _load_plain(text)
    if old is None:
        raise EditError(t("edit.not_yaml"))
    try:
        splicer = _Splicer(text)
        for op in ops:
            if isinstance(op, SetField):
                splicer.set_field(op.key, op.value)
            else:
                splicer.append_item(op.key, op.item)
        new_text = splicer.result()
    except _Unsupported as exc:
        raise EditError(t("edit.cannot_splice", reason=exc)) from None
    new = _load_plain(new_text)
    expected = expected_data(old, ops)
    same_order = new is not None and [k for k in new if k in old] == list(old)
    if new != expected or not same_order:
        raise EditError(t("edit.unusual_layout"))
    return new_text


# --- validation ---------------------------------------------------------------------------------


def _source(path: Path, display: str, kind: str, entity_id: str, raw: bytes) -> SourceFile:
    """Parse bytes on the loader's read path (diagnostics in ``source``)."""
    source = SourceFile(path, display, kind, entity_id)
    parse_bytes(source, raw, fast=False)
    return source


def validate_bytes(
    path: Path, display: str, kind: str, entity_id: str, raw: bytes, *, completion: bool = True
) -> tuple[SourceFile, list[Diagnostic]]:
    """The errors a file's content has on its own: YAML, model, id and (for tasks, unless
    ``completion`` is false) the completion rule: status done <=> 'completed' set."""

    source = _source(path, display, kind, entity_id, raw)
    if source.document is None:
        return source, [d for d in source.diagnostics if d.is_error]
    model = validate_document(source)
    errors = [d for d in source.diagnostics if d.is_error]
    if model is None:
        return source, errors
    if model.id != entity_id:  # type: ignore[attr-defined]
        errors.append(
            Diagnostic(
                display,
                1,
                1,
                "E120",
                M("diag.id_mismatch", id=model.id, expected=entity_id),  # type: ignore[attr-defined]
            )
        )  # type: ignore[attr-defined]
        return source, errors
    if kind == "task" and completion:
        data = DataSet(roots=[], tasks={entity_id: model}, files={f"task:{entity_id}": source})  # type: ignore[dict-item]
        errors.extend(d for d in check_completion(data) if d.is_error)
    return source, errors


# --- the whole edit -----------------------------------------------------------------------------


@dataclass
class EditResult:
    path: Path
    display: str
    before: bytes
    after: bytes
    summary: str


def apply_edit(
    path: Path,
    kind: str,
    entity_id: str,
    plan: Callable[[dict[str, Any]], Plan],
    *,
    display: str | None = None,
    warn: Warn | None = None,
    lock_timeout: float | None = None,
) -> EditResult:
    """Lock, re-read, plan, splice, check and atomically write one task or KPI file."""
    shown = display or str(path)
    real = Path(os.path.realpath(path))  # edit the file a symbolic link points to
    with FileLock(real, shown, timeout=lock_timeout, warn=warn):
        try:
            raw = real.read_bytes()
        except OSError as exc:
            raise EditError(t("edit.cannot_read", file=shown, reason=reason(exc))) from None
        # The completion rule is checked on the result only: `task done` repairs
        # "status: done" without 'completed', which is what its message advises.
        source, errors = validate_bytes(real, shown, kind, entity_id, raw, completion=False)
        if errors or source.document is None:
            raise EditError(t("edit.has_errors", file=shown), errors)
        old = to_plain(source.document)
        planned = plan(old)
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        text = raw[len(bom) :].decode("utf-8")
        try:
            new_text = edit_text(text, planned.ops)
        except EditError as exc:
            raise EditError(f"{shown}: {exc}") from None
        after = bom + new_text.encode("utf-8")
        after_shown = t("edit.after_edit", file=shown)
        _, errors = validate_bytes(real, after_shown, kind, entity_id, after)
        if errors:
            raise EditError(t("edit.would_be_invalid", id=entity_id, file=shown), errors)
        try:
            atomic_write(real, after)
        except OSError as exc:
            raise EditError(t("edit.cannot_write", file=shown, reason=reason(exc))) from None
    return EditResult(path, shown, raw, after, planned.summary)


def update_task(
    path: Path,
    task_id: str,
    *,
    date: dt.date,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    display: str | None = None,
    warn: Warn | None = None,
) -> EditResult:
    return apply_edit(
        path,
        "task",
        task_id,
        lambda task: plan_task_update(task, date=date, status=status, progress=progress, note=note),
        display=display,
        warn=warn,
    )


def complete_task(
    path: Path,
    task_id: str,
    *,
    date: dt.date,
    note: str | None = None,
    display: str | None = None,
    warn: Warn | None = None,
) -> EditResult:
    return apply_edit(
        path,
        "task",
        task_id,
        lambda task: plan_task_done(task, date=date, note=note),
        display=display,
        warn=warn,
    )


def record_kpi(
    path: Path,
    kpi_id: str,
    *,
    date: dt.date,
    value: int | float,
    source: str | None = None,
    label: str | None = None,
    note: str | None = None,
    display: str | None = None,
    warn: Warn | None = None,
) -> EditResult:
    return apply_edit(
        path,
        "kpi",
        kpi_id,
        lambda kpi: plan_kpi_record(
            kpi, date=date, value=value, source=source, label=label, note=note
        ),
        display=display,
        warn=warn,
    )
