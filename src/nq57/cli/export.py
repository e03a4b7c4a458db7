"""`nq57 export`: tasks for Excel (CSV, XLSX) and deadlines for calendars (ICS)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    load_data,
    refuse_overwrite,
    write_output,
)
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    LeadOption,
    WithinOption,
    parse_as_of,
)


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
            help="csv (every task, UTF-8 for Excel), xlsx (Excel workbook: tasks and KPIs) "
            "or ics (calendar of deadlines and filing dates).",
        ),
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file. csv: default stdout; xlsx: default exports/tasks.xlsx; "
            "ics: default exports/deadlines.ics.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Xuất dữ liệu — export tasks to CSV or Excel, deadlines to a calendar file.

    The ICS file has one all-day event per open task with a due date and one per
    filing date of the plans' reporting obligations in the next 12 months; import it
    into Outlook or Google Calendar. Existing files are not overwritten without --force.

    Examples:

      nq57 export > nhiem-vu.csv                        # CSV to stdout

      nq57 export -f xlsx --lead "Bộ Tài chính"         # exports/tasks.xlsx

      nq57 export -f ics -o han.ics --decision 71-NQ-CP-2025
    """
    when = parse_as_of(as_of)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    if decision and decision not in dataset.decisions:
        raise UserError(f"no decision '{decision}'; see `nq57 list decisions`", 1)
    if dataset.invalid_files:
        typer.echo(
            f"nq57: cảnh báo (warning): {len(dataset.invalid_files)} tệp lỗi bị bỏ qua "
            "(files with errors left out); run `nq57 validate`",
            err=True,
        )
    from nq57 import export as logic

    result = logic.collect(dataset, when, within, decision, lead)
    if format is ExportFormat.csv:
        content = logic.tasks_csv(result.states)
        if output is None:
            typer.echo(content, nl=False)  # bytes: written as is, BOM included
            return
    elif format is ExportFormat.xlsx:
        from nq57.render.xlsx import workbook_bytes  # openpyxl: only when needed

        content = workbook_bytes(result)
    else:
        content = logic.calendar(result).encode("utf-8")
    target = output or DEFAULT_OUTPUT[format]
    refuse_overwrite([target], force)
    write_output(target, content)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
