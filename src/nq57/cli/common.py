"""What every command shares: the --data option, loading, user errors."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer

from nq57.check.pipeline import load
from nq57.errors import Nq57Error
from nq57.i18n import t
from nq57.io.loader import DataFolderNotFound, find_data_dir
from nq57.model.config import ConfigError, included_data_dirs
from nq57.model.dataset import DataSet


class UserError(Nq57Error):
    """A problem with what the user asked for or gave us: message, no traceback."""


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        metavar="DIR",
        show_default=False,
    ),
]


def data_dirs(given: list[Path] | None) -> list[Path]:
    """The data folders to read: --data (or the default), plus those their
    config.yaml names under ``include:``, each once, in order."""
    if not given:
        try:
            given = [find_data_dir()]
        except DataFolderNotFound as exc:
            raise UserError(str(exc), exit_code=2) from None
    for folder in given:
        if not folder.is_dir():
            raise UserError(t("cli.not_a_folder", folder=folder), 2)
    folders: list[Path] = []
    seen: set[Path] = set()
    queue = list(given)
    while queue:
        folder = queue.pop(0)
        if folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        folders.append(folder)
        try:
            queue.extend(included_data_dirs(folder))
        except ConfigError as exc:
            raise UserError(str(exc), 1) from None
    return folders


NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache"),
]


def load_data(
    given: list[Path] | None, *, no_cache: bool = False, warnings: bool = True
) -> DataSet:
    # The data set lives until the command ends: keep the cyclic garbage collector from
    # scanning it again and again (a second at 30,000 tasks); run() unfreezes at the end.
    gc.disable()
    try:
        return load(data_dirs(given), use_cache=not no_cache, warnings=warnings)
    finally:
        gc.freeze()
        gc.enable()


def require_decision(dataset: DataSet, decision: str | None) -> None:
    """--decision must name a decision file of the data."""
    if decision and decision not in dataset.decisions:
        raise UserError(t("cli.no_decision", decision=decision), 1)


def refuse_overwrite(paths: list[Path], force: bool) -> None:
    """Output files are written where asked, and an existing one only with --force."""
    for path in paths:
        if path.is_dir():
            raise UserError(t("cli.output_is_folder", path=path), 1)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        key = "cli.output_exists" if len(existing) == 1 else "cli.output_exist_many"
        raise UserError(t(key, names=names), 1)


def write_output(path: Path, content: bytes) -> None:
    """Write a report or export file atomically (never a half-written file) and say so."""
    from nq57.edit.editing import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, content)
    except OSError as exc:
        raise UserError(t("cli.cannot_write", path=path, reason=exc.strerror or exc), 1) from None
    typer.echo(t("cli.wrote", path=path), err=True)


def warn_files_left_out(dataset: DataSet) -> None:
    """Reports and exports leave out files with errors; say how many."""
    if dataset.invalid_files:
        count = len(dataset.invalid_files)
        typer.echo(t("cli.warning", message=t("cli.files_left_out", count=count)), err=True)
