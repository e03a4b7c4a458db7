"""Reporting obligations (e.g. monthly before the 5th): next filing date, late filings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:  # types only: the status index reads without pydantic
    from nq57.model.entities import Decision, Reporting


@dataclass(frozen=True)
class Filing:
    decision: Decision
    obligation: Reporting
    next_due: dt.date | None  # first due date on or after as_of
    last_due: dt.date | None  # latest due date before as_of
    last_late: bool  # last_due passed with no filing recorded for it
    days_late: int | None


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, 1) + relativedelta(day=day)  # the 31st of April: the 30th


def due_dates(ob: Reporting, year: int) -> list[dt.date]:
    """Every due date of an obligation in a calendar year."""
    if ob.frequency == "monthly" and ob.due_day:
        return [_day(year, m, ob.due_day) for m in range(1, 13)]
    if ob.frequency == "quarterly" and ob.due_day:
        month = ob.month_of_quarter or 3
        return [_day(year, 3 * (q - 1) + month, ob.due_day) for q in range(1, 5)]
    if ob.frequency in ("semiannual", "annual") and ob.dates:
        return sorted(_day(year, int(d[:2]), int(d[3:])) for d in ob.dates)
    return []


def filing_status(decision: Decision, ob: Reporting, as_of: dt.date) -> Filing:
    dates = [d for y in (as_of.year - 1, as_of.year, as_of.year + 1) for d in due_dates(ob, y)]
    dates = [d for d in dates if d >= decision.issued]
    upcoming = [d for d in dates if d >= as_of]
    past = [d for d in dates if d < as_of]
    next_due = upcoming[0] if upcoming else None
    last_due = past[-1] if past else None
    late = False
    if last_due is not None:
        previous = past[-2] if len(past) > 1 else decision.issued
        # A filing sent after the due date still settles it (late, but filed).
        late = not any(previous < f <= as_of for f in ob.filed)
    days = (as_of - last_due).days if late and last_due else None
    return Filing(decision, ob, next_due, last_due, late, days)


def filings(decisions: list[Decision], as_of: dt.date) -> list[Filing]:
    result = [
        filing_status(d, ob, as_of)
        for d in decisions
        for ob in d.reporting
        if ob.frequency != "on_request"
    ]
    return sorted(result, key=lambda f: (f.next_due or dt.date.max, f.decision.id))
