"""`nq57 schema`: JSON Schema files for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.lazy import lazy

model = lazy("nq57.model.schema")


def schema(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR")] = Path("schemas"),
) -> None:
    """Write JSON Schema files from the data model (help: catalogue key help.schema)."""
    for path in model.write_schemas(output):
        typer.echo(str(path))
