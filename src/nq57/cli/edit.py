"""`nq57 task update`, `nq57 task done`, `nq57 kpi record`: record progress in the YAML files.

Thin: option parsing, finding the file through the data set, printing one
line. The edit itself (lock, in-place splice, validation, atomic write) is
:mod:`nq57.editing`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, UserError, load_data
from nq57.dataset import DataSet

KIND_NAMES = {"task": "nhiệm vụ (task)", "kpi": "chỉ tiêu (KPI)"}


class Status(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Mã (id) <DECISION-ID>/<KEY>, e.g. 71-NQ-CP-2025/16.", show_default=False
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Ngày ghi nhận (date), YYYY-MM-DD or dd/mm/yyyy. Default: today.",
        show_default=False,
    ),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", "-n", help="Ghi chú (note), free text.", show_default=False)
]


def _warn(message: str) -> None:
    typer.echo(f"nq57: cảnh báo (warning): {message}", err=True)


def _date(value: str | None) -> dt.date:
    """--date: parsed, or today (the only clock read of these commands)."""
    from nq57 import editing  # imported by the edit commands only, not by every command

    if value is None:
        return dt.date.today()
    try:
        when = editing.parse_date(value)
    except ValueError as exc:
        raise UserError(f"--date: {exc}", exit_code=2) from None
    if when > dt.date.today():
        _warn(f"--date {when.isoformat()} is in the future")
    return when


def _locate(dataset: DataSet, kind: str, entity_id: str) -> tuple[Path, str]:
    """The file of a task or KPI; a clear error for unknown ids and invalid files."""
    from nq57.analysis.browse import close_ids_among

    source = dataset.file_of(kind, entity_id)
    name = KIND_NAMES[kind]
    matching = [s for s in dataset.sources if s.kind == kind and s.expected_id == entity_id]
    if len(matching) > 1:  # the same id in several --data folders
        shown = ", ".join(s.display for s in matching)
        raise UserError(
            f"{name} {entity_id} is in {len(matching)} files ({shown}); "
            "keep one of them, then try again"
        )
    if source is not None:
        return source.path, source.display
    if matching:
        shown = sorted({s.display for s in matching})
        problems = [d for d in dataset.diagnostics if d.path in shown and d.is_error]
        lines = "".join(f"\n  {d.format()}" for d in problems)
        raise UserError(
            f"{name} {entity_id}: {', '.join(shown)} has errors, so it is not "
            f"edited; fix them first (nq57 validate):{lines}"
        )
    message = f"không tìm thấy {name} '{entity_id}' (no such id)"
    other = "kpi" if kind == "task" else "task"
    if entity_id in dataset.known_ids.get(other, set()):
        command = "nq57 kpi record" if other == "kpi" else "nq57 task update"
        raise UserError(f"{message}; '{entity_id}' is a {KIND_NAMES[other]}: use `{command}`")
    known = sorted(dataset.known_ids.get(kind, set()))
    close = close_ids_among(entity_id, known)
    if close:
        message += f" — did you mean {', '.join(close[:5])}?"
    elif not known:
        message += f"; the data set has no {name.split(' (')[0]} files"
    raise UserError(message)


def _run(edit) -> None:
    from nq57 import editing

    try:
        result = edit()
    except editing.EditError as exc:
        raise UserError(exc.describe(), exit_code=exc.exit_code) from None
    typer.echo(result.summary)


def task_update(
    task_id: IdArgument,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status",
            "-s",
            help="Trạng thái mới (new status); also set on the task.",
            show_default=False,
        ),
    ] = None,
    progress: Annotated[
        int | None,
        typer.Option(
            "--progress",
            "-p",
            min=0,
            max=100,
            help="Tiến độ (progress) in percent, 0-100.",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    date: DateOption = None,
    data: DataOption = None,
) -> None:
    """Ghi cập nhật tiến độ — append an update {date, status, progress, note} to a task.

    At least one of --status, --progress, --note. --status also sets the task's
    status; to mark a task done use `nq57 task done` (it records the completion
    date). Only the changed lines of the file are touched; comments, order and
    quoting stay as they are. The edit is refused, file untouched, if the result
    would not validate.

    Examples:

      nq57 task update 71-NQ-CP-2025/16 --status in_progress --progress 40

      nq57 task update 71-NQ-CP-2025/16 --note "Đã trình Chính phủ" --date 15/07/2025
    """
    from nq57 import editing

    if status is None and progress is None and editing.clean_text(note) is None:
        raise UserError("nothing to record: give --status, --progress or --note", exit_code=2)
    when = _date(date)
    path, shown = _locate(load_data(data, warnings=False), "task", task_id)
    _run(
        lambda: editing.update_task(
            path,
            task_id,
            date=when,
            status=status.value if status else None,
            progress=progress,
            note=note,
            display=shown,
            warn=_warn,
        )
    )


def task_done(
    task_id: IdArgument,
    date: DateOption = None,
    note: NoteOption = None,
    data: DataOption = None,
) -> None:
    """Đánh dấu hoàn thành — mark a task done on a date.

    Sets status: done and completed: DATE, and appends the update
    {date, status: done, progress: 100, note}.

    Examples:

      nq57 task done 71-NQ-CP-2025/16 --date 2025-07-15

      nq57 task done 1057-QD-BTC-2025/II-10a --note "Quyết định số 123/QĐ-BTC"
    """
    from nq57 import editing

    when = _date(date)
    path, shown = _locate(load_data(data, warnings=False), "task", task_id)
    _run(
        lambda: editing.complete_task(
            path, task_id, date=when, note=note, display=shown, warn=_warn
        )
    )


def kpi_record(
    kpi_id: IdArgument,
    value: Annotated[
        str,
        typer.Option(
            "--value", help="Giá trị đo (measured value): 55, 0.7 or 0,7.", show_default=False
        ),
    ],
    date: DateOption = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Nguồn số liệu (source), e.g. 'Báo cáo quý II/2025'.",
            show_default=False,
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            help="Phần của chỉ tiêu được đo (which part of a multi-part target).",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    data: DataOption = None,
) -> None:
    """Ghi số đo chỉ tiêu — append a measurement {date, value, source, label} to a KPI.

    The value is a whole number or a decimal; a Vietnamese decimal comma
    ("0,7") is accepted. "1.500" is refused as ambiguous: write 1500 or 1,5.

    Examples:

      nq57 kpi record 71-NQ-CP-2025/11.1 --value 0,7 --date 30/06/2025 --source "Báo cáo BKHCN"

      nq57 kpi record 71-NQ-CP-2025/2 --value 45 --label "Thế giới"
    """
    from nq57 import editing

    try:
        number = editing.parse_number(value)
    except ValueError as exc:
        raise UserError(f"--value: {exc}", exit_code=2) from None
    when = _date(date)
    path, shown = _locate(load_data(data, warnings=False), "kpi", kpi_id)
    _run(
        lambda: editing.record_kpi(
            path,
            kpi_id,
            date=when,
            value=number,
            source=source,
            label=label,
            note=note,
            display=shown,
            warn=_warn,
        )
    )


def _group(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """The sub-command group ``name``, shared with other modules that add to it."""
    for info in app.registered_groups:
        instance = info.typer_instance
        if instance is not None and (info.name or instance.info.name) == name:
            return instance
    group = typer.Typer(name=name, help=help_text, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


def register(app: typer.Typer) -> None:
    task = _group(app, "task", "Nhiệm vụ — record progress on tasks (update, done).")
    task.command("update")(task_update)
    task.command("done")(task_done)
    kpi = _group(app, "kpi", "Chỉ tiêu — record KPI measurements (record).")
    kpi.command("record")(kpi_record)
