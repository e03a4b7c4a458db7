"""`nq57 task update`, `nq57 task done`, `nq57 kpi record`: record progress in the YAML files.

Thin: option parsing, finding the file through the data set, printing one
line. The edit itself (lock, in-place splice, validation, atomic write) is
:mod:`nq57.edit.editing`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nq57.cli.common import DataOption, UserError, load_data
from nq57.cli.lazy import lazy
from nq57.i18n import t

if TYPE_CHECKING:
    from nq57.model.dataset import DataSet

editing = lazy("nq57.edit.editing")
values = lazy("nq57.edit.values")
browse = lazy("nq57.analysis.browse")

KIND_KEYS = {"task": "edit.kind.task", "kpi": "edit.kind.kpi"}


class Kind(StrEnum):
    difficulty = "difficulty"
    proposal = "proposal"
    result = "result"


class Status(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


IdArgument = Annotated[
    str,
    typer.Argument(metavar="ID", show_default=False),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", metavar="DATE", show_default=False),
]
NoteOption = Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT", show_default=False)]


def _warn(message: str) -> None:
    typer.echo(t("cli.warning", message=message), err=True)


def _date(value: str | None) -> dt.date:
    """--date: parsed, or today (the only clock read of these commands)."""
    if value is None:
        return dt.date.today()
    try:
        when = values.parse_date(value)
    except ValueError as exc:
        raise UserError(t("edit.bad_date", problem=exc), exit_code=2) from None
    today = dt.date.today()
    if when > values.latest_date(today):
        latest = values.latest_date(today).strftime("%d/%m/%Y")
        raise UserError(t("edit.date_too_far", date=when.strftime("%d/%m/%Y"), latest=latest))
    if when > today:
        _warn(t("edit.future_date", date=when.isoformat()))
    return when


def _locate(dataset: DataSet, kind: str, entity_id: str) -> tuple[Path, str]:
    """The file of a task or KPI; a clear error for unknown ids and invalid files."""
    source = dataset.file_of(kind, entity_id)
    name = t(KIND_KEYS[kind])
    matching = [s for s in dataset.sources if s.kind == kind and s.expected_id == entity_id]
    if len(matching) > 1:  # the same id in several --data folders
        shown = ", ".join(s.display for s in matching)
        raise UserError(
            t("edit.same_id_in_files", kind=name, id=entity_id, count=len(matching), files=shown)
        )
    if source is not None:
        return source.path, source.display
    if matching:
        shown = sorted({s.display for s in matching})
        problems = [d for d in dataset.diagnostics if d.path in shown and d.is_error]
        lines = "".join(f"\n  {d.format()}" for d in problems)
        files = ", ".join(shown)
        raise UserError(t("edit.file_invalid", kind=name, id=entity_id, files=files, lines=lines))
    other = "kpi" if kind == "task" else "task"
    if entity_id in dataset.known_ids.get(other, set()):
        command = "nq57 kpi record" if other == "kpi" else "nq57 task update"
        raise UserError(
            t(
                "edit.not_found_other_kind",
                kind=name,
                id=entity_id,
                other=t(KIND_KEYS[other]),
                command=command,
            )
        )
    known = sorted(dataset.known_ids.get(kind, set()))
    close = browse.close_ids_among(entity_id, known)
    if close:
        raise UserError(
            t("edit.not_found_close", kind=name, id=entity_id, close=", ".join(close[:5]))
        )
    if not known:
        raise UserError(t("edit.not_found_none", kind=name, id=entity_id))
    raise UserError(t("edit.not_found", kind=name, id=entity_id))


def _run(edit) -> None:
    typer.echo(edit().summary)


def task_update(
    task_id: IdArgument,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status",
            "-s",
            show_default=False,
        ),
    ] = None,
    progress: Annotated[
        int | None,
        typer.Option(
            "--progress",
            "-p",
            metavar="N",
            min=0,
            max=100,
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    kind: Annotated[Kind | None, typer.Option("--kind", show_default=False)] = None,
    date: DateOption = None,
    reopen: Annotated[bool, typer.Option("--reopen")] = False,
    data: DataOption = None,
) -> None:
    """`nq57 task update`: append an update (help text: help.task.update in the catalogue)."""
    if status is None and progress is None and values.clean_text(note) is None and not reopen:
        raise UserError(t("edit.nothing_to_record"), exit_code=2)
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
            kind=kind.value if kind else None,
            display=shown,
            warn=_warn,
            reopen=reopen,
        )
    )


def task_done(
    task_id: IdArgument,
    date: DateOption = None,
    note: NoteOption = None,
    data: DataOption = None,
) -> None:
    """`nq57 task done`: mark a task done (help text: help.task.done in the catalogue)."""
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
        typer.Option("--value", metavar="NUMBER", show_default=False),
    ],
    date: DateOption = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="TEXT",
            show_default=False,
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            metavar="TEXT",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = None,
    data: DataOption = None,
) -> None:
    """`nq57 kpi record`: append a measurement (help text: help.kpi.record)."""
    try:
        number = values.parse_number(value)
    except ValueError as exc:
        raise UserError(t("edit.bad_value", problem=exc), exit_code=2) from None
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


def _group(app: typer.Typer, name: str) -> typer.Typer:
    """The sub-command group ``name``, shared with other modules that add to it."""
    for info in app.registered_groups:
        instance = info.typer_instance
        if instance is not None and (info.name or instance.info.name) == name:
            return instance
    group = typer.Typer(name=name, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


def register(app: typer.Typer) -> None:
    task = _group(app, "task")  # help texts: help.task, help.kpi in the catalogue
    task.command("update")(task_update)
    task.command("done")(task_done)
    kpi = _group(app, "kpi")
    kpi.command("record")(kpi_record)
