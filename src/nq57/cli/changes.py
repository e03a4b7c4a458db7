"""`nq57 changes`: everything that changed in a window of days, from the data and git."""

from __future__ import annotations

from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    UserError,
    data_dirs,
    load_data,
    require_decision,
    resolve_agency,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import DecisionOption, FormatOption, LeadOption, OutputFormat, parse_as_of
from nq57.i18n import t

logic = lazy("nq57.analysis.changes")
gitstore = lazy("nq57.io.gitstore")
render = lazy("nq57.render.history")
console = lazy("nq57.render.status")

DateOption = Annotated[str | None, typer.Option(metavar="DATE", show_default=False)]


def changes(
    since: Annotated[str, typer.Option("--since", metavar="DATE", show_default=False)],
    until: DateOption = None,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    format: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """What changed from --since to --until (help text: help.changes in the catalogue)."""
    first, last = parse_as_of(since, "--since"), parse_as_of(until, "--until")
    if first > last:
        raise UserError(t("status.changes.reversed", since=since, until=until or last), 2)
    folder = data_dirs(data)[0]
    current = load_data(data, warnings=False)
    require_decision(current, decision)
    agency = resolve_agency(current, lead)
    entries, with_git = logic.list_changes(
        folder, current, first, last, leads=[agency] if agency else None, decision=decision
    )
    if not with_git:
        typer.echo(t("status.changes.no_git", folder=folder), err=True)
    elif (store := gitstore.GitStore.open(folder)) is not None and store.shallow:
        typer.echo(t("status.history.shallow", folder=folder), err=True)
    if format is OutputFormat.json:
        typer.echo(render.changes_json(entries), nl=False)
    elif format is OutputFormat.csv:
        typer.echo(render.changes_csv(entries), nl=False)
    else:
        render.render_changes(entries, console.make_console())


def register(app: typer.Typer) -> None:
    app.command("changes")(changes)
