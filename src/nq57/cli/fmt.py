"""`nq57 fmt`: rewrite data files in the canonical style (keeps comments)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, UserError, require_data_dir, require_paths_select
from nq57.cli.lazy import lazy
from nq57.i18n import t

loader = lazy("nq57.io.loader")
formatting = lazy("nq57.edit.fmt")


def _folders(given: list[Path] | None) -> list[Path]:
    """The data folders named (or the default); folders they include are not formatted."""
    if not given:
        return [loader.find_data_dir()]
    for folder in given:
        if not folder.is_dir():
            raise UserError(t("fmt.no_folder", folder=folder), 2)
        require_data_dir(folder)
    return given


def _warn(message: str) -> None:
    typer.echo(f"nq57: {message}", err=True)


def fmt(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH")] = None,
    check: Annotated[bool, typer.Option("--check")] = False,
    data: DataOption = None,
) -> None:
    """Rewrite data files in the canonical style (help: catalogue key help.fmt)."""
    folders = _folders(data)
    files, unreadable = formatting.find_files(folders, paths)
    found = [str(s.path) for s in files] + [d.path for d in unreadable]
    require_paths_select(paths, folders, found)
    changed, refused = 0, len(unreadable)
    for diagnostic in unreadable:  # as validate reports them
        typer.echo(diagnostic.format(), err=True)
        typer.echo(t("fmt.not_formatted", path=diagnostic.path), err=True)
    for source in files:
        result = formatting.format_file(source, write=not check, warn=_warn)
        if result.refused:
            refused += 1
            for diagnostic in result.diagnostics:
                typer.echo(diagnostic.format(), err=True)
            if result.reason:
                line = t("fmt.not_formatted_because", path=result.display, reason=result.reason)
            else:
                line = t("fmt.not_formatted", path=result.display)
            typer.echo(line, err=True)
        elif result.changed:
            changed += 1
            if check:
                typer.echo(formatting.diff(result), nl=False)
            else:
                typer.echo(t("fmt.formatted", path=result.display))
    typer.echo(
        t(
            "fmt.summary_check" if check else "fmt.summary",
            changed=changed,
            canonical=len(files) + len(unreadable) - changed - refused,
            refused=refused,
        ),
        err=True,
    )
    raise typer.Exit(1 if refused or (check and changed) else 0)


def register(app: typer.Typer) -> None:
    app.command("fmt")(fmt)
