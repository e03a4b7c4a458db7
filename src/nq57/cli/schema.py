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
    """Write JSON Schema files (decision, task, KPI, agencies) from the data model.

    Point your editor at them. In VS Code (YAML extension) add to
    .vscode/settings.json:

      "yaml.schemas": {"schemas/nq57-task.schema.json": "data/tasks/**/*.yaml",
                       "schemas/nq57-kpi.schema.json": "data/kpis/**/*.yaml",
                       "schemas/nq57-decision.schema.json": "data/decisions/*.yaml"}

    or put a first line in one file (path relative to that file):

      # yaml-language-server: $schema=../../../schemas/nq57-task.schema.json
    """
    for path in write_schemas(output):
        typer.echo(str(path))
