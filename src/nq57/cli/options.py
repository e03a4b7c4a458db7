"""Options shared by the reporting commands (status, list, report)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from nq57.cli.common import UserError
from nq57.i18n import t
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
        raise UserError(t("cli.bad_as_of", value=value), 2) from None


AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="DATE", show_default=False)]
WithinOption = Annotated[int, typer.Option("--within", min=0, metavar="DAYS")]
LeadOption = Annotated[str | None, typer.Option("--lead", metavar="AGENCY", show_default=False)]
DecisionOption = Annotated[str | None, typer.Option("--decision", metavar="ID", show_default=False)]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f")]
