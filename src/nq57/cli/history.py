"""`nq57 history`: the status counts at the end of each month or quarter, as recorded."""

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
from nq57.cli.options import (
    DecisionOption,
    FormatOption,
    LeadOption,
    OutputFormat,
    check_month,
)
from nq57.i18n import t

logic = lazy("nq57.analysis.history")
gitstore = lazy("nq57.io.gitstore")
render = lazy("nq57.render.history")
console = lazy("nq57.render.status")


def history(
    start: Annotated[str, typer.Option("--from", metavar="YYYY-MM", show_default=False)],
    end: Annotated[str, typer.Option("--to", metavar="YYYY-MM", show_default=False)],
    step: Annotated[str, typer.Option("--step", metavar="month|quarter")] = "month",
    lead: LeadOption = None,
    decision: DecisionOption = None,
    format: FormatOption = OutputFormat.table,
    as_now: Annotated[bool, typer.Option("--as-now")] = False,
    data: DataOption = None,
) -> None:
    """Counts per period end (help text: help.history in the catalogue)."""
    if step not in logic.STEPS:
        raise UserError(t("status.history.bad_step", value=step), 2)
    for option, value in (("--from", start), ("--to", end)):
        try:
            check_month(logic.parse_month(value), value, option)
        except ValueError:
            raise UserError(t("status.history.bad_month", value=value), 2) from None
    if logic.parse_month(start) > logic.parse_month(end):
        raise UserError(t("status.history.reversed", start=start, end=end), 2)
    folder = data_dirs(data)[0]
    agency = None
    if lead or decision:  # names are checked against today's data
        current = load_data(data, warnings=False)
        require_decision(current, decision)
        agency = resolve_agency(current, lead)
    store = None if as_now else gitstore.GitStore.open(folder)
    if not as_now and store is None:
        typer.echo(t("status.history.no_git", folder=folder), err=True)
    elif store is not None and store.shallow:
        typer.echo(t("status.history.shallow", folder=folder), err=True)
    points = logic.history_points(
        folder,
        logic.period_ends(start, end, step),
        as_now=as_now,
        leads=[agency] if agency else None,
        decision=decision,
    )
    if format is OutputFormat.json:
        typer.echo(render.points_json(points), nl=False)
    elif format is OutputFormat.csv:
        typer.echo(render.points_csv(points), nl=False)
    else:
        render.render_points(points, console.make_console())


def register(app: typer.Typer) -> None:
    app.command("history")(history)
