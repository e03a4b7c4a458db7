"""What an edit changes: the business rules of ``task update``, ``task done`` and
``kpi record`` (and of ``ingest``, which plans the same edits), and their refusals.

Each ``plan_*`` function takes a file's plain data and returns a :class:`Plan`: the
operations to make (:mod:`nq57.edit.ops`) and the one line printed on success; a refused
edit raises :class:`~nq57.errors.EditError` (exit code 2 for a usage error). Pure: the
date is a parameter, nothing is read or written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nq57.edit.ops import AppendItem, Op, RemoveField, SetField, plain_value
from nq57.edit.values import clean_text
from nq57.errors import EditError
from nq57.i18n import t
from nq57.model.entities import TASK_STATUSES

FINISHED = ("done", "cancelled")
OPEN = ("not_started", "in_progress")


@dataclass
class Plan:
    ops: list[Op]
    summary: str  # the one line printed on success


def _compact(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _already(items: list[dict], item: dict) -> bool:
    wanted = {k: plain_value(v) for k, v in item.items()}
    return any(existing == wanted for existing in items)


def plan_task_update(
    task: dict[str, Any],
    *,
    date: dt.date,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    kind: str | None = None,
    reopen: bool = False,
) -> Plan:
    """Append ``{date, status?, progress?, note?, kind?}`` to ``updates``; set ``status`` if
    given.

    One rule for finished tasks (done or cancelled): an update that would change the
    task's state (another status, or a progress other than a done task's 100) is refused
    unless ``reopen``; reopening sets an open status (default in_progress) and removes
    ``completed``. A note alone never needs it."""
    task_id = task.get("id", "?")
    note = clean_text(note)
    if status is None and progress is None and note is None and not reopen:
        raise EditError(t("edit.nothing_to_record"), exit_code=2)
    if status is not None and status not in TASK_STATUSES:
        known = ", ".join(TASK_STATUSES)
        raise EditError(t("edit.bad_status", status=status, known=known), exit_code=2)
    if progress is not None and not 0 <= progress <= 100:
        raise EditError(t("edit.progress_out_of_range", progress=progress), exit_code=2)
    current = task.get("status", "not_started")
    if reopen:
        if current not in FINISHED:
            raise EditError(t("edit.reopen_not_finished", id=task_id, status=current), exit_code=2)
        status = status or "in_progress"
        if status not in OPEN:
            raise EditError(t("edit.reopen_open_status", status=status), exit_code=2)
    elif current in FINISHED and (
        (status is not None and status != current)
        or (progress is not None and (current != "done" or progress != 100))
    ):
        raise EditError(t("edit.finished_needs_reopen", id=task_id, status=current))
    if status == "done" and current != "done":
        raise EditError(t("edit.use_task_done", id=task_id))
    item = _compact(date=date, status=status, progress=progress, note=note, kind=kind)
    if _already(task.get("updates", []), item):
        raise EditError(t("edit.update_exists", id=task_id, date=date.isoformat()))
    ops: list[Op] = []
    if status is not None and (status != current or "status" not in task):
        ops.append(SetField("status", status))
    if reopen and "completed" in task:
        ops.append(RemoveField("completed"))
    ops.append(AppendItem("updates", item))
    parts = [p for p in (status, None if progress is None else f"{progress}%") if p]
    if note:
        parts.append(t("edit.note_part", note=_short(note)))
    summary = t("edit.recorded_update", id=task_id, date=date.isoformat(), parts=", ".join(parts))
    return Plan(ops, summary)


def plan_task_done(
    task: dict[str, Any],
    *,
    date: dt.date,
    note: str | None = None,
    kind: str | None = None,
    reported: dt.date | None = None,
) -> Plan:
    """status: done, completed: DATE, and an update ``{date, status: done, progress: 100}``
    (dated ``reported`` when given: the day of the report that says so, e.g. a form's)."""
    task_id = task.get("id", "?")
    note = clean_text(note)
    if task.get("status") == "done" and task.get("completed"):
        raise EditError(t("edit.already_done", id=task_id, completed=task.get("completed")))
    if task.get("status") == "cancelled":
        raise EditError(t("edit.finished_needs_reopen", id=task_id, status="cancelled"))
    item = _compact(date=reported or date, status="done", progress=100, note=note, kind=kind)
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
