"""`nq57 export`: what is exported (:class:`Export`) and the tasks as CSV rows.

Pure functions of (data, as-of date): the same data and date give the same bytes.
The Excel workbook is laid out in :mod:`nq57.render.xlsx` and the iCalendar file in
:mod:`nq57.render.ics`, from the same :class:`Export`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from nq57.analysis.browse import task_states
from nq57.analysis.filings import due_dates
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.labels import class_label
from nq57.analysis.scope import plan_family, select_kpis
from nq57.analysis.tasks import TaskState
from nq57.model.dataset import DataSet
from nq57.model.entities import Decision, Reporting
from nq57.render.records import task_record
from nq57.render.status import CSV_FIELDS

# The columns of `nq57 status --format csv`, then what an analyst filters on in Excel.
# The header row is these keys in every language (tools read them); the values of
# `class_label` follow the interface language, every other value is data or a code.
EXPORT_CSV_FIELDS = [
    *CSV_FIELDS,
    "class_label",
    "completed",
    "support",
    "output",
    "progress",
    "progress_source",
]
FILING_MONTHS = 12  # filing dates this far ahead go into the calendar
OPEN_CLASSES = ("overdue", "due_soon", "on_track")


@dataclass(frozen=True)
class FilingDate:
    decision: Decision
    index: int  # position of the obligation in the decision's `reporting` list
    obligation: Reporting
    due: dt.date


@dataclass(frozen=True)
class Export:
    as_of: dt.date
    states: list[TaskState]  # every task in scope, by id
    kpis: list[KpiState]
    filings: list[FilingDate]


def collect(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    decision: str | None = None,
    lead: str | None = None,
) -> Export:
    """Everything exported, scoped like `nq57 status` (filings follow --decision only)."""
    states = task_states(data, as_of, within, decision, lead, None)
    kpis = [assess(k, as_of) for k in select_kpis(data, decision, lead)]
    plans = sorted(plan_family(data, decision)) if decision else sorted(data.decisions)
    decisions = [data.decisions[p] for p in plans if p in data.decisions]
    return Export(as_of, states, kpis, filing_dates(decisions, as_of))


def filing_dates(decisions: list[Decision], as_of: dt.date) -> list[FilingDate]:
    """Due dates of reporting obligations from ``as_of`` (included) for FILING_MONTHS."""
    end = as_of + relativedelta(months=FILING_MONTHS)  # 29 February -> 28 February
    found = [
        FilingDate(d, i, ob, day)
        for d in decisions
        for i, ob in enumerate(d.reporting)
        for year in range(as_of.year, end.year + 1)
        for day in due_dates(ob, year)
        if as_of <= day < end and day >= d.issued
    ]
    return sorted(found, key=lambda f: (f.due, f.decision.id, f.index))


# --- CSV --------------------------------------------------------------------------


def task_row(s: TaskState) -> dict:
    """One CSV row: the JSON task record flattened, plus the class label (in the
    interface language)."""
    row = task_record(s)
    row["lead"] = "; ".join(row["lead"])
    row["class_label"] = class_label(s.klass)
    row["support"] = "; ".join(s.task.support)
    row["output"] = s.task.output
    return row


def tasks_csv(states: list[TaskState]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=EXPORT_CSV_FIELDS, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(task_row(s) for s in states)
    # Excel reads a CSV without a byte-order mark in the legacy code page (Windows-1258 or
    # 1252 on Vietnamese machines), which garbles every accented letter; the UTF-8 BOM makes
    # it read UTF-8. Python's csv module and pandas skip it with encoding="utf-8-sig".
    return buf.getvalue().encode("utf-8-sig")
