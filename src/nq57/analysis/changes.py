"""What changed in a window of days: one entry per change, from the data and from git.

From the data itself: updates and measurements dated in the window (``updated``,
``measured``), tasks completed or cancelled in it (``completed``, ``cancelled``), tasks
whose due date passed in it without completion (``became_overdue``, dated the first day
late). From git (first-parent commits of HEAD dated in the window, see
:mod:`nq57.io.gitstore`): tasks and KPIs ``added`` or ``removed``, and edits of the
:data:`TRACKED` fields with old and new values; a changed ``deadline`` or ``due`` is a
``deadline_changed`` (an extension, "gia hạn"), any other an ``edited``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nq57.analysis.scope import plan_family, reaches
from nq57.analysis.tasks import classify_in
from nq57.check.revision import Revisions
from nq57.io.gitstore import GitStore
from nq57.model.dataset import DataSet

TRACKED = ("deadline", "due", "lead", "status", "target")
KINDS = (
    "added",
    "removed",
    "deadline_changed",
    "edited",
    "updated",
    "measured",
    "completed",
    "cancelled",
    "became_overdue",
)
_ENTITY = {"tasks": "task", "kpis": "kpi"}
WITHIN = 30


@dataclass(frozen=True)
class Change:
    id: str
    kind: str
    date: dt.date
    field: str | None
    old: str | None
    new: str | None
    note: str | None
    commit: str | None
    entity: str = "task"  # "task" | "kpi"
    agency: str | None = None  # canonical lead agency / KPI owner, for grouping


@dataclass(frozen=True)
class _Subject:
    """What scoping and grouping need of a task or KPI (current, or as committed)."""

    entity: str
    id: str
    decision: str
    names: tuple[str, ...]  # leads, or the owner
    parent: str | None = None


def text(value: Any) -> str | None:
    """A field's value as text: lists joined by '; ', dates ISO, whole floats whole."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _subject_of_model(entity: str, model: Any) -> _Subject:
    if entity == "task":
        return _Subject("task", model.id, model.decision, tuple(model.lead), model.parent)
    owner = (model.owner,) if model.owner else ()
    return _Subject("kpi", model.id, model.decision, owner, model.parent)


def _subject_of_document(entity: str, entity_id: str, doc: dict[str, Any]) -> _Subject:
    names = doc.get("lead") if entity == "task" else doc.get("owner")
    names = names if isinstance(names, list) else [names] if names else []
    decision = doc.get("decision") or entity_id.split("/")[0]
    parent = doc.get("parent") if isinstance(doc.get("parent"), str) else None
    return _Subject(entity, entity_id, str(decision), tuple(str(n) for n in names), parent)


class _Scope:
    def __init__(self, data: DataSet, leads: list[str] | None, decision: str | None):
        self.data = data
        self.leads = leads or []
        self.family = plan_family(data, decision) if decision else None

    def wants(self, s: _Subject) -> bool:
        data = self.data
        if self.family is not None:
            if s.entity == "task" and s.id in data.tasks:
                inside = reaches(data, data.tasks[s.id], self.family)
            else:
                parent_plan = s.parent.split("/")[0] if s.parent else None
                inside = s.decision in self.family or parent_plan in self.family
            if not inside:
                return False
        if self.leads:
            issuer = data.issuer_of(s.decision)
            return any(
                data.agencies.matches(lead, name, issuer) for lead in self.leads for name in s.names
            )
        return True

    def agency(self, s: _Subject) -> str | None:
        if not s.names:
            return None
        return self.data.agencies.current(s.names[0], self.data.issuer_of(s.decision))


def _change(scope: _Scope, s: _Subject, kind: str, date: dt.date, **rest: Any) -> Change:
    values = {"field": None, "old": None, "new": None, "note": None, "commit": None, **rest}
    return Change(s.id, kind, date, **values, entity=s.entity, agency=scope.agency(s))


def data_changes(scope: _Scope, since: dt.date, until: dt.date) -> list[Change]:
    """What the data itself dates in the window."""
    data = scope.data
    found: list[Change] = []

    def inside(day: dt.date | None) -> bool:
        return day is not None and since <= day <= until

    for task in data.tasks.values():
        s = _subject_of_model("task", task)
        if not scope.wants(s):
            continue
        for u in task.updates:
            if not inside(u.date):
                continue
            if u.status == "cancelled":
                found.append(_change(scope, s, "cancelled", u.date, field="status",
                                     new="cancelled", note=u.note))  # fmt: skip
                continue
            field = "progress" if u.progress is not None else "status" if u.status else None
            new = text(u.progress) if u.progress is not None else u.status
            found.append(_change(scope, s, "updated", u.date, field=field, new=new, note=u.note))
        if task.completed is not None and inside(task.completed):
            found.append(_change(scope, s, "completed", task.completed, field="status", new="done"))
        state = classify_in(task, until, WITHIN, data.decisions)
        if state.klass in ("overdue", "done_late") and state.due is not None:
            first_late = state.due + dt.timedelta(days=1)
            if inside(first_late):
                due = text(state.due)
                found.append(_change(scope, s, "became_overdue", first_late, field="due", new=due))
    for kpi in data.kpis.values():
        s = _subject_of_model("kpi", kpi)
        if not scope.wants(s):
            continue
        for m in kpi.measurements:
            if inside(m.date):
                value, note = text(m.value), m.note or m.source
                found.append(
                    _change(scope, s, "measured", m.date, field="value", new=value, note=note)
                )
    return found


def git_changes(
    scope: _Scope, store: GitStore, data_dir: Path, since: dt.date, until: dt.date
) -> list[Change]:
    """Tasks and KPIs added, removed or edited by the commits dated in the window."""
    revisions = Revisions(data_dir, store)
    found: list[Change] = []
    try:
        for commit in reversed(store.commits()):
            if not since <= commit.date <= until:
                continue
            files = [c for c in store.changes(commit) if c.rel.split("/")[0] in _ENTITY]
            docs = revisions.documents([b for c in files for b in (c.old, c.new) if b])
            for change in files:
                entity = _ENTITY[change.rel.split("/")[0]]
                path_id = change.rel.split("/", 1)[1].rsplit(".", 1)[0]
                old = _plain(docs, change.old)
                new = _plain(docs, change.new)
                doc = new if new is not None else old
                if doc is None:
                    continue  # unreadable both ways: `validate` reports it
                entity_id = str(doc.get("id") or path_id)
                s = _subject_of_document(entity, entity_id, doc)
                if not scope.wants(s):
                    continue
                title = text(doc.get("title") or doc.get("name"))
                at = {"commit": commit.sha}
                if change.status == "A":
                    found.append(_change(scope, s, "added", commit.date, note=title, **at))
                elif change.status == "D":
                    found.append(_change(scope, s, "removed", commit.date, note=title, **at))
                elif old is not None and new is not None:  # (one side unreadable: a broken
                    # or repaired file, not an added or removed task; nothing to compare)
                    for field in TRACKED:
                        before, after = _field(old, field), _field(new, field)
                        if before == after:
                            continue
                        kind = "deadline_changed" if field in ("deadline", "due") else "edited"
                        found.append(
                            _change(scope, s, kind, commit.date, field=field, old=before,
                                    new=after, **at)
                        )  # fmt: skip
    finally:
        revisions.save()
    return found


def _field(document: dict[str, Any], field: str) -> str | None:
    """A tracked field as text; None when it holds nothing (absent, null, blank text, an
    empty list: all "—" to a reader, so null -> absent is no change and a field set for
    the first time changes from None); an absent status is the default, ``not_started``."""
    value = text(document.get(field))
    if value is not None and not value.strip():
        value = None
    if field == "status" and value is None and "id" in document and "name" not in document:
        value = "not_started"
    return value


def _plain(docs: dict[str, tuple[Any, list[Any]]], sha: str | None) -> dict[str, Any] | None:
    if sha is None or sha not in docs:
        return None
    document = docs[sha][0]
    return document if isinstance(document, dict) else None


def sort_key(c: Change) -> tuple[Any, ...]:
    return (c.date, c.id, KINDS.index(c.kind), c.field or "", c.commit or "")


def list_changes(
    data_dir: Path,
    data: DataSet,
    since: dt.date,
    until: dt.date,
    *,
    leads: list[str] | None = None,
    decision: str | None = None,
) -> tuple[list[Change], bool]:
    """Every change in [since, until] in the scope asked for, sorted by date then id;
    and whether git history was available (without it, only what the data dates)."""
    scope = _Scope(data, leads, decision)
    entries = data_changes(scope, since, until)
    store = GitStore.open(data_dir)
    if store is not None:
        entries += git_changes(scope, store, data_dir, since, until)
    return sorted(entries, key=sort_key), store is not None
