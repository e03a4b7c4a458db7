"""The edit run: recording progress in task and KPI files without losing a byte.

``nq57 task update``, ``nq57 task done`` and ``nq57 kpi record`` go through
:func:`apply_edit`, which

1. takes ``<file>.lock`` (created with ``O_EXCL``) so two commands editing the
   same file never lose an update (:class:`FileLock`);
2. re-reads the file under the lock and refuses to touch it when it does not
   parse or validate against the model (the completion rule is checked on the
   result only, so ``task done`` can repair "status: done" without a date);
3. plans the change on the parsed data (:mod:`nq57.edit.plan`: the business rules);
4. makes the change as a *text splice* (:mod:`nq57.edit.splice`): only the new or
   changed lines differ, every other byte of the file is kept, and the result must
   read back as the old data plus exactly the planned change;
5. validates the result (:func:`validate_bytes`: the data model, the id, and the
   completion rule of :mod:`nq57.check.document`). Any failure refuses the edit and
   leaves the file untouched;
6. writes atomically (:func:`atomic_write`): a hidden temporary file in the
   same folder (the loader skips dot-files), write, fsync, ``os.replace``, fsync
   of the folder; the file's permission bits are kept and a symbolic link is
   followed (its target is edited, the link stays).

Refused edits raise :class:`EditError` (message + diagnostics + exit code).
:func:`apply_edits` does the same for many files at once (``nq57 ingest``): every file is
locked and its edit planned and checked before any is written, so a refused one leaves
every file untouched.

The edit functions never read the clock: the date is a parameter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from nq57.check.document import check_task_completion
from nq57.check.pipeline import validate_document
from nq57.diagnostics import Diagnostic
from nq57.edit.ops import expected_data
from nq57.edit.plan import Plan, plan_kpi_record, plan_task_done, plan_task_update
from nq57.edit.splice import edit_text
from nq57.errors import EditError as EditError  # re-exported: callers import them from here
from nq57.errors import LockBusy as LockBusy
from nq57.i18n import M, t
from nq57.io.atomic import LOCK_TIMEOUT as LOCK_TIMEOUT
from nq57.io.atomic import STALE_LOCK_AFTER as STALE_LOCK_AFTER
from nq57.io.atomic import FileLock as FileLock
from nq57.io.atomic import Warn as Warn
from nq57.io.atomic import atomic_write as atomic_write
from nq57.io.atomic import reason
from nq57.io.loader import SourceFile, parse_bytes, to_plain
from nq57.model.entities import Kpi, Task

WRITERS = 16  # files written at once by apply_edits


# --- validation ---------------------------------------------------------------------------------


def validate_bytes(
    path: Path,
    display: str,
    kind: str,
    entity_id: str,
    raw: bytes,
    *,
    completion: bool = True,
    fast: bool = False,
) -> tuple[SourceFile, list[Diagnostic]]:
    """The errors a file's content has on its own: YAML, model, id and (for tasks, unless
    ``completion`` is false) the completion rule: status done <=> 'completed' set. With
    ``fast``, a file with nothing doubtful in it is read by libyaml (as the loader does)."""
    source = SourceFile(path, display, kind, entity_id)
    parse_bytes(source, raw, fast=fast)  # the loader's read path; diagnostics in source
    if source.document is None:
        return source, [d for d in source.diagnostics if d.is_error]
    model = validate_document(source)
    errors = [d for d in source.diagnostics if d.is_error]
    if model is None:
        return source, errors
    entity = cast(Task | Kpi, model)  # kind is "task" or "kpi"
    if entity.id != entity_id:
        message = M("diag.id_mismatch", id=entity.id, expected=entity_id)
        errors.append(Diagnostic(display, 1, 1, "E120", message))
        return source, errors
    if isinstance(entity, Task) and completion:
        errors.extend(check_task_completion(entity, source))
    return source, errors


# --- the whole edit -----------------------------------------------------------------------------


@dataclass
class EditResult:
    path: Path
    display: str
    before: bytes
    after: bytes
    summary: str


def prepare_edit(
    real: Path,
    shown: str,
    kind: str,
    entity_id: str,
    raw: bytes,
    plans: Sequence[Callable[[dict[str, Any]], Plan]],
) -> tuple[bytes, list[str]]:
    """The new bytes of a file after ``plans`` (each planned on the data the previous one
    left), and their summaries; nothing is written. The file must be valid before and
    after (:class:`EditError` otherwise)."""
    # The completion rule is checked on the result only: `task done` repairs
    # "status: done" without 'completed', which is what its message advises.
    source, errors = validate_bytes(real, shown, kind, entity_id, raw, completion=False, fast=True)
    if errors or source.document is None:
        raise EditError(t("edit.has_errors", file=shown), errors)
    old = to_plain(source.document)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom) :].decode("utf-8")
    summaries = []
    for plan in plans:
        planned = plan(old)
        if planned.ops:
            try:
                text = edit_text(text, planned.ops, old=old)
            except EditError as exc:
                raise EditError(f"{shown}: {exc}") from None
            old = expected_data(old, planned.ops)
        summaries.append(planned.summary)
    after = bom + text.encode("utf-8")
    if after != raw:
        after_shown = t("edit.after_edit", file=shown)
        _, errors = validate_bytes(real, after_shown, kind, entity_id, after, fast=True)
        if errors:
            raise EditError(t("edit.would_be_invalid", id=entity_id, file=shown), errors)
    return after, summaries


def _read(real: Path, shown: str) -> bytes:
    try:
        return real.read_bytes()
    except OSError as exc:
        raise EditError(t("edit.cannot_read", file=shown, reason=reason(exc))) from None


def _write(real: Path, shown: str, content: bytes) -> None:
    try:
        atomic_write(real, content)
    except OSError as exc:
        raise EditError(t("edit.cannot_write", file=shown, reason=reason(exc))) from None


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
        raw = _read(real, shown)
        after, summaries = prepare_edit(real, shown, kind, entity_id, raw, [plan])
        _write(real, shown, after)
    return EditResult(path, shown, raw, after, summaries[0])


@dataclass
class FileEdit:
    """Plans for one task or KPI file, applied one after the other (see :func:`apply_edits`)."""

    path: Path
    kind: str
    entity_id: str
    plans: list[Callable[[dict[str, Any]], Plan]]
    display: str


def apply_edits(
    edits: list[FileEdit],
    *,
    write: bool = True,
    warn: Warn | None = None,
    lock_timeout: float | None = None,
    before_write: Callable[[list[EditResult]], bool] | None = None,
) -> tuple[list[EditResult], list[tuple[FileEdit, EditError]]]:
    """Edit several files all or nothing: every file is locked, re-read, planned, spliced and
    checked as by :func:`apply_edit`, and only when none is refused is any written (each
    atomically, the locks held throughout). Returns the results (``after == before``: no
    change) and the refused edits; with refusals, or ``write`` false, or ``before_write``
    (given every result) answering false, nothing is written.
    """
    reals = [Path(os.path.realpath(e.path)) for e in edits]
    results: list[EditResult] = []
    refused: list[tuple[FileEdit, EditError]] = []
    with contextlib.ExitStack() as locks:
        for real, edit in sorted(zip(reals, edits, strict=True), key=lambda pair: str(pair[0])):
            locks.enter_context(FileLock(real, edit.display, timeout=lock_timeout, warn=warn))
        for real, edit in zip(reals, edits, strict=True):
            try:
                raw = _read(real, edit.display)
                after, summaries = prepare_edit(
                    real, edit.display, edit.kind, edit.entity_id, raw, edit.plans
                )
            except EditError as exc:
                refused.append((edit, exc))
                continue
            summary = "\n".join(s for s in summaries if s)
            results.append(EditResult(edit.path, edit.display, raw, after, summary))
        if write and not refused and (before_write is None or before_write(results)):
            changed = [
                (real, r) for real, r in zip(reals, results, strict=True) if r.after != r.before
            ]
            # Each write waits on the disk (fsync of the file and its folder): overlap them.
            with ThreadPoolExecutor(max_workers=WRITERS) as pool:
                done = list(
                    pool.map(lambda job: _write(job[0], job[1].display, job[1].after), changed)
                )
            del done
    return results, refused


def update_task(
    path: Path,
    task_id: str,
    *,
    date: dt.date,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    kind: str | None = None,
    display: str | None = None,
    warn: Warn | None = None,
    reopen: bool = False,
) -> EditResult:
    return apply_edit(
        path,
        "task",
        task_id,
        lambda task: plan_task_update(
            task,
            date=date,
            status=status,
            progress=progress,
            note=note,
            kind=kind,
            reopen=reopen,
        ),
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
