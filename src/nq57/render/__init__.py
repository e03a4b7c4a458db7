"""Renderers: computed results as text, JSON, CSV, rich tables, Markdown and Word."""

from enum import StrEnum


class OutputFormat(StrEnum):
    """The formats of the browsing commands (status, list, show)."""

    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    """The outputs of `nq57 report` (here, not in report_job: the CLI lists it at start)."""

    md = "md"
    docx = "docx"
    both = "both"


class AppendixMode(StrEnum):
    """Where the report's full lists go: nowhere, into the Word document, or a workbook
    beside it (`nq57 report --appendix`)."""

    none = "none"
    docx = "docx"
    xlsx = "xlsx"
