"""`nq57 init`: start a data repository for a new ministry or province (see nq57.edit.scaffold)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.lazy import lazy
from nq57.i18n import t

scaffold = lazy("nq57.edit.scaffold")


def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR"),
    ] = Path("."),
    org: Annotated[
        str,
        typer.Option("--org", metavar="NAME", show_default=False),
    ] = ...,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> None:
    """`nq57 init`: the skeleton of a data repository (help text: help.init)."""

    result = scaffold.write(folder, org, force=force)
    for path in result.written:
        typer.echo(t("init.wrote", path=path), err=True)
    for path in result.replaced:
        typer.echo(t("init.replaced", path=path), err=True)
    if result.org_added:
        typer.echo(t("init.org_added", org=org), err=True)
    typer.echo(t("init.done", folder=folder))


def register(app: typer.Typer) -> None:
    app.command("init")(init)
