"""`nq57 site`: a static HTML dashboard (trang tổng hợp) in a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    data_dirs,
    load_data,
    warn_files_left_out,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import AsOfOption, parse_as_of
from nq57.i18n import t

builder = lazy("nq57.render.site")
queries = lazy("nq57.model.queries")
history_module = lazy("nq57.analysis.history")

HISTORY_MONTHS = 12  # month-ends in each agency page's history table


def site(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR"),
    ] = Path("site"),
    data: DataOption = None,
    as_of: AsOfOption = None,
    force: Annotated[
        bool,
        typer.Option("--force"),
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 site`: the static HTML dashboard (help text: help.site in the catalogue)."""

    when = parse_as_of(as_of)
    builder.check_output(output, force)
    folders = data_dirs(data)
    dataset = load_data(folders, no_cache=no_cache, warnings=False)
    warn_files_left_out(dataset)
    ends = history_module.month_ends_before(when, HISTORY_MONTHS)
    overall, by_agency = history_module.site_history(folders[0], ends)
    try:
        files = builder.build_site(
            dataset,
            when,
            queries=list(queries.saved_queries(folders).values()),
            agency_history=by_agency,
            history=overall,
        )
        count = builder.write_site(files, output, force)
    except OSError as exc:
        raise UserError(t("cli.cannot_write_site", output=output, reason=exc), 1) from None
    typer.echo(t("cli.site_written", count=count, output=output, index=output / "index.html"))


def register(app: typer.Typer) -> None:
    app.command("site")(site)
