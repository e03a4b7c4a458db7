"""`nq57 fmt`: rewrite data files in the canonical style (keeps comments)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, UserError
from nq57.loader import DataFolderNotFound, find_data_dir


def _folders(given: list[Path] | None) -> list[Path]:
    """The data folders named (or the default); folders they include are not formatted."""
    if not given:
        try:
            return [find_data_dir()]
        except DataFolderNotFound as exc:
            raise UserError(str(exc), exit_code=2) from None
    for folder in given:
        if not folder.is_dir():
            raise UserError(f"data folder '{folder}' does not exist or is not a folder", 2)
    return given


def _warn(message: str) -> None:
    typer.echo(f"nq57: {message}", err=True)


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Only these files or folders of the data folder (default: all)."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; print a diff of what would change and exit 1 if anything would.",
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Định dạng tệp dữ liệu — rewrite data files in the canonical style.

    Canonical: keys in the house order (docs/data-format.md), two-space indent,
    list items as "  - item", quotes only where needed, text in Unicode NFC.
    Comments are kept. Files that do not parse are never touched (exit 1).
    Files already canonical are left byte-for-byte as they are.

    Examples:

      nq57 fmt                      # every file of ./data

      nq57 fmt --check              # CI / pre-commit: diff, exit 1 if not canonical

      nq57 fmt data/tasks/71-NQ-CP-2025
    """
    from nq57 import formatting

    files = formatting.data_files(_folders(data), paths)
    changed = refused = 0
    for source in files:
        result = formatting.format_file(source, write=not check, warn=_warn)
        if result.refused:
            refused += 1
            for diagnostic in result.diagnostics:
                typer.echo(diagnostic.format(), err=True)
            why = f": {result.reason}" if result.reason else ""
            typer.echo(f"{result.display}: không định dạng (not formatted){why}", err=True)
        elif result.changed:
            changed += 1
            if check:
                typer.echo(formatting.diff(result), nl=False)
            else:
                typer.echo(f"đã định dạng (formatted): {result.display}")
    verb = "cần định dạng (would be reformatted)" if check else "đã định dạng (reformatted)"
    typer.echo(
        f"{changed} tệp {verb}, {len(files) - changed - refused} tệp đã đúng chuẩn "
        f"(already canonical), {refused} tệp lỗi (not formatted)",
        err=True,
    )
    raise typer.Exit(1 if refused or (check and changed) else 0)


def register(app: typer.Typer) -> None:
    app.command("fmt")(fmt)
