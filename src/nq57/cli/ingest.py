"""`nq57 ingest`: filled monthly forms back into the data (all rows or none)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, UserError, load_data
from nq57.cli.lazy import lazy
from nq57.i18n import t

logic = lazy("nq57.edit.ingest")
values = lazy("nq57.edit.values")


def ingest(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", show_default=False)],
    data: DataOption = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 ingest`: apply filled forms (help text: help.ingest in the catalogue)."""
    when = None
    if date is not None:
        try:
            when = values.parse_date(date)
        except ValueError as exc:
            raise UserError(t("edit.bad_date", problem=exc), exit_code=2) from None
        latest = values.latest_date(dt.date.today())  # as `update --date`: a mistyped year
        if when > latest:
            shown = {"date": f"{when:%d/%m/%Y}", "latest": f"{latest:%d/%m/%Y}"}
            raise UserError(t("edit.date_too_far", **shown))
    for path in files:
        if not path.is_file():
            raise UserError(t("cli.no_such_path", path=path), 2)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    forms = [logic.read_form(path, str(path)) for path in files]
    result = logic.ingest(dataset, forms, date=when, dry_run=dry_run, warn=_warn)
    for problem in result.problems:
        typer.echo(problem.format(), err=True)
    if result.errors:
        typer.echo(t("cycle.ingest.refused_all", count=len(result.errors)), err=True)
        raise typer.Exit(1)
    for change in result.changes:
        what = "; ".join(change.what)
        typer.echo(t("cycle.ingest.change", file=change.display, id=change.entity_id, what=what))
    key = "cycle.ingest.would_write" if dry_run else "cycle.ingest.wrote"
    typer.echo(t(key, files=len(result.changes), unchanged=result.unchanged), err=True)


def _warn(message: str) -> None:
    typer.echo(t("cli.warning", message=message), err=True)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
