"""Registration of the command groups beyond validate/schema.

Each module ``nq57.cli.<name>`` exposes ``register(app)``; one module per
command group keeps the CLI thin and the groups independent.
"""

from __future__ import annotations

import importlib

import typer

GROUPS = (
    "status",
    "browse",
    "edit",
    "report",
    "fmt",
    "export",
    "search",
    "init",
    "tableimport",
    "site",
    "form",
    "ingest",
    "query",
    "history",
    "changes",
)


def register(app: typer.Typer) -> None:
    for name in GROUPS:
        try:
            module = importlib.import_module(f"nq57.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"nq57.cli.{name}":  # group not installed in this build
                continue
            raise
        module.register(app)
