"""`nq57 export --format ics`: deadlines and filing dates as an iCalendar file (RFC 5545).

The icalendar library writes the text: escaping of TEXT values, folding at 75 octets
(never inside a character or an escape), CRLF line ends. Properties keep the order
they are added in and DTSTAMP is the as-of date, so the same data and date give the
same bytes. Its own module: importing icalendar costs ~60 ms, paid by this format only.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from nq57.analysis.labels import class_label, frequency_label
from nq57.analysis.tasks import TaskState
from nq57.i18n import t
from nq57.render.export import OPEN_CLASSES, Export, FilingDate


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _event(
    uid: str, day: dt.date, stamp: dt.datetime, summary: str, description: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date: an all-day event (VALUE=DATE)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: does not block the day
    return event


def _task_event(s: TaskState, stamp: dt.datetime) -> icalendar.Event:
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


def _filing_event(f: FilingDate, stamp: dt.datetime) -> icalendar.Event:
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


def calendar(export: Export) -> bytes:
    """One all-day event per dated, open task and per filing date in the next 12 months."""
    # fixed, so the file depends on the data only
    stamp = dt.datetime.combine(export.as_of, dt.time(), tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//nq57//Han nhiem vu NQ57//VI")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("export.ics.calendar"))
    for s in export.states:
        if s.due is not None and s.klass in OPEN_CLASSES:
            cal.add_component(_task_event(s, stamp))
    for f in export.filings:
        cal.add_component(_filing_event(f, stamp))
    return cal.to_ical(sorted=False)
