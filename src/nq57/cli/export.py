"""`nq57 export`: tasks for Excel (CSV, XLSX), deadlines for calendars (ICS), and every
view of `nq57 query` as Parquet files or one JSON document."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    data_dirs,
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
from nq57.i18n import t

logic = lazy("nq57.render.export")
xlsx = lazy("nq57.render.xlsx")  # openpyxl: only when needed
ics = lazy("nq57.render.ics")  # icalendar: only when needed
sql = lazy("nq57.render.sql")  # DuckDB: only when needed
views = lazy("nq57.analysis.views")
listing = lazy("nq57.io.listing")
gitinfo = lazy("nq57.io.gitinfo")
config = lazy("nq57.model.config")


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    ics = "ics"
    parquet = "parquet"
    json = "json"


DEFAULT_OUTPUT = {
    ExportFormat.xlsx: Path("exports/tasks.xlsx"),
    ExportFormat.ics: Path("exports/deadlines.ics"),
    ExportFormat.parquet: Path("exports/parquet"),
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
    if format in (ExportFormat.parquet, ExportFormat.json):
        if lead or decision:
            raise UserError(t("sql.export_whole", format=format.value), 2)
        _export_views(format, output, data, when, within, force, no_cache)
        return
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
        content = ics.calendar(result)
    target = output or DEFAULT_OUTPUT[format]
    refuse_overwrite([target], force)
    write_output(target, content)


def _export_views(
    format: ExportFormat,
    output: Path | None,
    data: list[Path] | None,
    when,
    within: int,
    force: bool,
    no_cache: bool,
) -> None:
    """Every view of `nq57 query` as Parquet files (a folder) or one JSON document."""
    folders = data_dirs(data)
    dataset = load_data(folders, no_cache=no_cache, warnings=False)
    warn_files_left_out(dataset)
    meta = sql.Meta(config.repository_org(folders), when, gitinfo.head_commit(folders[0]))
    built = views.build_views(dataset, when, within, listing.entity_files(dataset.roots))
    if format is ExportFormat.json:
        content = sql.export_json(built, meta).encode("utf-8")
        if output is None:
            typer.echo(content, nl=False)
            return
        refuse_overwrite([output], force)
        write_output(output, content)
        return
    folder = output or DEFAULT_OUTPUT[format]
    if folder.exists() and not folder.is_dir():
        raise UserError(t("sql.export_not_folder", folder=folder), 1)
    refuse_overwrite([folder / f"{name}.parquet" for name in built], force)
    try:
        written = sql.write_parquet(built, folder, meta)
    except OSError as exc:
        raise UserError(t("cli.cannot_write", path=folder, reason=exc.strerror or exc), 1) from None
    for path in written:
        typer.echo(t("cli.wrote", path=path), err=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
