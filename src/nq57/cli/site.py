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
from nq57.cli.options import AsOfOption, parse_as_of
from nq57.i18n import t

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
    from nq57.render.site import SiteError, build_site, check_output, write_site
    from nq57.render.templating import TemplateProblem

    when = parse_as_of(as_of)
    try:
        check_output(output, force)
    except SiteError as exc:
        raise UserError(str(exc), 1) from None
    from nq57.model.queries import saved_queries

    folders = data_dirs(data)
    dataset = load_data(folders, no_cache=no_cache, warnings=False)
    warn_files_left_out(dataset)
    from nq57.analysis.history import agency_history, month_ends_before

    history = agency_history(folders[0], month_ends_before(when, HISTORY_MONTHS))
    try:
        files = build_site(
            dataset,
            when,
            queries=list(saved_queries(folders).values()),
            agency_history=history,
        )
        count = write_site(files, output, force)
    except (SiteError, TemplateProblem) as exc:
        raise UserError(str(exc), 1) from None
    except OSError as exc:
        raise UserError(t("cli.cannot_write_site", output=output, reason=exc), 1) from None
    typer.echo(t("cli.site_written", count=count, output=output, index=output / "index.html"))


def register(app: typer.Typer) -> None:
    app.command("site")(site)
