"""What every command shares: the --data option, loading, user errors."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nq57.cli.lazy import lazy
from nq57.errors import Nq57Error
from nq57.i18n import t
from nq57.io import listing

if TYPE_CHECKING:
    from nq57.model.dataset import DataSet

pipeline = lazy("nq57.check.pipeline")
loader = lazy("nq57.io.loader")
config = lazy("nq57.model.config")
scope = lazy("nq57.analysis.scope")
atomic = lazy("nq57.io.atomic")
results = lazy("nq57.io.resultcache")


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
        given = [listing.find_data_dir()]
    for folder in given:
        require_data_dir(folder)
    folders: list[Path] = []
    seen: set[Path] = set()
    queue = list(given)
    while queue:
        folder = queue.pop(0)
        if folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        folders.append(folder)
        included = config.included_data_dirs(folder) if listing.may_include(folder) else []
        for other in included:
            require_data_dir(other, named_in=folder / config.CONFIG_FILE)
        queue.extend(included)
    return folders


def require_data_dir(folder: Path, named_in: Path | None = None) -> None:
    """A folder given as data must hold decisions/, tasks/ or kpis/: checking a wrong
    folder must not pass as "no errors". Says which folder was probably meant."""
    if not folder.is_dir():
        raise UserError(t("cli.not_a_folder", folder=folder), 2)
    if listing.is_data_dir(folder):
        return
    where = t("cli.included_from", config=named_in) if named_in else ""
    message = t("cli.not_data_folder", folder=folder, where=where)
    nearest = loader.nearest_data_dir(folder)
    if nearest is not None:
        hint = "cli.data_folder_near" if named_in else "cli.data_folder_hint"
        message += t(hint, suggestion=_shown(nearest))
    raise UserError(message, 2)


def require_paths_select(paths: list[Path] | None, roots: list[Path], files: list[str]) -> None:
    """Each PATH of validate/fmt must select a file of the data folders read (``files``:
    the paths found there): a path outside them, or one that holds no data file, would
    check nothing and pass. A path inside another data folder suggests its --data."""
    if not paths:  # the whole data folders: nothing to resolve (31,101 files at 30,000 tasks)
        return
    real_roots = [Path(os.path.realpath(r)) for r in roots]
    real_files = [Path(os.path.realpath(f)) for f in files]
    for path in paths:
        real = Path(os.path.realpath(path))
        if real in real_roots or real in {r / config.CONFIG_FILE for r in real_roots}:
            continue
        if any(f == real or real in f.parents for f in real_files):
            continue
        inside = next((r for r in real_roots if r in real.parents), None)
        shown_roots = ", ".join(_shown(r) for r in roots)
        if inside is not None:
            raise UserError(t("cli.path_selects_nothing", path=path, root=shown_roots), 2)
        message = t("cli.path_outside_data", path=path, root=shown_roots)
        enclosing = next((p for p in (real, *real.parents) if loader.is_data_dir(p)), None)
        if enclosing is not None and enclosing not in real_roots:
            shown = enclosing if path.is_absolute() else _shown(enclosing)
            message += t("cli.data_folder_hint", suggestion=shown)
        raise UserError(message, 2)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


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
        return pipeline.load(data_dirs(given), use_cache=not no_cache, warnings=warnings)
    finally:
        results.forget_listing()  # one a result cache left for this load's snapshot
        gc.freeze()
        gc.enable()


def require_decision(dataset: DataSet, decision: str | None) -> None:
    """--decision must name a decision file of the data."""
    if decision and decision not in dataset.decisions:
        raise UserError(t("cli.no_decision", decision=decision), 1)


def resolve_agency(dataset: DataSet, given: str | None, option: str = "--lead") -> str | None:
    """--lead / --org must name an agency of the registry or of the data: an unknown one
    would print an all-zero report. A name typed without diacritics that fits exactly one
    agency is read as that agency (and said so); otherwise the closest names are offered."""
    if not given:
        return given
    choice = scope.choose_agency(dataset, given)
    if choice.name is not None:
        if choice.name != given:
            typer.echo(
                t("cli.agency_read_as", option=option, given=given, name=choice.name), err=True
            )
        return choice.name
    close = ", ".join(_with_parent(dataset, name) for name in choice.close)
    if choice.ambiguous:
        key = "cli.agency_ambiguous_units" if choice.units else "cli.agency_ambiguous"
        raise UserError(t(key, org=given, close=close), 2)
    if close:
        raise UserError(t("cli.no_agency_close", org=given, close=close), 2)
    raise UserError(t("cli.no_agency", org=given), 2)


def _with_parent(dataset: DataSet, name: str) -> str:
    """'Vụ Pháp chế (Bộ Tài chính)' (thuộc Bộ Tài chính): a candidate and whose unit it is."""
    agency = dataset.agencies.agencies.get(name)
    if agency is None or not agency.parent:
        return f"'{name}'"
    return t("cli.agency_with_parent", name=name, parent=agency.parent)


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.atomic_write(path, content)
    except OSError as exc:
        raise UserError(t("cli.cannot_write", path=path, reason=exc.strerror or exc), 1) from None
    typer.echo(t("cli.wrote", path=path), err=True)


def warn_files_left_out(dataset: DataSet) -> None:
    """Reports and exports leave out files with errors; say how many."""
    warn_left_out(len(dataset.invalid_files))


def warn_left_out(count: int) -> None:
    """Say that ``count`` files with errors were left out (when there are any)."""
    if count:
        typer.echo(t("cli.warning", message=t("cli.files_left_out", count=count)), err=True)
