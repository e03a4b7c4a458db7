"""`nq57 history` and `nq57 changes` output: JSON (a contract), CSV and rich tables."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from nq57.analysis.changes import Change
from nq57.analysis.history import Point
from nq57.analysis.labels import change_value_label
from nq57.i18n import t
from nq57.render import jsontext

if TYPE_CHECKING:
    from rich.console import Console

# The counts a history table shows, in the order of the status summary.
HISTORY_COLUMNS = (
    ("total", "status.col.total"),
    ("overdue", "status.col.overdue"),
    ("due_soon", "status.col.due_soon"),
    ("on_track", "status.col.on_track"),
    ("no_deadline", "status.col.no_deadline"),
    ("done", "status.col.done"),
    ("cancelled", "status.history.col.cancelled"),
    ("stale", "cycle.col.stale"),
)
CHANGE_KINDS = {
    "added": "status.changes.kind.added",
    "removed": "status.changes.kind.removed",
    "deadline_changed": "status.changes.kind.deadline_changed",
    "edited": "status.changes.kind.edited",
    "updated": "status.changes.kind.updated",
    "measured": "status.changes.kind.measured",
    "completed": "status.changes.kind.completed",
    "cancelled": "status.changes.kind.cancelled",
    "became_overdue": "status.changes.kind.became_overdue",
}
FIELD_LABELS = {
    "deadline": "status.changes.field.deadline",
    "due": "status.changes.field.due",
    "lead": "status.changes.field.lead",
    "status": "status.changes.field.status",
    "target": "status.changes.field.target",
}
CHANGE_FIELDS = ("id", "kind", "date", "field", "old", "new", "note", "commit", "entity", "agency")


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def point_record(p: Point) -> dict:
    """A point as JSON; before the data's first commit ``counts`` is null (nothing was
    recorded yet: not a row of zeros)."""
    counts = dict(p.counts) if p.recorded else None
    return {"date": p.date.isoformat(), "commit": p.commit, "counts": counts}


def points_json(points: list[Point]) -> str:
    return jsontext.dumps([point_record(p) for p in points]) + "\n"


def points_csv(points: list[Point]) -> str:
    keys = list(points[0].counts) if points else [k for k, _ in HISTORY_COLUMNS]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["date", "commit", *keys])
    for p in points:  # before the first commit: empty cells, as the table's dashes
        counts = [p.counts.get(k, 0) if p.recorded else "" for k in keys]
        writer.writerow([p.date.isoformat(), p.commit or "", *counts])
    return buf.getvalue()


def render_points(points: list[Point], console: Console) -> None:
    # Dates and counts are never cut: in a narrow terminal the headers wrap between
    # words, columns sit closer and the commit column is left out.
    wide = console.width >= 90
    table = Table(
        title=t("status.history.title"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        collapse_padding=not wide,
    )
    table.add_column(t("status.history.col.date"), no_wrap=True, min_width=10)
    if wide:
        table.add_column(t("status.history.col.commit"), no_wrap=True, min_width=8)
    for key, label in HISTORY_COLUMNS:
        digits = max([1, *(len(str(p.counts.get(key, 0))) for p in points)])
        words = max(len(word) for word in t(label).split())
        if wide:
            table.add_column(t(label), justify="right", min_width=max(digits, words))
        else:  # the width left shared out; a longer header word folds
            share = (console.width - 10 - len(HISTORY_COLUMNS) - 1) // len(HISTORY_COLUMNS)
            width = max(digits, min(words, share))
            table.add_column(t(label), justify="right", width=width, overflow="fold")
    unrecorded = False
    for p in points:
        commit = [p.commit[:8] if p.commit else "—"] if wide else []
        empty = not p.recorded  # before the first commit: dashes, not a row of zeros
        unrecorded |= empty
        table.add_row(
            _date(p.date),
            *commit,
            *("—" if empty else str(p.counts.get(key, 0)) for key, _ in HISTORY_COLUMNS),
        )
    console.print(table)
    if unrecorded:
        console.print(t("history.unrecorded"))


def change_record(c: Change) -> dict:
    return {
        "id": c.id,
        "kind": c.kind,
        "date": c.date.isoformat(),
        "field": c.field,
        "old": c.old,
        "new": c.new,
        "note": c.note,
        "commit": c.commit,
        "entity": c.entity,
        "agency": c.agency,
    }


def changes_json(entries: list[Change]) -> str:
    return jsontext.dumps([change_record(c) for c in entries]) + "\n"


def changes_csv(entries: list[Change]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CHANGE_FIELDS, lineterminator="\n")
    writer.writeheader()
    for c in entries:
        writer.writerow({k: "" if v is None else v for k, v in change_record(c).items()})
    return buf.getvalue()


def kind_label(kind: str) -> str:
    return t(CHANGE_KINDS[kind])


def what_changed(c: Change) -> str:
    """'hạn: 31/12/2025 → 30/06/2026', or the new value, or the note."""
    if c.old is not None or (c.new is not None and c.kind in ("deadline_changed", "edited")):
        name = t(FIELD_LABELS[c.field]) if c.field in FIELD_LABELS else c.field
        old, new = change_value_label(c.field, c.old), change_value_label(c.field, c.new)
        return f"{name}: {old} → {new}"
    if c.new is not None and c.field in ("progress",):
        return f"{c.new}%"
    if c.new is not None and c.kind in ("updated", "measured"):
        return change_value_label(c.field, c.new)
    if c.kind == "became_overdue":
        return t("status.changes.due_was", date=change_value_label("due", c.new))
    return ""


def by_agency(entries: list[Change]) -> list[tuple[str, list[Change]]]:
    """Entries grouped by agency (by name; entries without one last), each by date."""
    groups: dict[str, list[Change]] = {}
    for c in entries:
        groups.setdefault(c.agency or "", []).append(c)
    order = sorted(groups, key=lambda name: (name == "", name))
    return [(name or t("label.no_lead"), groups[name]) for name in order]


def render_changes(entries: list[Change], console: Console) -> None:
    if not entries:
        console.print(t("status.changes.none"))
        return
    for agency, rows in by_agency(entries):
        table = Table(
            title=t("status.changes.group", agency=agency, count=len(rows)),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            pad_edge=False,
        )
        ids = [t("status.changes.kpi", id=c.id) if c.entity == "kpi" else c.id for c in rows]
        kinds = [kind_label(c.kind) for c in rows]
        id_width = max(len(t("status.changes.col.id")), *(len(i) for i in ids))
        kind_width = max(len(t("status.changes.col.kind")), *(len(k) for k in kinds))
        # Dates and ids are never cut; a narrow terminal leaves out the note column.
        free = console.width - 10 - id_width - kind_width - 3 * 4 - 2
        narrow = free < 36
        what_width = max(12, free + 3 if narrow else free * 11 // 20)
        table.add_column(t("status.history.col.date"), no_wrap=True, width=10, min_width=10)
        table.add_column(t("status.changes.col.id"), no_wrap=True, min_width=id_width)
        table.add_column(t("status.changes.col.kind"), min_width=min(kind_width, 8))
        table.add_column(t("status.changes.col.what"), width=what_width)
        if not narrow:  # notes (titles of added tasks) stay on one line
            table.add_column(
                t("status.changes.col.note"),
                no_wrap=True,
                overflow="ellipsis",
                width=max(8, free - what_width),
            )
        for c, shown_id, kind in zip(rows, ids, kinds, strict=True):
            titled = c.kind in ("added", "removed")  # the note is the title: show it whole
            what, note = (c.note or "", "") if titled else (what_changed(c), c.note or "")
            if narrow and note:
                what = f"{what}\n[dim]{note}[/]" if what else note
            table.add_row(_date(c.date), shown_id, kind, what, *([] if narrow else [note]))
        console.print(table)
