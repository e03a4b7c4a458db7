"""`nq57 validate`: the gate every pull request passes."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    load_data,
    require_paths_select,
)
from nq57.cli.lazy import lazy
from nq57.i18n import t

if TYPE_CHECKING:
    from nq57.model.dataset import DataSet

loader = lazy("nq57.io.loader")
render = lazy("nq57.render.diagnostics")


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH")] = None,
    data: DataOption = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    strict: Annotated[bool, typer.Option()] = False,
    errors_only: Annotated[bool, typer.Option("--errors-only")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Check every data file and report all problems (help: catalogue key help.validate)."""
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        raise UserError(t("cli.no_such_path", path=missing[0]), 2)
    dataset = load_data(data, no_cache=no_cache)
    diagnostics = dataset.diagnostics
    if paths:
        found = [str(s.path) for s in dataset.sources] + [d.path for d in diagnostics if d.path]
        require_paths_select(paths, dataset.roots, found)
        wanted = [loader.display_path(p) for p in paths]
        diagnostics = [
            d
            for d in diagnostics
            if any(d.path == w or d.path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)
        ]
    checked = render.Checked(files=_files_checked(dataset, paths), errors_only=errors_only)
    output = {
        Format.text: render.as_text,
        Format.json: render.as_json,
        Format.github: render.as_github,
        Format.gitlab: render.as_gitlab,
    }[format](diagnostics, checked)
    typer.echo(output, nl=False)
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    raise typer.Exit(1 if failed else 0)


def _files_checked(dataset: DataSet, paths: list[Path] | None) -> int:
    """How many data files were read (those under PATH... when given)."""
    if not paths:
        return len(dataset.sources)
    wanted = [p.resolve() for p in paths]
    return sum(any(s.path.resolve().is_relative_to(w) for w in wanted) for s in dataset.sources)
