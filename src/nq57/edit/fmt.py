"""The canonical layout of data files (``nq57 fmt``).

Canonical means: keys in the house order (:func:`canonical_order`), two-space
indentation with list items as ``  - item``, block style (no ``[a, b]`` flow
lists), quotes only where YAML needs them, ``null`` for an empty value, no
line wrapping, text in Unicode NFC, no byte-order mark, one final newline.
The file's line ending (that of its first line) is kept. Comments and blank
lines are kept: a comment line above a top-level key moves with that key.

How (:func:`format_text`):

1. the text is NFC-normalised and read with ruamel.yaml's round-trip loader
   (dates stay the text they were written as, so an impossible date survives);
2. nested mappings (``updates``/``measurements`` items, ``baseline``,
   ``reporting`` items, registry entries) are put in their model's field order
   and every list or mapping is set to block style; the document is dumped in
   the house style (:func:`nq57.io.yamlio.canonical_yaml`), keys still in their
   old top-level order;
3. the top-level keys are reordered as whole blocks of lines: each block runs
   from its key's line to the next key's, and the comment and blank lines at
   column 0 that end a block belong to the key below them; the lines above the
   first key (a schema modeline, a file header) stay at the top;
4. the result is read again and must hold exactly the same data (and the
   canonical key order); otherwise the file is refused, never written (the one
   known case: a ``|+`` text whose kept final blank lines would move).

A file that does not parse (``E100``-``E108``) is never touched. A file that is
canonical already is recognised without the round trip (:func:`is_canonical`, from the
fast reader's data; see "recognising a canonical file cheaply" below).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tokens import CommentToken

from nq57.diagnostics import Diagnostic
from nq57.errors import EditError
from nq57.i18n import M, Message, t
from nq57.io.atomic import FileLock, atomic_write
from nq57.io.loader import SourceFile, discover, line_ending, parse_bytes, read_raw
from nq57.io.yamlio import Stamp, canonical_yaml
from nq57.model.order import NESTED_ORDER, TOP_ORDER

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
_LINE = re.compile(r".*?(?:\r\n|\r|\n)|.+", re.S)  # YAML's line breaks only


def canonical_order(keys: Iterable[Any], order: tuple[str, ...]) -> list[Any]:
    """``keys`` in the house order; keys the format does not know keep their order, last."""
    keys = list(keys)
    known = [k for k in order if k in keys]
    return known + [k for k in keys if k not in order]


class FormatRefused(Exception):
    """The formatter could not produce an equivalent canonical file (file left alone)."""


# --- YAML instances -------------------------------------------------------------------------------


def _load(text: str) -> Any:
    return canonical_yaml().load(text)


def _dump(document: Any) -> str:
    buffer = io.StringIO()
    canonical_yaml().dump(document, buffer)
    return buffer.getvalue()


# --- the tree -------------------------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Stamp):
        normal = unicodedata.normalize("NFC", value)
        if normal != value:
            return type(value)(normal) if type(value) is not str else normal
    return value


def _reorder(mapping: CommentedMap, order: tuple[str, ...]) -> None:
    """Move keys into ``order``. A comment on a key's line moves with the key (ruamel
    keeps it by key); the comment lines after the mapping stay after it."""
    wanted = canonical_order(mapping, order)
    if wanted == list(mapping):
        return
    slots, index = _tail(mapping)
    token, trailer = slots[index], ""
    if token is not None:
        first, _, trailer = token.value.partition("\n")
        slots[index] = CommentToken(first + "\n", token.start_mark) if first else None
    for key in wanted:
        mapping.move_to_end(key)
    if trailer:
        slots, index = _tail(mapping)
        if slots[index] is None:
            slots[index] = CommentToken("\n" + trailer, CommentMark(0))
        else:
            slots[index].value = slots[index].value + trailer


def _tail(node: CommentedMap | CommentedSeq) -> tuple[list, int]:
    """The comment slot after the last scalar inside a non-empty collection."""
    key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value:
        return _tail(value)
    slot = 2 if isinstance(node, CommentedMap) else 0
    return node.ca.items.setdefault(key, [None, None, None, None]), slot


def _unflow(parent: CommentedMap | CommentedSeq, key: Any) -> None:
    """Before a flow collection becomes a block one, the comment written after it (kept
    by its parent) moves to its last item, so it does not end up between key and items."""
    child = parent[key]
    entry = parent.ca.items.get(key)
    slot = 2 if isinstance(parent, CommentedMap) else 0
    if not child or not child.fa.flow_style() or not entry or entry[slot] is None:
        return
    target, index = _tail(child)
    if target[index] is None:
        target[index], entry[slot] = entry[slot], None
        if child.ca.comment and child.ca.comment[0] is target[index]:
            child.ca.comment[0] = None


def _normalise(node: Any, order: tuple[str, ...] | None = None) -> Any:
    """NFC text, block style everywhere, nested mappings in ``order``; returns the node."""
    if isinstance(node, CommentedMap):
        for key in list(node):
            new_key = _nfc(key)
            if new_key != key:  # rename in place (rare: NFD in a key)
                position = list(node).index(key)
                node.insert(position, new_key, node.pop(key))
        keys: Iterable[Any] = list(node)
    elif isinstance(node, CommentedSeq):
        keys = range(len(node))
    else:
        return _nfc(node)
    for key in keys:
        if isinstance(node[key], CommentedMap | CommentedSeq):
            _unflow(node, key)
        node[key] = _normalise(node[key], order if isinstance(node, CommentedSeq) else None)
    if order is not None and isinstance(node, CommentedMap):
        _reorder(node, order)
    if node:
        node.fa.set_block_style()
    else:  # "[]" / "{}" (a block style would put the comment after it before it)
        node.fa.set_flow_style()
    return node


def _data(node: Any) -> Any:
    """The data a document holds, without key order, comments or layout."""
    if isinstance(node, dict):
        return {str(k): _data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_data(v) for v in node]
    if isinstance(node, str):
        return (isinstance(node, Stamp), str(node))
    return (type(node).__name__, repr(node))


def is_ordered(document: CommentedMap, kind: str) -> bool:
    """Whether the top level and the nested mappings are in the house order."""
    if list(document) != canonical_order(document, TOP_ORDER[kind]):
        return False
    for (where, key), order in NESTED_ORDER.items():
        value = document.get(key) if where == kind else None
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and list(item) != canonical_order(item, order):
                return False
    return True


# --- top-level blocks -----------------------------------------------------------------------------


def _is_loose(line: str) -> bool:
    """A blank line or a comment at column 0: it introduces what follows it."""
    return not line.strip() or line.startswith("#")


def _reorder_blocks(text: str, order: tuple[str, ...]) -> str:
    document = _load(text)
    keys = list(document)
    wanted = canonical_order(keys, order)
    if wanted == keys:
        return text
    lines = text.split("\n")
    final = lines.pop() if lines and lines[-1] == "" else None
    starts = [document.lc.key(k)[0] for k in keys] + [len(lines)]
    header = lines[: starts[0]]
    blocks: dict[Any, list[str]] = {}
    carried: list[str] = []  # loose lines that end one block introduce the next
    for index, key in enumerate(keys):
        body = lines[starts[index] : starts[index + 1]]
        cut = len(body)
        while cut > 1 and _is_loose(body[cut - 1]):
            cut -= 1
        blocks[key] = carried + body[:cut]
        carried = body[cut:]
    out = header + [line for key in wanted for line in blocks[key]] + carried
    if final is not None:
        out.append(final)
    return "\n".join(out)


# --- one text -------------------------------------------------------------------------------------


def format_text(text: str, kind: str) -> str:
    """The canonical form of a parsed-clean data file's text (no BOM; any line ending).

    Raises :class:`FormatRefused` when the result would not hold the same data.
    """
    eol = line_ending(text)
    source = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    document = _load(source)
    if not isinstance(document, CommentedMap):
        raise FormatRefused(M("fmt.refused.not_mapping"))
    expected = _data(_normalise(_load(source)))  # the same data, NFC
    for key in document:
        if isinstance(document[key], CommentedMap | CommentedSeq):
            _unflow(document, key)
        document[key] = _normalise(document[key], NESTED_ORDER.get((kind, key)))
    document.fa.set_block_style()
    order = TOP_ORDER[kind]
    try:
        result = _reorder_blocks(_dump(document), order)
    except YAMLError as exc:  # ruamel wrote what it cannot read (a NEL inside a comment)
        raise FormatRefused(M("fmt.refused.unparsable", detail=str(exc))) from None
    _check(result, expected, kind)
    return result.replace("\n", eol) if eol != "\n" else result


def _check(result: str, expected: Any, kind: str) -> None:
    """The formatted text must parse, hold the same data and be in order."""
    try:
        again = _load(result)
    except Exception as exc:  # a formatter bug; never write such a file
        raise FormatRefused(M("fmt.refused.unparsable", detail=str(exc))) from None
    if not isinstance(again, CommentedMap) or _data(again) != expected:
        raise FormatRefused(M("fmt.refused.changes_data"))
    if not is_ordered(again, kind):
        raise FormatRefused(M("fmt.refused.order"))


# --- recognising a canonical file cheaply ---------------------------------------------------------
#
# Most files are canonical already. For those, the round trip above (ruamel.yaml, pure Python)
# costs about a hundred times what libyaml takes to parse them. So first the file is read by
# the fast reader (nq57.io.fastyaml) and its plain data written out again in the canonical
# style by :func:`canonical_text`: when that gives the file's exact text, the file is canonical
# (and format_text would return it unchanged: tests/edit/test_fmt_fast.py). Anything this
# writer is not sure to write exactly as ruamel.yaml does (multi-line text, text needing
# double quotes, odd numbers, lists of lists) gives None; comments, blank lines, flow lists,
# other quoting, another key order or line ending make the texts differ. Either way the
# file goes through format_text.

_KEY_TEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FLOAT_TEXT = re.compile(r"-?[0-9]+\.[0-9]+")
# Characters ruamel.yaml writes only in double quotes, and line breaks (multi-line text):
# those outside \x20-\x7e \xa0-\u2027 \u202a-\ud7ff \ue000-\ufefe \uff00-\ufffd and the
# astral planes. Written as the short list of what is outside: a class of the wide ranges
# inside costs ~5 ms to compile, at every start (tests/edit/test_fmt_fast.py checks both).
_OUTSIDE = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
_NOT_SIMPLE = re.compile(f"[{_OUTSIDE}]")
# What keeps a one-line text from being written plain (ruamel's Emitter.analyze_scalar):
# document markers, an indicator first, ": " or " #", a space at either end.
_NOT_PLAIN = re.compile(r"\A(?:---|\.\.\.|[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |\Z)| )|:(?: |\Z)| #| \Z")
_STR_TAG = "tag:yaml.org,2002:str"
_STAMP_TAG = "tag:yaml.org,2002:timestamp"
_MAX_TEXT = 10_000  # far below the writer's line width (no folding)


def _implicit_resolvers() -> dict[str, list[tuple[str, Any]]]:
    """First character -> (tag, pattern) of the YAML 1.2 resolvers ruamel.yaml writes by."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, lazy, firsts in implicit_resolvers:
        if (1, 2) in versions:
            pattern = re.compile(lazy.pattern, lazy.flags)  # not ruamel's lazy wrapper
            for first in firsts:
                table.setdefault(first, []).append((tag, pattern))
    return table


_RESOLVERS = _implicit_resolvers()


def _resolves_to(text: str) -> str:
    for tag, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return _STR_TAG


# Text scalar -> its canonical form: the same statuses, agencies, dates and ids come back in
# file after file (at 3,000 tasks about 6 in 7 of the texts written were seen before).
_TEXTS: dict[str, str | None] = {}
_TEXTS_MAX = 200_000  # bounds the memory of a run over many distinct long texts


def canonical_scalar(value: Any) -> str | None:
    """A scalar as the canonical writer writes it, or None when not sure."""
    kind = type(value)
    if kind is str:
        try:
            return _TEXTS[value]
        except KeyError:
            text = _canonical_text_scalar(value)
            if len(_TEXTS) < _TEXTS_MAX:
                _TEXTS[value] = text
            return text
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        text = repr(value)
        return text if _FLOAT_TEXT.fullmatch(text) else None
    return None


def _canonical_text_scalar(value: str) -> str | None:
    if len(value) > _MAX_TEXT or _NOT_SIMPLE.search(value):
        return None
    if not unicodedata.is_normalized("NFC", value):
        return None
    tag = _resolves_to(value)
    if tag == _STAMP_TAG or (tag == _STR_TAG and not _NOT_PLAIN.search(value)):
        return value  # a date-like text is a Stamp when written plain: kept plain
    return None if "'" in value else f"'{value}'"


def _in_order(keys: Iterable[str], rank: dict[str, int]) -> bool:
    """Whether ``keys`` equal ``canonical_order(keys, order)`` (``rank``: order's positions)."""
    last, unknown = -1, False
    for key in keys:
        place = rank.get(key)
        if place is None:
            unknown = True
        elif unknown or place < last:
            return False
        else:
            last = place
    return True


def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    return {key: place for place, key in enumerate(order)}


_TOP_RANK = {kind: _ranks(order) for kind, order in TOP_ORDER.items()}
_NESTED_RANK = {where: _ranks(order) for where, order in NESTED_ORDER.items()}


_PLAIN_KEYS: set[str] = set()  # keys seen to be written plain (the same few, again and again)


def _plain_key(key: str) -> bool:
    if key in _PLAIN_KEYS:
        return True
    if _KEY_TEXT.fullmatch(key) and _resolves_to(key) == _STR_TAG:
        _PLAIN_KEYS.add(key)
        return True
    return False


def _mapping_lines(mapping: dict, indent: str, out: list[str]) -> bool:
    for key, value in mapping.items():
        if not _plain_key(key):
            return False
        if isinstance(value, dict | list):
            if not value:
                out.append(f"{indent}{key}: {'{}' if isinstance(value, dict) else '[]'}")
                continue
            out.append(f"{indent}{key}:")
            writer = _mapping_lines if isinstance(value, dict) else _sequence_lines
            if not writer(value, indent + "  ", out):
                return False
            continue
        text = canonical_scalar(value)
        if text is None:
            return False
        out.append(f"{indent}{key}: {text}")
    return True


def _sequence_lines(items: list, indent: str, out: list[str]) -> bool:
    for item in items:
        if isinstance(item, dict) and item:
            first = len(out)
            if not _mapping_lines(item, indent + "  ", out):
                return False
            out[first] = f"{indent}- {out[first][len(indent) + 2 :]}"
            continue
        if isinstance(item, list) and item:
            return False  # a list in a list: ruamel's layout of it is not reproduced here
        if isinstance(item, dict | list):
            text: str | None = "{}" if isinstance(item, dict) else "[]"
        else:
            text = canonical_scalar(item)
        if text is None:
            return False
        out.append(f"{indent}- {text}")
    return True


def canonical_text(document: Any, kind: str) -> str | None:
    """The canonical text of a file whose plain data (fast reader) is ``document``, when
    it has no comments and this writer is sure of every scalar; None otherwise."""
    if not isinstance(document, dict) or not document or kind not in TOP_ORDER:
        return None
    if not _in_order(document, _TOP_RANK[kind]):
        return None
    for key, value in document.items():
        rank = _NESTED_RANK.get((kind, key))
        if rank is None:
            continue
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, dict) and not _in_order(item, rank) for item in items):
            return None
    out: list[str] = []
    if not _mapping_lines(document, "", out):
        return None
    out.append("")
    return "\n".join(out)


# A file header: comment lines at the top (a schema modeline, "GENERATED by ..."), which
# format_text keeps as they are.
_HEADER = re.compile(f"(?:#[^{_OUTSIDE}]*\n)*")


def is_canonical(source: SourceFile, raw: bytes, text: str) -> bool:
    """Whether a file the fast reader read (``source.rt`` is None) is canonical: its text
    is exactly what :func:`canonical_text` writes for its data, below an optional header
    of comment lines (no BOM, ``\\n`` line endings)."""
    if source.rt is not None or raw.startswith(BOM_BYTES):
        return False
    body = text
    if text.startswith("#"):
        header = _HEADER.match(text)
        if header is None or not unicodedata.is_normalized("NFC", header.group()):
            return False
        body = text[header.end() :]
    return canonical_text(source.document, source.kind) == body


# --- files ----------------------------------------------------------------------------------------


@dataclass
class FileResult:
    """One data file: what it holds and what it should hold."""

    source: SourceFile
    before: bytes = b""
    after: bytes | None = None  # None: refused (see diagnostics and reason)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reason: str = ""  # why it was refused, when that is not a data diagnostic

    @property
    def display(self) -> str:
        return self.source.display

    @property
    def refused(self) -> bool:
        return self.after is None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


def _refuse(result: FileResult, code: str, message: Message) -> FileResult:
    result.diagnostics.append(Diagnostic(result.display, 0, 0, code, message))
    return result


def format_bytes(source: SourceFile, raw: bytes) -> FileResult:
    """The canonical bytes of one file, or the reasons it cannot be formatted."""
    result = FileResult(source, raw)
    probe = SourceFile(source.path, source.display, source.kind, source.expected_id)
    text = parse_bytes(probe, raw)  # the fast reader first
    if text is not None and not probe.diagnostics and is_canonical(probe, raw, text):
        result.after = raw
        return result
    if probe.rt is None:  # what format_text reads, ruamel.yaml must have accepted
        probe = SourceFile(source.path, source.display, source.kind, source.expected_id)
        text = parse_bytes(probe, raw, fast=False)
    errors = [d for d in probe.diagnostics if d.is_error]
    if errors or text is None:
        result.diagnostics = errors
        return result
    try:
        result.after = format_text(text, source.kind).encode("utf-8")
    except FormatRefused as exc:
        result.reason = t("fmt.left_alone", problem=exc)
        return result
    return result


def data_files(folders: list[Path], paths: list[Path] | None = None) -> list[SourceFile]:
    """The YAML files of the data folders that the loader reads, limited to ``paths``
    (files or folders; paths outside the data folders select nothing)."""
    return find_files(folders, paths)[0]


def find_files(
    folders: list[Path], paths: list[Path] | None = None
) -> tuple[list[SourceFile], list[Diagnostic]]:
    """:func:`data_files`, and the entries of the data folders that cannot be read (E108:
    a broken symlink, one that leads outside, a folder that cannot be listed), as
    ``validate`` reports them: a file fmt cannot read must not pass ``--check``."""
    found: list[SourceFile] = []
    unreadable: list[Diagnostic] = []
    for folder in folders:
        files, problems = discover(folder)
        found += files
        unreadable += [d for d in problems if d.code == "E108"]
    if not paths:
        return found, unreadable
    wanted = [Path(os.path.realpath(p)) for p in paths]

    def selected(real: Path) -> bool:
        return any(real == w or w in real.parents for w in wanted)

    return (
        [s for s in found if selected(Path(os.path.realpath(s.path)))],
        [d for d in unreadable if selected(Path(os.path.abspath(d.path)))],
    )


Warn = Callable[[str], None]


def format_file(source: SourceFile, *, write: bool, warn: Warn | None = None) -> FileResult:
    """Format one file; with ``write``, replace it atomically when it changes.

    The write happens under the edit commands' lock, on the file as re-read under it."""
    probe = SourceFile(source.path, source.display, source.kind, source.expected_id)
    raw = read_raw(probe)
    if raw is None:  # too large (not even read) or unreadable
        return FileResult(source, diagnostics=probe.diagnostics)
    result = format_bytes(source, raw)
    if not (write and result.changed):
        return result
    real = Path(os.path.realpath(source.path))  # a symlinked file is written where it is
    try:
        with FileLock(real, source.display, warn=warn):
            result = format_bytes(source, real.read_bytes())
            if result.changed:
                atomic_write(real, result.after or b"")
    except EditError as exc:
        return FileResult(source, result.before, reason=str(exc))
    except OSError as exc:
        reason = t("fmt.cannot_write", reason=exc.strerror or exc)
        return FileResult(source, result.before, reason=reason)
    return result


def diff(result: FileResult) -> str:
    """A unified diff of what formatting changes (empty when nothing)."""
    if not result.changed:
        return ""
    before = result.before.decode("utf-8", errors="replace")
    after = (result.after or b"").decode("utf-8")
    notes = []
    if before.startswith(BOM):
        notes.append("# " + t("fmt.bom_removed", path=result.display) + "\n")
        before = before[1:]
    lines = difflib.unified_diff(
        _LINE.findall(before),
        _LINE.findall(after),
        fromfile=f"{result.display}",
        tofile=f"{result.display} (nq57 fmt)",
    )
    text = "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        for line in lines
    )
    return "".join(notes) + text
