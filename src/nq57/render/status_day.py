"""`nq57 status --format json` from the date-independent index (analysis/statusday.py).

The index is stored with each task's record text up to its first date-dependent field
(the id, plan, reference, title, leads, deadline, and for a task that does not recur
its due date and recurrence), already indented as it stands in the output
(:mod:`nq57.render.status_index` writes it). A run with a new ``--as-of`` date writes
only the rest of each record (status, class, progress, days) and lets orjson place the
stored texts (``orjson.Fragment``); a recurring task's due date and recurrence are
written each time too. The text is the one
:func:`nq57.render.status.as_json_bytes` writes (tested over dates and scopes); where
that is not certain (a value orjson would write differently from ``json.dumps``)
:func:`as_json_bytes` answers None and the status is computed the ordinary way.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace

import orjson

from nq57.analysis.statusday import StatusDay, StatusIndex, index_day
from nq57.analysis.tasks import RecurringClass
from nq57.render import jsontext
from nq57.render.records import dated_fields, filing_record, group_record, kpi_record

INDENT = b"\n    "  # a record is an item of a list of the top-level object
FORMAT = "nq57-status-index-4"
_TAIL = (  # the fields after the stored text: status, class, progress (always computed)
    b',\n      "status": "%s",\n      "class": "%s",'
    b'\n      "progress": %s,\n      "progress_source": "%s"'
)


def read_index(body: bytes) -> StatusIndex | None:
    """The index stored by :func:`index_bytes` (its columns pickled, then the record heads:
    a view of ``body``, not a copy of 20 MB); None when it is not one."""
    try:
        view = memoryview(body)
        size = int.from_bytes(view[:8], "little")
        name, index = pickle.loads(view[8 : 8 + size], buffers=[view[8 + size :]])
    except Exception:  # written by another version, damaged: computed again
        return None
    return index if name == FORMAT and isinstance(index, StatusIndex) else None


def indented(value: dict) -> bytes:
    """``value`` as its text in a record list: orjson's when it can write it, else the
    standard library's (lone surrogates, as the ordinary writer falls back to)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8", "surrogatepass")
    return text.replace(b"\n", INDENT)


def json_from_index(stored: bytes | None, as_of: dt.date, within: int) -> bytes | None:
    """The status JSON of ``as_of`` from a stored index; None without one."""
    index = read_index(stored) if stored is not None else None
    return None if index is None else as_json_bytes(index, index_day(index, as_of, within))


def table_from_index(stored: bytes | None, as_of: dt.date, within: int) -> DayTable | None:
    """What the status table of ``as_of`` shows, from a stored index; None without one."""
    index = read_index(stored) if stored is not None else None
    return None if index is None else day_table(index, index_day(index, as_of, within))


@dataclass
class TableRow:
    """What the status table reads of a listed task's :class:`TaskState`; the task's id,
    title and leads are read from its stored record text when first asked for (the
    table shows the first ``--limit`` rows)."""

    head: bytes | memoryview
    due: dt.date | None
    recurring: str | None  # a recurring task's recurrence; another's is in its record
    days_overdue: int | None
    days_left: int | None

    @cached_property
    def task(self) -> SimpleNamespace:
        return SimpleNamespace(**orjson.loads(bytes(self.head) + b"}"))

    @property
    def recurrence(self) -> str | None:
        return self.recurring if self.recurring is not None else self.task.recurrence


@dataclass
class DayTable:
    """What ``render.status.render_table`` reads of a StatusReport, for one day."""

    as_of: dt.date
    within: int
    counts: dict[str, int]
    invalid_files: list[str]
    overdue: list[TableRow]
    upcoming: list[TableRow]
    states: bool  # any task in scope (the table asks only that)
    progress_recorded: bool
    by_agency: list
    by_plan: list
    kpis_off_track: list
    stale_kpis: list
    filings: list


def day_table(index: StatusIndex, day: StatusDay) -> DayTable:
    heads, ends = index.extra["heads"]

    def row(n: int) -> TableRow:
        head = heads[ends[n - 1] if n else 0 : ends[n]]
        found = day.states.get(n)
        if found is not None:  # recurring
            recurrence = index.recurring[n][0]
            return TableRow(head, found.due, recurrence, found.days_overdue, found.days_left)
        due = None if index.due[n] is None else dt.date.fromordinal(index.due[n])
        days = day.days[n]
        late = day.klass[n] == "overdue"
        return TableRow(head, due, None, days if late else None, None if late else days)

    return DayTable(
        as_of=day.as_of,
        within=day.within,
        counts=day.counts,
        invalid_files=index.invalid_files,
        overdue=[row(n) for n in day.overdue],
        upcoming=[row(n) for n in day.upcoming],
        states=bool(index.scope),
        progress_recorded=index.progress_recorded,
        by_agency=day.by_agency,
        by_plan=day.by_plan,
        kpis_off_track=[k for k in day.kpis if k.off_track],
        stale_kpis=day.stale_kpis,
        filings=day.filings,
    )


def as_json_bytes(index: StatusIndex, day: StatusDay) -> bytes | None:
    """The status JSON of ``day``; None when it cannot be written certainly alike."""
    records = _task_records(index, day)
    rest = {
        "counts": day.counts,
        "kpis_off_track": [kpi_record(k) for k in day.kpis if k.off_track],
        "filings": [filing_record(f) for f in day.filings],
        "invalid_files": index.invalid_files,
        "stale_kpis": [kpi_record(k) for k in day.stale_kpis],
        "by_agency": [group_record(g) for g in day.by_agency],
        "by_plan": [group_record(g) for g in day.by_plan],
    }
    if not jsontext.orjson_safe(rest):
        return None
    payload = {
        "as_of": day.as_of.isoformat(),
        "within_days": day.within,
        "counts": rest["counts"],
        "overdue": [records[n] for n in day.overdue],
        "upcoming": [records[n] for n in day.upcoming],
        "kpis_off_track": rest["kpis_off_track"],
        "filings": rest["filings"],
        "invalid_files": rest["invalid_files"],
        "stale": [records[n] for n in day.stale],
        "stale_kpis": rest["stale_kpis"],
        "by_agency": rest["by_agency"],
        "by_plan": rest["by_plan"],
    }
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def _task_records(index: StatusIndex, day: StatusDay) -> dict[int, orjson.Fragment]:
    """The record of every task listed (overdue, due soon or stale), by scope position."""
    heads, ends = index.extra["heads"]
    fragment = orjson.Fragment
    klass, status, days = day.klass, day.status, day.days
    progress, source, completed = day.progress, day.source, day.completed
    records: dict[int, orjson.Fragment] = {}
    fronts: dict[tuple[str, str, str], tuple[bytes, bytes]] = {}  # few kinds: written once
    overdue = b',\n      "days_overdue": %d'
    left = b',\n      "days_left": %d'
    for n in (*day.overdue, *day.upcoming, *day.stale):
        if n in records:
            continue
        head = heads[ends[n - 1] if n else 0 : ends[n]]
        found = day.states.get(n)
        if found is not None:
            records[n] = fragment(b"".join((head, _recurring_tail(index, day, n, found))))
            continue
        kind = (status[n], klass[n], source[n])
        front = fronts.get(kind)
        if front is None:
            text = _TAIL % (kind[0].encode(), kind[1].encode(), b"%s", kind[2].encode())
            front = fronts[kind] = tuple(text.split(b"%s"))  # type: ignore[assignment]
        value = progress[n]
        parts = [head, front[0], b"null" if value is None else b"%d" % value, front[1]]
        if days[n] is not None:
            parts.append((overdue if kind[1] == "overdue" else left) % days[n])
        if completed[n] is not None:
            finished = dt.date.fromordinal(completed[n]).isoformat()  # type: ignore[arg-type]
            parts.append(b',\n      "completed": "%s"' % finished.encode())
        parts.append(b"\n    }")
        records[n] = fragment(b"".join(parts))
    return records


def _recurring_tail(index: StatusIndex, day: StatusDay, n: int, found: RecurringClass) -> bytes:
    """The fields of a recurring task's record after its deadline (as task_record)."""
    rest: dict = {
        "due": found.due.isoformat() if found.due else None,
        "recurrence": index.recurring[n][0],
        "status": day.status[n],
        "class": found.klass,
        "progress": day.progress[n],
        "progress_source": day.source[n],
    }
    done = day.completed[n]
    dated_fields(rest, found, None if done is None else dt.date.fromordinal(done))
    return b"," + indented(rest)[1:]  # '{' left out: the record's head opened it
