"""`nq57 init`: start a data repository for a new ministry or province (see nq57.scaffold)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import UserError


def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Thư mục kho dữ liệu (target folder). Default: here."),
    ] = Path("."),
    org: Annotated[
        str,
        typer.Option(
            "--org",
            help="Tên cơ quan, đơn vị (organisation), as printed, e.g. 'Bộ Y tế'.",
            show_default=False,
        ),
    ] = ...,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist.")
    ] = False,
) -> None:
    """Khởi tạo kho dữ liệu — create the skeleton of a data repository.

    Writes data/ (decisions/, tasks/, kpis/, config.yaml with the report header,
    agencies.yaml from the bundled registry), schemas/, .vscode/settings.json,
    a GitHub Actions workflow, a pre-commit configuration, .gitignore and a
    README in Vietnamese with the first steps. Existing files are never replaced
    without --force (nothing is written then).

    Examples:

      nq57 init bo-y-te --org "Bộ Y tế"

      nq57 init --org "Ủy ban nhân dân thành phố Hà Nội"
    """
    from nq57 import scaffold

    try:
        result = scaffold.write(folder, org, force=force)
    except scaffold.ScaffoldError as exc:
        raise UserError(str(exc)) from None
    for path in result.written:
        typer.echo(f"nq57: đã tạo (wrote) {path}", err=True)
    for path in result.replaced:
        typer.echo(f"nq57: đã thay (replaced) {path}", err=True)
    if result.org_added:
        typer.echo(
            f"nq57: '{org}' chưa có trong danh mục, đã thêm vào data/agencies.yaml "
            "(added to the registry)",
            err=True,
        )
    typer.echo(
        f"Đã khởi tạo kho dữ liệu tại {folder} — xem README.md: "
        "thêm văn bản, nhiệm vụ, rồi chạy `nq57 validate`."
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
