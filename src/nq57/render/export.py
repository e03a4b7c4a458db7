"""`nq57 export`: tasks as CSV rows and deadlines as an iCalendar file (RFC 5545).

Pure functions of (data, as-of date): the same data and date give the same bytes.
The Excel workbook is laid out in :mod:`nq57.render.xlsx` from the same :class:`Export`.
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
from nq57.analysis.labels import class_label, frequency_label
from nq57.analysis.scope import plan_family, select_kpis
from nq57.analysis.tasks import TaskState
from nq57.i18n import t
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


# --- iCalendar ----------------------------------------------------------------------


def escape_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(raw, escaped)
    return text


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space),
    never inside a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _event(uid: str, day: dt.date, stamp: str, summary: str, description: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",  # a deadline, not a meeting: does not block the day
        "END:VEVENT",
    ]


def _task_event(s: TaskState, stamp: str) -> list[str]:
    task = s.task
    name = f"{task.ref} {_short(task.title)}" if task.ref else _short(task.title)
    summary = t("export.ics.task_summary", task=name)
    description = "\n".join(
        [
            t("export.ics.task_id", id=task.id),
            t("export.ics.lead", lead="; ".join(task.lead) or "—"),
            t("export.ics.deadline", deadline=task.deadline if task.deadline is not None else "—"),
            t("export.ics.class", label=class_label(s.klass)),
            t("export.ics.title", title=" ".join(task.title.split())),
        ]
    )
    assert s.due is not None  # the calendar holds tasks that have a due date
    return _event(f"{task.id}@nq57", s.due, stamp, summary, description)


def _filing_event(f: FilingDate, stamp: str) -> list[str]:
    ob = f.obligation
    kind = frequency_label(ob.frequency)
    lines = [
        t("export.ics.plan", id=f.decision.id, number=f.decision.number),
        t("export.ics.to", to=ob.to or "—"),
    ]
    if ob.via:
        lines.append(t("export.ics.via", via=ob.via))
    if ob.text:
        lines.append(ob.text)
    uid = f"filing-{f.decision.id}-{f.index + 1}-{f.due:%Y%m%d}@nq57"
    summary = t("export.ics.filing_summary", kind=kind, number=f.decision.number)
    return _event(uid, f.due, stamp, summary, "\n".join(lines))


def calendar(export: Export) -> str:
    """One all-day event per dated, open task and per filing date in the next 12 months."""
    stamp = f"{export.as_of:%Y%m%d}T000000Z"  # fixed, so the file depends on the data only
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//nq57//Han nhiem vu NQ57//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(t('export.ics.calendar'))}",
    ]
    for s in export.states:
        if s.due is not None and s.klass in OPEN_CLASSES:
            lines += _task_event(s, stamp)
    for f in export.filings:
        lines += _filing_event(f, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
