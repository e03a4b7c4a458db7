"""`nq57 validate`: the gate every pull request passes."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, load_data
from nq57.loader import display_path
from nq57.render import diagnostics as render


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Only report problems in these files or folders "
            "(references still resolve against the whole data folder)."
        ),
    ] = None,
    data: DataOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors (exit 1).")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Kiểm tra dữ liệu — check every decision, task and KPI file and report ALL problems.

    Each problem is printed as PATH:LINE:COL: CODE message. Errors (E1xx) exit 1;
    warnings (W2xx: unknown agencies, "5 rõ" gaps, unparsed deadlines, non-NFC
    text) exit 0 unless --strict. The result never depends on today's date.

    Examples:

      nq57 validate                       # the ./data folder

      nq57 validate data/tasks/71-NQ-CP-2025/16.yaml   # one file (pre-commit)

      nq57 validate --format github       # annotations in GitHub Actions

      nq57 validate --format gitlab > gl-code-quality.json   # GitLab Code Quality
    """
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
