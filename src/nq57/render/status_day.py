"""`nq57 status --format json` from the date-independent index (analysis/statusday.py).

The index is stored with each task's record text up to its first date-dependent field
(the id, plan, reference, title, leads, deadline, and for a task that does not recur
its due date and recurrence), already indented as it stands in the output
(:mod:`nq57.render.status_index` writes it). A run with a new ``--as-of`` date writes
only the rest of each record (status, class, progress, days) and lets orjson place the
stored texts (``orjson.Fragment``). Recurring tasks are written from their own state by
:func:`~nq57.render.records.task_record`. The text is the one
:func:`nq57.render.status.as_json_bytes` writes (tested over dates and scopes); where
that is not certain (a value orjson would write differently from ``json.dumps``)
:func:`as_json_bytes` answers None and the status is computed the ordinary way.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle

import orjson

from nq57.analysis.statusday import StatusDay, StatusIndex, index_day
from nq57.render import jsontext
from nq57.render.records import filing_record, group_record, kpi_record, task_record

INDENT = b"\n    "  # a record is an item of a list of the top-level object
FORMAT = "nq57-status-index-2"
_TAIL = (  # the fields after the stored text: status, class, progress (always computed)
    b',\n      "status": "%s",\n      "class": "%s",'
    b'\n      "progress": %s,\n      "progress_source": "%s"'
)


def read_index(body: bytes) -> StatusIndex | None:
    """The index stored by :func:`index_bytes`; None when it is not one."""
    try:
        name, index = pickle.loads(body)
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
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"


def _task_records(index: StatusIndex, day: StatusDay) -> dict[int, orjson.Fragment]:
    """The record of every task listed (overdue, due soon or stale), by scope position."""
    heads = index.extra["heads"]
    fragment = orjson.Fragment
    klass, status, days = day.klass, day.status, day.days
    progress, source, completed = day.progress, day.source, day.completed
    records: dict[int, orjson.Fragment] = {}
    for n in (*day.overdue, *day.upcoming, *day.stale):
        if n in records:
            continue
        state = day.states.get(n)
        if state is not None:
            state.progress, state.progress_source = progress[n], source[n]
            records[n] = fragment(indented(task_record(state)))
            continue
        value = progress[n]
        tail = _TAIL % (
            status[n].encode(),
            klass[n].encode(),
            b"null" if value is None else b"%d" % value,
            source[n].encode(),
        )
        if days[n] is not None:
            key = b"days_overdue" if klass[n] == "overdue" else b"days_left"
            tail += b',\n      "%s": %d' % (key, days[n])
        if completed[n] is not None:
            finished = dt.date.fromordinal(completed[n]).isoformat()
            tail += b',\n      "completed": "%s"' % finished.encode()
        records[n] = fragment(heads[n] + tail + b"\n    }")
    return records
