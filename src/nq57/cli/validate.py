"""`nq57 validate`: the gate every pull request passes."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, load_data
from nq57.io.loader import display_path
from nq57.render import diagnostics as render


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def validate(
    paths: Annotated[list[Path] | None, typer.Argument()] = None,
    data: DataOption = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    strict: Annotated[bool, typer.Option()] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Check every data file and report all problems (help: catalogue key help.validate)."""
    dataset = load_data(data, no_cache=no_cache)
    diagnostics = dataset.diagnostics
    if paths:
        wanted = [display_path(p) for p in paths]
        diagnostics = [
            d
            for d in diagnostics
            if any(d.path == w or d.path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)
        ]
    output = {
        Format.text: render.as_text,
        Format.json: render.as_json,
        Format.github: render.as_github,
        Format.gitlab: render.as_gitlab,
    }[format](diagnostics)
    typer.echo(output, nl=False)
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    raise typer.Exit(1 if failed else 0)
