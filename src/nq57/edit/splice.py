"""Writing a planned change into a file's YAML text, changing only the lines it concerns.

ruamel.yaml's composer (or libyaml's, for a text with nothing doubtful in it) gives the
exact character offsets of every value; the few new or changed lines are rendered with
the house YAML style and spliced in, and every other byte of the file (comments, key
order, quoting, flow lists, blank lines, CRLF or LF line endings, a missing final
newline, a BOM) is kept as it was. A full ruamel round-trip dump is *not* byte-exact (it
re-indents sequences, normalises ``[ a ,b ]`` and spacing), so it is only used to render
the new fragment. :func:`edit_text` then reads the result again: it must be exactly the
old data plus the change, else the edit is refused.

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
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from nq57.edit.ops import Op, RemoveField, SetField, expected_data
from nq57.errors import EditError
from nq57.i18n import t
from nq57.io import fastyaml
from nq57.io.loader import SourceFile, fast_load, line_ending, parse_text, to_plain
from nq57.io.yamlio import compose_yaml, round_trip_yaml
from nq57.model.entities import TASK_FIELD_ORDER

TASK_ORDER = TASK_FIELD_ORDER


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


def _is(node: Any, kind: str) -> bool:
    """The node's kind ("scalar", "sequence", "mapping"), for ruamel.yaml's and libyaml's
    nodes alike (their classes differ; a plain scalar's style is None or '')."""
    return node.id == kind


class _Splicer:
    def __init__(self, text: str, *, fast: bool = False):
        """``fast``: the text is one the libyaml reader accepts (nothing doubtful in it),
        so libyaml composes it, with the same character offsets as ruamel.yaml; a
        pure-Python pass over a large file costs seconds."""
        self.text = text
        self.eol = line_ending(text)
        try:
            root: Any = fastyaml.compose(text) if fast else compose_yaml(text)
        except YAMLError as exc:  # the caller validated the file; be safe anyway
            raise _Unsupported(t("edit.layout.yaml_error", problem=exc)) from None
        if not _is(root, "mapping") or root.flow_style or not root.value:
            raise _Unsupported(t("edit.layout.not_block_mapping"))
        self.root = root
        # nodes of ruamel.yaml or of libyaml (PyYAML): the same attributes, different classes
        self.keys: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in root.value:
            if _is(key_node, "scalar"):
                self.keys[str(key_node.value)] = (key_node, value_node)
        self.indent = root.value[0][0].start_mark.column
        self.splices: list[_Splice] = []
        self.pending: dict[str, tuple[int, bool]] = {}  # new key -> where it is inserted

    # positions

    def _content_end(self, node: Any) -> int | None:
        """Offset just after the last character that belongs to the node (None: empty)."""
        if _is(node, "scalar"):
            start, end = node.start_mark.index, node.end_mark.index
            if start == end and not node.style:
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
        if _is(node, "sequence"):
            if not node.value:
                return node.end_mark.index
            return self._content_end(node.value[-1])
        if _is(node, "mapping"):
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
            if not _is(node, "scalar"):
                raise _Unsupported(t("edit.layout.not_scalar", key=key))
            start, end = node.start_mark.index, node.end_mark.index
            if start == end and not node.style:  # "key:" with no value
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

    def remove_field(self, key: str) -> None:
        """Remove ``key: value`` (one line, with any comment on it) from the file."""
        if key not in self.keys:
            return
        key_node, node = self.keys[key]
        if not _is(node, "scalar") or node.style in ("|", ">"):
            raise _Unsupported(t("edit.layout.not_scalar", key=key))
        start = key_node.start_mark.index
        line_start = max(self.text.rfind("\n", 0, start), self.text.rfind("\r", 0, start)) + 1
        if self.text[line_start:start].strip():
            raise _Unsupported(t("edit.layout.not_scalar", key=key))
        end, no_final_eol = self._after_key(key)
        if no_final_eol:  # the last line: take the line break before it instead
            line_start -= len(self.eol)
        self._add(line_start, end, "")

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
        if not _is(node, "sequence"):
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
        if _is(last, "mapping") and last.flow_style:
            line = f"{' ' * dash_col}-{' ' * (content_col - dash_col - 1)}{_render_flow(item)}"
            self._insert_lines(at, [line])
        else:
            self._insert_lines(at, self._block_item(item, dash_col, content_col))

    def _sequence_style(self) -> tuple[int, int]:
        """(dash, content) columns of block lists relative to their key, as the file writes
        them (first block list found); the house style (2, 4) otherwise."""
        for key_node, value_node in self.root.value:
            if _is(value_node, "sequence") and not value_node.flow_style and value_node.value:
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


def _load_plain(text: str, *, fast: bool = True) -> dict[str, Any] | None:
    """The data of a text: libyaml when nothing in it is doubtful (as loading does; the
    same data, see nq57.io.fastyaml), else ruamel.yaml (one pure-Python pass over a large
    file costs seconds)."""
    if fast:
        document = fast_load(text)
        if isinstance(document, dict):
            return document
    source = SourceFile(Path("<edit>"), "<edit>", "task", None)
    parse_text(source, text, fast=fast)
    # the tree as parsed, even if refused (E104): validate_bytes reports why afterwards
    return to_plain(source.rt) if source.rt is not None else source.document


def edit_text(text: str, ops: list[Op], *, old: dict[str, Any] | None = None) -> str:
    """Apply ``ops`` to the YAML text of one file, changing only the lines they concern.

    Pure. Raises :class:`EditError` when the change cannot be made in place or
    when the result, parsed again, is not exactly the old data plus ``ops``.
    ``old``: the text's data when the caller has parsed it already.
    """
    fast = fast_load(text)  # plain data when libyaml may read (and compose) the text
    if old is None:
        old = fast if isinstance(fast, dict) else _load_plain(text, fast=False)
    if old is None:
        raise EditError(t("edit.not_yaml"))
    try:
        splicer = _Splicer(text, fast=isinstance(fast, dict))
        for op in ops:
            if isinstance(op, SetField):
                splicer.set_field(op.key, op.value)
            elif isinstance(op, RemoveField):
                splicer.remove_field(op.key)
            else:
                splicer.append_item(op.key, op.item)
        new_text = splicer.result()
    except _Unsupported as exc:
        raise EditError(t("edit.cannot_splice", reason=exc)) from None
    new = _load_plain(new_text, fast=True)
    expected = expected_data(old, ops)
    same_order = new is not None and [k for k in new if k in old] == [k for k in old if k in new]
    if new != expected or not same_order:
        raise EditError(t("edit.unusual_layout"))
    return new_text
