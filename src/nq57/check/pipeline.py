"""Parsed files -> validated models, gathered into one :class:`DataSet`.

Files that cannot be read or do not match the format are left out of the data
set (and listed), so commands can report on the valid rest; files with cross-file
errors (a dangling link, a cycle) stay in and are listed too. Cross-file rules
are applied by :mod:`nq57.check.rules`.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from nq57.check import snapshot
from nq57.check.rules import run_checks, run_warning_checks
from nq57.diagnostics import Diagnostic
from nq57.i18n import M, Message, has
from nq57.io.cache import ParseCache, file_key
from nq57.io.loader import SourceFile, discover, read
from nq57.model.agencies import AgencyIndex
from nq57.model.config import repository_org
from nq57.model.dataset import DataSet
from nq57.model.entities import MODELS, AgencyRegistry, Decision, Kpi, Task

# below this, starting worker processes costs more than it saves (used without yaml_rs only)
PARALLEL_MIN_FILES = 2000
MAX_UNKNOWN = 20  # unknown fields reported one by one per file


def load(data_dirs: list[Path], *, use_cache: bool = True, warnings: bool = True) -> DataSet:
    """Read, parse and validate every file of the given data folders.

    ``use_cache`` reuses the whole data set when no file changed (see
    :mod:`nq57.check.snapshot`), else the parses of unchanged files (see :mod:`nq57.io.cache`);
    ``warnings=False`` skips the warning-only checks (for reports, which list
    invalid files but not "5 rõ" gaps). Results never depend on either.
    """

    # Tens of thousands of small objects that all live until the end: the cyclic garbage
    # collector would rescan them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if not (use_cache and snapshot.ENABLED):
            return _load(data_dirs, use_cache, warnings)[0]
        snap = snapshot.Snapshot(list(data_dirs), warnings)  # key taken before reading
        data = snap.restore()
        if data is None:
            data, warning_only = _load(data_dirs, use_cache, warnings)
            snap.save(data, warning_only)
        return data
    finally:
        if collecting:
            gc.enable()


def _load(data_dirs: list[Path], use_cache: bool, warnings: bool) -> tuple[DataSet, set[int]]:
    """The data set, and the ids of its diagnostics from warning-only checks."""

    data = DataSet(roots=list(data_dirs))
    for root in data_dirs:
        files, problems = discover(root)
        data.diagnostics.extend(problems)
        cache = ParseCache(root) if use_cache else None
        _read_files(root, files, cache, keep_text=warnings)
        if cache is not None:
            cache.save()
            cache = None  # its entries refer to every document: they may go once validated
        for source in files:
            data.sources.append(source)
            if source.expected_id:
                data.known_ids.setdefault(source.kind, set()).add(source.expected_id)
    for source in data.sources:
        model = validate_document(source) if source.document is not None else None
        data.diagnostics.extend(source.diagnostics)
        if model is not None:
            _register(data, source, model)
        if not _read_by_checks(source, warnings):
            source.document = None  # the model stands for it from here on
            if source.rt is None and not warnings:
                # positions are looked up in the file, as after a snapshot (the warning
                # checks place thousands of warnings: reading those files again cost more)
                source.text = None
    data.agencies.home = repository_org(data_dirs)
    data.diagnostics.extend(run_checks(data, warnings=False))
    extra = run_warning_checks(data) if warnings else []
    data.diagnostics.extend(extra)
    data.diagnostics.sort(key=Diagnostic.sort_key)
    # Every check has read the documents: from here on a loaded data set is what a
    # restored snapshot is, models without their parse (a third of the memory).
    for source in data.sources:
        source.release()
    return data, {id(d) for d in extra}


def _read_by_checks(source: SourceFile, warnings: bool) -> bool:
    """Does a check after validation read this file's parse? The registry checks read
    agencies.yaml; the NFC check (a warning) every file not already known to be NFC, which
    it skips when the text is (so the parse of such a file may go now)."""
    if source.kind == "agencies":
        return True
    if not warnings:
        return False
    return source.text is None or not unicodedata.is_normalized("NFC", source.text)


def _read_files(
    root: Path, files: list[SourceFile], cache: ParseCache | None, *, keep_text: bool
) -> None:
    """Fill in each file's document and diagnostics: from the cache, else by parsing
    (in worker processes for large data sets without yaml_rs; results keep the files'
    order). ``keep_text``: keep each file's text for the warning checks (else it goes at
    once, as from a worker: the few positions needed are looked up in the file)."""
    keys = {}
    todo: list[SourceFile] = []
    for source in files:
        relpath = source.rel or source.path.relative_to(root).as_posix()
        key = file_key(source.path) if cache is not None else None
        hit = cache.get(relpath, key) if cache is not None else None
        if hit is not None:
            source.restore(*hit)
        else:
            keys[id(source)] = (relpath, key)
            todo.append(source)
    workers = min(os.cpu_count() or 1, 4)
    if len(todo) >= PARALLEL_MIN_FILES and workers > 1 and not _fast_parse() and _can_fork():
        chunk = max(50, len(todo) // (workers * 8))
        import multiprocessing  # here: a run served by the snapshot needs no workers
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            results = pool.map(_read_portable, todo, chunksize=chunk)
            for source, (document, diagnostics) in zip(todo, results, strict=True):
                source.restore(document, diagnostics)
    else:
        for source in todo:
            read(source)
            if not keep_text and source.rt is None:
                source.text = None
    if cache is not None:
        for source in todo:
            relpath, key = keys[id(source)]
            cache.put(relpath, key, *source.portable())


def _fast_parse() -> bool:
    """Is the Rust reader there? Then parsing is cheap enough that worker processes cost
    more than they save: pickling every document back to this process, their start-up
    and the checks' position lookups in files whose text stayed in a worker (at 30,000
    tasks, paired runs: 4.7 s CPU with 4 workers against 3.3 s in one process, and no
    faster on the clock on a 2-core machine; BENCHMARKS.md, "Fourth round")."""
    from nq57.io import fastyaml

    return fastyaml.USE_RUST


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _read_portable(source: SourceFile) -> tuple[Any, list[Any]]:
    return read(source).portable()


def _register(data: DataSet, source: SourceFile, model: BaseModel) -> None:
    if source.kind == "agencies":
        # Several repositories: one registry, the first folder's entry winning a name.
        data.registries.append(cast(AgencyRegistry, model))
        merged: dict[str, Any] = {}
        for registry in data.registries:
            for agency in registry.agencies:
                merged.setdefault(agency.name, agency)
        data.agencies = AgencyIndex.build(AgencyRegistry(agencies=list(merged.values())))
        return
    tables: dict[str, dict[str, Any]] = {
        "decision": data.decisions,
        "task": data.tasks,
        "kpi": data.kpis,
    }
    table = tables[source.kind]
    entity_id = cast("Decision | Task | Kpi", model).id  # the kinds that have an id
    if source.expected_id and entity_id != source.expected_id:
        line, col = source.locate(("id",))
        source_diag = Diagnostic(
            source.display,
            line,
            col,
            "E120",
            M("diag.id_mismatch", id=entity_id, expected=source.expected_id),
        )
        data.diagnostics.append(source_diag)
        return
    key = f"{source.kind}:{entity_id}"
    if key in data.files:
        first = data.files[key].display
        data.diagnostics.append(
            Diagnostic(
                source.display,
                1,
                1,
                "E121",
                M(_DUPLICATE_ID[source.kind], id=entity_id, first=first),
            )
        )
        return
    data.files[key] = source
    table[entity_id] = model


_DUPLICATE_ID = {
    "decision": "diag.duplicate_id_decision",
    "task": "diag.duplicate_id_task",
    "kpi": "diag.duplicate_id_kpi",
}


def validate_document(source: SourceFile) -> BaseModel | None:
    """Validate one parsed document against its model; diagnostics on failure."""
    model_cls = MODELS[source.kind]
    try:
        plain = source.document  # already plain data (see loader.read)
        # (model_validate, without its keyword handling: 31,000 calls cost 0.04 s more)
        return cast(BaseModel, model_cls.__pydantic_validator__.validate_python(plain))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A file of thousands of stray keys gets a readable report, not thousands of lines.
        unknown = [e for e in errors if e["type"] == "extra_forbidden"]
        shown = [e for e in errors if e["type"] != "extra_forbidden"] + unknown[:MAX_UNKNOWN]
        found = [_from_pydantic(source, model_cls, e) for e in shown]
        if len(unknown) > MAX_UNKNOWN:
            found.append(
                Diagnostic(
                    source.display,
                    1,
                    1,
                    "E110",
                    M("diag.more_unknown_fields", count=len(unknown) - MAX_UNKNOWN),
                )
            )
        source.diagnostics.extend(_merge_union_errors(found))
        return None
    except RecursionError:
        source.diagnostics.append(Diagnostic(source.display, 1, 1, "E100", M("diag.too_deep")))
        return None


_TYPE_NAMES = {
    "string": "diag.type.string",
    "int": "diag.type.int",
    "float": "diag.type.float",
    "list": "diag.type.list",
    "dict": "diag.type.mapping",
    "model": "diag.type.mapping",
    "model_attributes": "diag.type.mapping",
    "date": "diag.type.date",
    "bool": "diag.type.bool",
}


def _describe(value: Any) -> Message:
    if value is None:
        return M("diag.value.none")
    if isinstance(value, bool):
        return M("diag.value.bool", value=str(value).lower())
    if isinstance(value, int | float):
        return M("diag.value.number", value=value)
    if isinstance(value, str):
        return M("diag.value.text", value=value[:40])
    if isinstance(value, list):
        return M("diag.value.list")
    if isinstance(value, dict):
        return M("diag.value.mapping")
    return M("diag.value.other", type=type(value).__name__)


def _choices(expected: str) -> Message | str:
    """pydantic's "'a', 'b' or 'c'" (ctx of literal and enum errors) in our words."""
    items = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if len(items) < 2:
        return expected
    quoted = [f"'{item}'" for item in items]
    return M("diag.choices", items=", ".join(quoted[:-1]), last=quoted[-1])


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else (("." if parts else "") + str(part)))
    return "".join(parts) or "document"


def _allowed_fields(model_cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names valid at the mapping that contains ``loc``'s last key."""
    current: Any = model_cls
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fld = getattr(current, "model_fields", {}).get(part)
        if fld is None:
            return []
        current = _inner_model(fld.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


_BRANCHES = {"str", "int", "float", "bool", "constrained-str", "none"}


def _is_branch(part: object) -> bool:
    """Union branch names pydantic puts into error locations ('str', 'function-before[...]')."""
    return isinstance(part, str) and ("[" in part or part in _BRANCHES)


def _merge_union_errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One message per place: 'expected text, got ...' + 'expected a whole number' -> one."""
    merged: dict[tuple[Any, ...], Diagnostic] = {}
    for d in diagnostics:
        params = dict(d.message.params) if isinstance(d.message, Message) else {}
        key = (d.line, d.column, params.get("field", d.message))
        if key in merged and d.code == merged[key].code == "E112":
            first = merged[key]
            first_message = first.message
            assert isinstance(first_message, Message)  # E112 is always a catalogue message
            old = dict(first_message.params)
            both = {
                m.key: m for m in _alternatives(old["expected"]) + _alternatives(params["expected"])
            }
            if set(both) == {"diag.type.int", "diag.type.float"}:
                expected: Message = M("diag.type.float")
            else:
                names = [both[k] for k in sorted(both)]
                expected = names[0]
                for name in names[1:]:
                    expected = M("diag.type.either", first=expected, second=name)
            message = M(first_message.key, **{**old, "expected": expected})
            merged[key] = Diagnostic(d.path, d.line, d.column, d.code, message)
        elif key not in merged:
            merged[key] = d
    return list(merged.values())


def _alternatives(expected: Message) -> list[Message]:
    """The type names in an 'expected' field (one, or several joined by 'or')."""
    if expected.key == "diag.type.either":
        params = dict(expected.params)
        return _alternatives(params["first"]) + _alternatives(params["second"])
    return [expected]


def _from_pydantic(
    source: SourceFile, model_cls: type[BaseModel], error: Mapping[str, Any]
) -> Diagnostic:
    # Unions report one branch per error; keep only the field path.
    loc = tuple(p for p in error["loc"] if not _is_branch(p))
    kind = error["type"]
    name = _field_name(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        line, col = source.locate(loc, key=True)
        field_name = str(loc[-1]) if loc else "?"
        close = difflib.get_close_matches(field_name, _allowed_fields(model_cls, loc), n=1)
        message = (
            M("diag.unknown_field_hint", field=field_name, suggestion=close[0])
            if close
            else M("diag.unknown_field", field=field_name)
        )
        return Diagnostic(source.display, line, col, "E110", message)
    if kind == "missing":
        line, col = source.locate(loc[:-1])
        return Diagnostic(source.display, line, col, "E111", M("diag.missing_field", field=name))
    line, col = source.locate(loc)
    if kind in ("bad_date",) and has(ctx.get("key", "")):
        return Diagnostic(
            source.display, line, col, "E114", M("diag.field", field=name, problem=_own(ctx))
        )
    if kind.startswith("date_") and kind != "date_type":  # pydantic's own date parsing
        return Diagnostic(
            source.display, line, col, "E114", M("diag.date_not_iso", field=name, value=str(value))
        )
    if kind in _RANGES:
        limit = ctx.get(_RANGES[kind][1])
        return Diagnostic(
            source.display,
            line,
            col,
            "E115",
            M(_RANGES[kind][0], field=name, value=_describe(value), limit=limit),
        )
    if kind in ("literal_error", "enum"):
        allowed = _choices(str(ctx.get("expected", "")))
        return Diagnostic(
            source.display,
            line,
            col,
            "E113",
            M("diag.not_allowed", field=name, value=_describe(value), allowed=allowed),
        )
    if kind == "string_pattern_mismatch":
        if "dates" in loc:
            return Diagnostic(
                source.display,
                line,
                col,
                "E113",
                M("diag.not_month_day", field=name, value=str(value)),
            )
        entity = any(p in ("parent", "kpis") for p in loc) or loc == ("id",) and "/" in str(value)
        return Diagnostic(
            source.display,
            line,
            col,
            "E113",
            M("diag.bad_entity_id" if entity else "diag.bad_id", field=name, value=str(value)),
        )
    if kind in ("string_too_short", "too_short"):
        return Diagnostic(source.display, line, col, "E113", M("diag.empty", field=name))
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length", "?")
        return Diagnostic(
            source.display, line, col, "E113", M("diag.too_long", field=name, limit=limit)
        )
    if kind.endswith(("_type", "_parsing")) or kind in ("union_tag_invalid",):
        base = kind.removesuffix("_type").removesuffix("_parsing")
        type_key = _TYPE_NAMES.get(base)
        expected = M(type_key) if type_key else M("diag.type.other", name=base)
        quote = kind == "string_type" and isinstance(value, int | float | bool)
        return Diagnostic(
            source.display,
            line,
            col,
            "E112",
            M(
                "diag.wrong_type_quote" if quote else "diag.wrong_type",
                field=name,
                expected=expected,
                value=_describe(value),
            ),
        )
    if has(ctx.get("key", "")):  # our validators' errors (models.py)
        return Diagnostic(
            source.display, line, col, "E113", M("diag.field", field=name, problem=_own(ctx))
        )
    if kind == "value_error" and has(str(ctx.get("error", ""))):
        problem = M(str(ctx["error"]))
        return Diagnostic(
            source.display, line, col, "E113", M("diag.field", field=name, problem=problem)
        )
    return Diagnostic(
        source.display, line, col, "E113", M("diag.invalid_value", field=name, type=kind)
    )


_RANGES = {
    "greater_than_equal": ("diag.range_ge", "ge"),
    "less_than_equal": ("diag.range_le", "le"),
    "greater_than": ("diag.range_gt", "gt"),
    "less_than": ("diag.range_lt", "lt"),
}


def _own(ctx: dict[str, Any]) -> Message:
    """The text of an error our validators raise: catalogue key and fields in ``ctx``."""
    return M(ctx["key"], **{k: v for k, v in ctx.items() if k != "key"})
