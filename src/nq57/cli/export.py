"""`nq57 export`: tasks for Excel (CSV, XLSX) and deadlines for calendars (ICS)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    load_data,
    refuse_overwrite,
    require_decision,
    resolve_agency,
    warn_files_left_out,
    write_output,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    LeadOption,
    WithinOption,
    parse_as_of,
)

logic = lazy("nq57.render.export")
xlsx = lazy("nq57.render.xlsx")  # openpyxl: only when needed


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    ics = "ics"


DEFAULT_OUTPUT = {
    ExportFormat.xlsx: Path("exports/tasks.xlsx"),
    ExportFormat.ics: Path("exports/deadlines.ics"),
}


def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
        ),
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 export`: CSV, XLSX or ICS (help text: help.export in the catalogue)."""
    when = parse_as_of(as_of)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    require_decision(dataset, decision)
    lead = resolve_agency(dataset, lead)
    warn_files_left_out(dataset)
    result = logic.collect(dataset, when, within, decision, lead)
    if format is ExportFormat.csv:
        content = logic.tasks_csv(result.states)
        if output is None:
            typer.echo(content, nl=False)  # bytes: written as is, BOM included
            return
    elif format is ExportFormat.xlsx:
        content = xlsx.workbook_bytes(result)
    else:
        content = logic.calendar(result).encode("utf-8")
    target = output or DEFAULT_OUTPUT[format]
    refuse_overwrite([target], force)
    write_output(target, content)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
