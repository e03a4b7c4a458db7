"""`nq57 status`: what is overdue, what is coming, who is behind."""

from __future__ import annotations

from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, load_data, require_decision, resolve_agency
from nq57.cli.lazy import lazy
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    FormatOption,
    LeadOption,
    OutputFormat,
    WithinOption,
    parse_as_of,
)

analysis = lazy("nq57.analysis.status")
render = lazy("nq57.render.status")


def status(
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    format: FormatOption = OutputFormat.table,
    limit: Annotated[int, typer.Option("--limit", metavar="N")] = 20,
    no_cache: NoCacheOption = False,
) -> None:
    """Overdue, due-soon, agencies, KPIs, filings (help text: help.status in the catalogue)."""
    when = parse_as_of(as_of)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    require_decision(dataset, decision)
    lead = resolve_agency(dataset, lead)
    report = analysis.build_status(dataset, when, within, decision, lead)
    if format is OutputFormat.json:
        typer.echo(render.as_json(report), nl=False)
    elif format is OutputFormat.csv:
        typer.echo(render.as_csv(report), nl=False)
    else:
        render.render_table(report, render.make_console(), limit)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
