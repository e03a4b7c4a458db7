"""Options shared by the reporting commands (status, list, report)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from nq57.cli.common import UserError
from nq57.render import OutputFormat


def parse_as_of(value: str | None) -> dt.date:
    """--as-of: ISO date or day-first dd/mm/yyyy; default today (the only clock read)."""
    if value is None:
        return dt.date.today()
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--as-of '{value}' is not a date (YYYY-MM-DD or dd/mm/yyyy)", 2) from None


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Ngày tính (date to compute for), YYYY-MM-DD. Default: today.",
        show_default=False,
    ),
]
WithinOption = Annotated[
    int, typer.Option("--within", min=0, help="Cửa sổ 'sắp đến hạn' tính bằng ngày.")
]
LeadOption = Annotated[
    str | None,
    typer.Option(
        "--lead",
        help="Chỉ nhiệm vụ do đơn vị này chủ trì (aliases, merged "
        "predecessors and sub-units included).",
        show_default=False,
    ),
]
DecisionOption = Annotated[
    str | None,
    typer.Option(
        "--decision",
        help="Chỉ một kế hoạch (decision id) và các kế hoạch triển khai nó.",
        show_default=False,
    ),
]


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
