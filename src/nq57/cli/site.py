"""`nq57 site`: a static HTML dashboard (trang tổng hợp) in a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, UserError, load_data
from nq57.cli.options import AsOfOption, parse_as_of


def site(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Thư mục ghi trang (output folder)."),
    ] = Path("site"),
    data: DataOption = None,
    as_of: AsOfOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder (replaces the pages of an earlier build; "
            "other files are left alone).",
        ),
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Trang tổng hợp — a static HTML dashboard: overview, agencies, plans, KPIs, one page
    per task. No server needed: open index.html, or publish the folder on GitHub/GitLab
    Pages. The same data and --as-of always give the same files.

    Examples:

      nq57 site                                   # ./site, as of today

      nq57 site --output public --as-of 2025-09-30 --force
    """
    from nq57.site import SiteError, build_site, check_output, write_site
    from nq57.templating import TemplateProblem

    when = parse_as_of(as_of)
    try:
        check_output(output, force)
    except SiteError as exc:
        raise UserError(str(exc), 1) from None
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    if dataset.invalid_files:
        typer.echo(
            f"nq57: cảnh báo (warning): {len(dataset.invalid_files)} tệp lỗi bị bỏ qua "
            "(files with errors left out); run `nq57 validate`",
            err=True,
        )
    try:
        files = build_site(dataset, when)
        count = write_site(files, output, force)
    except (SiteError, TemplateProblem) as exc:
        raise UserError(str(exc), 1) from None
    except OSError as exc:
        raise UserError(f"cannot write the site to '{output}': {exc}", 1) from None
    typer.echo(f"nq57: đã ghi (wrote) {count} tệp vào {output}/ — mở {output / 'index.html'}")


def register(app: typer.Typer) -> None:
    app.command("site")(site)
