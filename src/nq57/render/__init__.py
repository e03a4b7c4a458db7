"""Renderers: computed results as text, JSON, CSV, rich tables, Markdown and Word."""

from enum import StrEnum


class OutputFormat(StrEnum):
    """The formats of the browsing commands (status, list, show)."""

    table = "table"
    json = "json"
    csv = "csv"
