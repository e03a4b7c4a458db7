"""Options shared by the reporting commands (status, list, report)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from nq57.cli.common import UserError
from nq57.i18n import t
from nq57.render import OutputFormat

# The days a report can be computed for: deadlines, filings and calendars reach a few
# years past the as-of day, which must stay far from the calendar's end (year 9999).
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)
MAX_WITHIN = 36500  # days: a hundred years ahead is "everything"


def parse_as_of(value: str | None, option: str = "--as-of") -> dt.date:
    """--as-of (or the date ``option`` the user typed): ISO date or day-first dd/mm/yyyy;
    default today (the only clock read)."""
    if value is None:
        return dt.date.today()
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            when = dt.date(year, month, day)
        else:
            when = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(t("cli.bad_as_of", option=option, value=value), 2) from None
    if not EARLIEST_DAY <= when <= LATEST_DAY:
        raise UserError(t("cli.as_of_out_of_range", option=option, value=value, **_range()), 2)
    return when


def check_month(first_day: dt.date, value: str, option: str = "--month") -> None:
    """--month (or the month ``option`` the user typed): within the same years as --as-of."""
    if not EARLIEST_DAY <= first_day <= LATEST_DAY:
        raise UserError(t("cli.month_out_of_range", option=option, value=value, **_range()), 2)


def _range() -> dict[str, str]:
    return {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}


AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="DATE", show_default=False)]
WithinOption = Annotated[int, typer.Option("--within", min=0, max=MAX_WITHIN, metavar="DAYS")]
LeadOption = Annotated[str | None, typer.Option("--lead", metavar="AGENCY", show_default=False)]
DecisionOption = Annotated[str | None, typer.Option("--decision", metavar="ID", show_default=False)]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f")]
