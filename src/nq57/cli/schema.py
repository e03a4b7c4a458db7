"""`nq57 schema`: JSON Schema files for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.schema import write_schemas


def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write to.")] = Path(
        "schemas"
    ),
) -> None:
    """Write JSON Schema files (decision, task, KPI) generated from the data model.

    Point your editor at them: the first line of a data file

      # yaml-language-server: $schema=../../schemas/nq57-task.schema.json

    makes VS Code (YAML extension) complete and check fields as you type.
    """
    for path in write_schemas(output):
        typer.echo(str(path))
