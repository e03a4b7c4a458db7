"""Files -> parsed YAML documents with positions.

The loader finds the entity files of a data folder, reads them defensively
(encoding, BOM, tabs, merge-conflict markers, size, aliases) and parses them
with ruamel.yaml's round-trip loader, which keeps the line and column of every
key and value so later stages can point at the exact place of a problem.
It never raises for bad input: every problem becomes a :class:`Diagnostic`.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from nq57.diagnostics import Diagnostic
from nq57.i18n import M, Message
from nq57.io.listing import ENTITY_FOLDERS as ENTITY_FOLDERS
from nq57.io.listing import DataFolderNotFound, find_data_dir, is_data_dir
from nq57.io.yamlio import MAX_DEPTH, AliasFound, TagFound, checked_yaml

# The largest file in data/ is 36 KB (agencies.yaml), the largest task 8.3 KB; ten years of
# weekly updates make ~50 KB. 1 MB leaves 100x room and bounds an edit's work (five libyaml
# passes and two model checks: ~2 s at 1 MB on a busy 2-core machine; 5 MB took ~15 s).
MAX_FILE_BYTES = 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
# Characters YAML forbids in a document (C0 controls but tab/LF/CR, DEL, C1 but NEL).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]")
_LINES = re.compile(r"\r\n|\r|\n")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(\s|$)")


_PARSE = ("document", "text", "rt", "tree", "top")  # what a read adds to a SourceFile


@dataclass
class SourceFile:
    """One YAML file as read from disk."""

    path: Path
    display: str  # the path as shown in diagnostics
    kind: str  # "decision" | "task" | "kpi" | "agencies"
    expected_id: str | None  # id implied by the path (None for agencies.yaml)
    document: Any = None  # parsed YAML as plain data, or None when unusable
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None  # the decoded text, while it is at hand
    rt: Any = field(default=None, repr=False)  # ruamel document, when that reader was used
    tree: Any = field(default=None, repr=False)  # libyaml node tree, built on first locate
    rel: str = ""  # path relative to the data folder, '/'-separated (cache key)
    top: dict[str, Any] | None = field(
        default=None, repr=False
    )  # top-level key positions, on demand

    def locate(self, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of a field path. Positions are looked up only for
        the few places that have a problem, from the text (read again if needed)."""
        if self.rt is not None:
            return position(self.rt, loc, key=key)
        if self.text is None:
            try:
                self.text = self.path.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return 1, 1
        if len(loc) == 1 and isinstance(loc[0], str):
            if self.top is None:
                self.top = {}
            found = self.top.get(loc[0], False)
            if found is False:
                found = self.top[loc[0]] = top_level_position(self.text, loc[0])
            if found is not None:
                return (found[0], 1) if key else found
        try:
            from nq57.io import fastyaml

            if self.tree is None:
                self.tree = fastyaml.compose(self.text)
            return fastyaml.locate(self.text, loc, key=key, tree=self.tree)
        except Exception:  # libyaml refused what ruamel accepted: ask ruamel
            try:
                self.rt = checked_yaml().load(self.text)
                return position(self.rt, loc, key=key)
            except Exception:
                return 1, 1

    def portable(self) -> tuple[Any, list[tuple[int, int, str, Message | str]]]:
        """What a worker process or the cache keeps of a read: data and diagnostics."""
        return self.document, [(d.line, d.column, d.code, d.message) for d in self.diagnostics]

    def restore(
        self, document: Any, diagnostics: list[tuple[int, int, str, Message | str]]
    ) -> None:
        self.document = document
        self.diagnostics = [Diagnostic(self.display, *d) for d in diagnostics]

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for a worker or a snapshot) without the parse: it is large and
        was already turned into a model; positions are looked up again if needed."""
        return {**self.__dict__, **dict.fromkeys(_PARSE)}

    def release(self) -> None:
        """Let go of the parse once the model is built and checked (what a snapshot keeps:
        see ``__getstate__``); positions are looked up again from the file if needed."""
        for name in _PARSE:
            setattr(self, name, None)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(d.is_error for d in self.diagnostics)

    def where(self) -> str:
        """The file's path as text (for system calls: no Path object is built)."""
        path = self.__dict__["path"]
        return path if path.__class__ is str else os.fspath(path)


class _PathField:
    """``SourceFile.path`` is always a Path, but :func:`discover` may give it as text:
    the Path is built when first asked for. (A run that reads every file and reports on
    them needs no Path at all; building 31,000 cost 0.1 s.)"""

    def __get__(self, source: SourceFile | None, owner: type | None = None) -> Any:
        if source is None:
            return self
        path = source.__dict__["path"]
        if path.__class__ is str:
            path = source.__dict__["path"] = Path(path)
        return path

    def __set__(self, source: SourceFile, path: Path | str) -> None:
        source.__dict__["path"] = path


SourceFile.path = _PathField()  # type: ignore[assignment]  # (after @dataclass: no default)


def nearest_data_dir(folder: Path) -> Path | None:
    """The data folder a user probably meant by one that is not: its ``data/`` child,
    the nearest enclosing data folder (``data`` for ``data/tasks``), another child, or
    the ``./data`` of the folder or its nearest parent."""
    here = folder.resolve()
    if is_data_dir(here / "data"):
        return here / "data"
    enclosing = next((p for p in here.parents if is_data_dir(p)), None)
    if enclosing is not None:
        return enclosing
    try:
        children = sorted(p for p in here.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        children = []
    child = next((p for p in children if is_data_dir(p)), None)
    if child is not None:
        return child
    try:
        return find_data_dir(here)
    except DataFolderNotFound:
        return None


def display_path(path: Path, base: Path | None = None) -> str:
    """A path relative to the current folder when possible, else absolute."""
    if not path.is_absolute() and base is None:
        return str(path)  # already relative to the current folder, as the user gave it
    base = base or Path.cwd()
    try:
        return os.path.relpath(path, base) if _is_relative(path, base) else str(path)
    except ValueError:  # different drives on Windows
        return str(path)


def _is_relative(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop
        return False


_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def discover(data_dir: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """All entity files of a data folder, in a stable order, plus stray-file warnings."""
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    root = data_dir.resolve()
    # Paths are handled as strings and display paths built from the folder's once:
    # resolving or re-parsing each file's path costs more than parsing the file.
    root_shown = display_path(data_dir)
    agencies = data_dir / "agencies.yaml"
    if agencies.is_file():
        files.append(
            SourceFile(agencies, display_path(agencies), "agencies", None, rel="agencies.yaml")
        )
    for folder, kind in (("decisions", "decision"), ("tasks", "task"), ("kpis", "kpi")):
        base = os.path.join(str(data_dir), folder)
        if not os.path.isdir(base):
            continue
        # each folder's path and display path, built once for all its files; the files'
        # paths are given as text (see _PathField)
        parents: dict[tuple[str, ...], tuple[str, str]] = {}
        for rel, is_link in sorted(_walk(base, problems)):
            parent = parents.get(rel[:-1])
            if parent is None:  # (each ends in a separator: joined to a name by "+")
                parent = parents[rel[:-1]] = (
                    os.path.join(Path(base, *rel[:-1]), ""),  # normalised as a Path would be
                    os.path.join(root_shown, folder, *rel[:-1], ""),
                )
            shown = parent[1] + rel[-1]
            problem = _placement_problem(base, rel, is_link, kind, folder, root)
            if problem is not None:
                problems.append(Diagnostic(shown, 0, 0, *problem))
                continue
            stem = rel[-1].rsplit(".", 1)[0]
            expected = "/".join((*rel[:-1], stem))
            source = SourceFile(parent[0] + rel[-1], shown, kind, expected)  # type: ignore[arg-type]  # text: a Path when asked
            source.rel = "/".join((folder, *rel))
            files.append(source)
    return files, problems


def _placement_problem(
    base: str, rel: tuple[str, ...], is_link: bool, kind: str, folder: str, root: Path
) -> tuple[str, Message] | None:
    """Why a file found under an entity folder cannot be read as an entity, if it cannot."""
    name = rel[-1]
    if not name.endswith(YAML_SUFFIXES):
        return "W208", M("diag.not_yaml")
    if is_link:
        path = Path(base, *rel)
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "E108", M("diag.symlink_broken")
        if not _is_relative(path, root):
            return "E108", M("diag.symlink_outside")
    parts = (*rel[:-1], name.rsplit(".", 1)[0])
    bad = next((part for part in parts if not _KEY.match(part)), None)
    if bad is not None:
        return "E126", M("diag.bad_id_part", part=bad)
    if len(rel) != (1 if kind == "decision" else 2):
        where = f"{folder}/<ID>.yaml" if kind == "decision" else f"{folder}/<DECISION>/<KEY>.yaml"
        return "E126", M(_MISPLACED[kind], where=where)
    return None


_MISPLACED = {
    "decision": "diag.misplaced_decision",
    "task": "diag.misplaced_task",
    "kpi": "diag.misplaced_kpi",
}


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk(
    base: str, problems: list[Diagnostic], rel: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], bool]]:
    """(relative parts, is a symlink) of the files below base. Symlinked folders are not
    followed (no loops); folders that cannot be listed are reported, not skipped."""
    folder = os.path.join(base, *rel)
    try:
        with os.scandir(folder) as entries:
            listing = sorted(entries, key=lambda e: e.name)
    except OSError as error:
        problems.append(
            Diagnostic(
                display_path(Path(folder)),
                0,
                0,
                "E108",
                M("diag.cannot_read_folder", reason=str(error.strerror or error)),
            )
        )
        return
    for entry in listing:
        name = entry.name
        if name.startswith("."):
            continue
        is_link = entry.is_symlink()
        if is_link and _is_dir(entry):
            continue  # symlinked folders are not followed (as before: no loops)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(base, problems, (*rel, name))
        elif not name.endswith(".lock"):  # the edit commands' lock files are not data
            yield (*rel, name), is_link


def read(source: SourceFile) -> SourceFile:
    """Read and parse one file; problems go to ``source.diagnostics``."""
    raw = read_raw(source)
    if raw is not None:
        parse_bytes(source, raw)
    return source


# The one read path (loading, editing and fmt all use it):
#   read_raw (size check, read) -> parse_bytes (size check, decode)
#   -> parse_text (prescan, parse).


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def read_raw(source: SourceFile) -> bytes | None:
    """The file's bytes, or None (with E107/E108) when it is too large or unreadable;
    a file over the size limit is not even read. (Plain system calls: pathlib's
    stat and read_bytes took twice as long, a tenth of a large data set's parse.)"""
    try:
        fd = os.open(source.where(), _READ_FLAGS)
        try:
            size = os.fstat(fd).st_size
            if size > MAX_FILE_BYTES:
                source.diagnostics.append(_too_large(source))
                return None
            raw = os.read(fd, size + 1)
            if len(raw) != size:  # changed since fstat (or a short read): read to the end
                chunks = [raw]
                while chunk := os.read(fd, 1 << 16):
                    chunks.append(chunk)
                raw = b"".join(chunks)
            return raw
        finally:
            os.close(fd)
    except OSError as exc:
        source.diagnostics.append(
            _diag(source, 0, 0, "E108", M("diag.cannot_read_file", reason=str(exc.strerror or exc)))
        )
        return None


def parse_bytes(source: SourceFile, raw: bytes, *, fast: bool = True) -> str | None:
    """Size check and decoding, then :func:`parse_text`. The decoded text, or None
    when the bytes are unusable (the reasons are in ``source.diagnostics``)."""
    if len(raw) > MAX_FILE_BYTES:
        source.diagnostics.append(_too_large(source))
        return None
    text = decode(source, raw)
    if text is None:
        return None
    parse_text(source, text, fast=fast, raw=raw[3:] if raw.startswith(_BOM) else raw)
    return text


def parse_text(
    source: SourceFile, text: str, *, fast: bool = True, raw: bytes | None = None
) -> None:
    """Prescan and parse decoded text into ``source.document`` (plain data, or None).

    With ``fast`` a file with nothing doubtful in it is read by the libyaml reader
    (see :mod:`nq57.io.fastyaml`); otherwise, and for anything odd, ruamel.yaml reads
    it, words the errors and keeps positions (``source.rt``). ``raw``: the text's UTF-8
    bytes, when at hand."""
    if not prescan(source, text, raw):
        return
    document = fast_load(text, raw) if fast else None
    if isinstance(document, dict):
        source.document, source.text = document, text
    else:  # errors, odd constructs, non-mappings: the round-trip loader decides and words it
        source.rt = parse_yaml(source, text)
        source.document = to_plain(source.rt) if source.rt is not None else None
    if source.document is not None and "\\" in text and ("\\u" in text or "\\U" in text):
        refuse_surrogates(source)


def fast_load(text: str, raw: bytes | None = None) -> Any:
    """The libyaml reader's result, or None when it leaves the text to ruamel.yaml."""
    from nq57.io import fastyaml  # libyaml is not even imported when a snapshot answers

    try:
        return fastyaml.load(text, raw)
    except fastyaml.Unsupported:
        return None


def line_ending(text: str) -> str:
    """The file's line ending: that of its first line ("\\n" when it has none)."""
    match = _LINES.search(text)
    return match.group(0) if match else "\n"


def _too_large(source: SourceFile) -> Diagnostic:
    return _diag(source, 0, 0, "E107", M("diag.too_large", mb=MAX_FILE_BYTES // (1024 * 1024)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_at(node: Any, loc: tuple[Any, ...] = ()) -> tuple[tuple[Any, ...], str] | None:
    """(path, character) of the first text holding half a UTF-16 pair, in keys or values."""
    if isinstance(node, str):
        found = _SURROGATE.search(node)
        return (loc, found.group()) if found else None
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        if isinstance(key, str) and (half := _SURROGATE.search(key)):
            return (*loc, key), half.group()
        hit = _surrogate_at(value, (*loc, key))
        if hit is not None:
            return hit
    return None


def refuse_surrogates(source: SourceFile) -> None:
    """A ``\\uDCC4`` escape is half a character (what a wrong locale makes of "Đ"): the
    text is damaged and cannot be written out as UTF-8. The file is refused (E104)."""
    hit = _surrogate_at(source.document)
    if hit is None:
        return
    loc, char = hit
    line, col = source.locate(loc)
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    message = M("diag.lone_surrogate", field=field, char=f"U+{ord(char):04X}")
    source.diagnostics.append(_diag(source, line, col, "E104", message))
    source.document = None


_BOM = b"\xef\xbb\xbf"


def decode(source: SourceFile, raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        source.diagnostics.append(_diag(source, 1, 1, "E104", M("diag.utf16")))
        return None
    if raw.startswith(_BOM):
        source.diagnostics.append(_diag(source, 1, 1, "W207", M("diag.bom")))
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        source.diagnostics.append(
            _diag(source, line, col, "E104", M("diag.not_utf8", byte=f"0x{raw[exc.start]:02X}"))
        )
        return None


_SUSPECT_CHARS = ("\t", "<", "=", ">")  # one of them is in what _SUSPECT matches, but _CONTROL
_SUSPECT = re.compile(
    r"^(?:<{7}|={7}|>{7})|^[ ]*\t|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]",
    re.M,
)
# The bytes that are not C0 controls (but tab and line breaks) nor DEL. In UTF-8 the
# other characters _CONTROL finds start with 0xC2 (U+0080-U+009F) or 0xEF (U+FFFE, U+FFFF).
_NOT_C0 = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F or b in b"\t\n\r")


def _maybe_control(text: str, raw: bytes | None) -> bool:
    """True when ``_CONTROL`` matches the text (and sometimes when not). From the text's
    UTF-8 bytes, when given: one table pass and two byte searches instead of a
    character-class scan of the text (three times faster)."""
    if raw is None:
        return _CONTROL.search(text) is not None
    return bool(raw.translate(None, _NOT_C0)) or b"\xc2" in raw or b"\xef" in raw


def prescan(source: SourceFile, text: str, raw: bytes | None = None) -> bool:
    """Line-level problems YAML parsers report badly. False if the file is unusable.
    ``raw``: the text's UTF-8 bytes, when at hand."""
    if not any(c in text for c in _SUSPECT_CHARS) and not _maybe_control(text, raw):
        return True  # character tests and a byte scan: one of them finds what _SUSPECT does
    if not _SUSPECT.search(text):  # one regex pass; the line loop only on a hit
        return True
    ok = True
    # YAML breaks lines only at \n, \r\n and \r (str.splitlines would also split at
    # Word's soft break \x0b and friends and shift every line number after it).
    for number, line in enumerate(_LINES.split(text), start=1):
        if _CONFLICT.match(line):
            source.diagnostics.append(_diag(source, number, 1, "E103", M("diag.merge_conflict")))
            ok = False
            continue
        bad = _CONTROL.search(line)
        if bad:
            source.diagnostics.append(
                _diag(
                    source,
                    number,
                    bad.start() + 1,
                    "E100",
                    M("diag.control_char", char=f"U+{ord(bad.group()):04X}"),
                )
            )
            ok = False
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            source.diagnostics.append(
                _diag(source, number, line.index("\t") + 1, "E101", M("diag.tab_indent"))
            )
            ok = False
    return ok


def parse_yaml(source: SourceFile, text: str) -> Any:
    try:
        document = checked_yaml().load(text)
    except AliasFound as exc:
        line, col = _mark(exc.mark)
        source.diagnostics.append(_diag(source, line, col, "E106", M("diag.alias")))
        return None
    except TagFound as exc:
        line, col = _mark(exc.mark)
        source.diagnostics.append(_diag(source, line, col, "E100", M("diag.tag", tag=exc.tag)))
        return None
    except DuplicateKeyError as exc:
        line, col = _mark(exc.problem_mark)
        key = re.search(r'found duplicate key "([^"]*)"', str(exc))
        first = (
            _first_definition(text, key.group(1) if key else "", line) or _mark(exc.context_mark)[0]
        )
        source.diagnostics.append(
            _diag(
                source,
                line,
                col,
                "E102",
                M("diag.duplicate_key", key=key.group(1), first=first)
                if key
                else M("diag.duplicate_key_unnamed", first=first),
            )
        )
        return None
    except MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        # For an unclosed quote or a missing ':' the problem mark is where the parser
        # gave up (often the next line); the context mark is where the trouble started.
        starts_earlier = any(p in problem for p in ("end of stream", "expected ':'"))
        mark = (
            (exc.context_mark if starts_earlier else None) or exc.problem_mark or exc.context_mark
        )
        line, col = _mark(mark)
        problem = " ".join(problem.split())  # one diagnostic, one line
        if "maximum depth" in problem:
            problem = M("diag.nested_levels", depth=MAX_DEPTH)
        source.diagnostics.append(
            _diag(source, line, col, "E100", M("diag.yaml_syntax", problem=yaml_problem(problem)))
        )
        return None
    except Exception as exc:  # the parser on untrusted input: never let it crash the run
        message = M("diag.too_deep") if isinstance(exc, RecursionError) else str(exc)
        message = message if isinstance(message, Message) else " ".join(message.split())
        source.diagnostics.append(
            _diag(source, 1, 1, "E100", M("diag.yaml_syntax", problem=message))
        )
        return None
    if document is None:
        source.diagnostics.append(_diag(source, 1, 1, "E105", M("diag.empty_file")))
        return None
    if not isinstance(document, CommentedMap):
        what = (
            M("diag.top_level_list")
            if isinstance(document, list)
            else M("diag.top_level_value", type=type(document).__name__)
        )
        source.diagnostics.append(_diag(source, 1, 1, "E105", what))
        return None
    return document


def _first_definition(text: str, key: str, before: int) -> int | None:
    """Line of the first ``key:`` at the same indentation as the duplicate on ``before``."""
    lines = _LINES.split(text)
    if not key or before - 1 >= len(lines):
        return None
    indent = len(lines[before - 1]) - len(lines[before - 1].lstrip(" -"))
    pattern = re.compile(rf"^[ -]{{{indent}}}['\"]?{re.escape(key)}['\"]?\s*:")
    return next((n for n, line in enumerate(lines[: before - 1], 1) if pattern.match(line)), None)


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _diag(source: SourceFile, line: int, col: int, code: str, message: Message) -> Diagnostic:
    return Diagnostic(source.display, line, col, code, message)


# The parser's (English) wording of the commonest syntax errors -> catalogue texts.
_YAML_PROBLEMS = (
    (re.compile(r"could not find expected ':'"), "diag.yaml.expected_colon"),
    (re.compile(r"mapping values are not allowed here"), "diag.yaml.mapping_not_allowed"),
    (re.compile(r"found unexpected end of stream"), "diag.yaml.unexpected_end"),
    (re.compile(r"found character '\\t' that cannot start any token"), "diag.yaml.tab"),
    (
        re.compile(r"found character '(?P<char>.+)' that cannot start any token"),
        "diag.yaml.bad_start",
    ),
    (re.compile(r"expected ',' or '\]', but got '(?P<found>.*)'"), "diag.yaml.unclosed_sequence"),
    (re.compile(r"expected ',' or '\}', but got '(?P<found>.*)'"), "diag.yaml.unclosed_mapping"),
    (re.compile(r"expected <block end>, but found '(?P<found>.*)'"), "diag.yaml.block_end"),
)


def yaml_problem(problem: str | Message) -> str | Message:
    """The parser's words for a syntax error, in the catalogue's words when known."""
    if isinstance(problem, str):
        for pattern, key in _YAML_PROBLEMS:
            found = pattern.fullmatch(problem)
            if found:
                return M(key, **found.groupdict())
    return problem


_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*):[ ]+(?=[^\s#])")


def top_level_index(text: str) -> dict[str, tuple[int, int]] | None:
    """``name -> (line, value column)`` of top-level ``name: value`` lines, first one
    wins; one pass over the text. None when the text's line ends are old-Mac ``\r``."""
    if text.count("\r") != text.count("\r\n"):  # let the parser count those lines
        return None
    index: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        found = _TOP_KEY.match(line)
        if found and found.group(1) not in index:
            index[found.group(1)] = (number, found.end() + 1)
    return index


_NAME = re.compile(r"[A-Za-z_][\w-]*")


@functools.lru_cache(maxsize=256)
def _top_key(name: str) -> re.Pattern[str] | None:
    """The search for a top-level ``name: value`` line (thousands of warnings share a few
    names: each pattern is built once)."""
    if not _NAME.fullmatch(name):
        return None
    return re.compile(rf"^{re.escape(name)}:[ ]+(?=[^\s#])", re.M)


def top_level_position(text: str, name: str) -> tuple[int, int] | None:
    """``top_level_index(text).get(name)``, found by one search for that name."""
    pattern = _top_key(name)
    if pattern is None or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None
    found = pattern.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, found.end() - found.start() + 1


def _keys(node: CommentedMap) -> dict[str, Any]:
    return {key_text(k): k for k in node}


def position(document: Any, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at ``loc`` in a parsed document.

    With ``key=True`` the position of the last key itself (for unknown fields).
    Falls back to the nearest enclosing node that has a position.
    """
    line, col = 1, 1
    node = document
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        try:
            if isinstance(node, CommentedMap) and (part in node or part in _keys(node)):
                part = part if part in node else _keys(node)[part]
                pos = node.lc.key(part) if (key and last) else node.lc.value(part)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                pos = node.lc.item(part)
                node = node[part]
            else:
                break
        except (KeyError, TypeError, AttributeError):
            break
        if pos and pos[0] is not None:
            line, col = pos[0] + 1, pos[1] + 1
    return line, col


def key_text(key: Any) -> str:
    """A mapping key as the user wrote it, for messages (``~`` for null, ``true``...)."""
    if isinstance(key, str):
        return key
    if key is None:
        return "~"
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def to_plain(node: Any) -> Any:
    """ruamel containers -> plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {key_text(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, ScalarBoolean):
        return bool(node)
    if node.__class__.__module__.startswith("ruamel"):
        # ScalarString, ScalarFloat, ScalarInt, TimeStamp ...
        for base in (str, int, float):
            if isinstance(node, base):
                return base(node)
    return node
