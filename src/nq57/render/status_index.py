"""The stored form of the status index: its columns and each task's record text up to
the first date-dependent field (read by :mod:`nq57.render.status_day`)."""

from __future__ import annotations

import pickle

from nq57.analysis.statusindex import build_index
from nq57.model.dataset import DataSet
from nq57.model.deadlines import parse_deadline
from nq57.render.status_day import FORMAT, INDENT, indented


def index_bytes(data: DataSet, decision: str | None, lead: str | None) -> bytes | None:
    """The stored form of the index of ``data`` (None: no index for this data)."""
    index = build_index(data, decision, lead)
    if index is None:
        return None
    heads: list[bytes | None] = []
    for n, position in enumerate(index.scope):
        task = data.tasks[index.task_ids[position]]
        if n in index.recurring:
            heads.append(None)
            continue
        deadline = parse_deadline(task.deadline)
        due = task.due if task.due is not None else deadline.due
        head = indented(
            {
                "id": task.id,
                "decision": task.decision,
                "ref": task.ref,
                "title": task.title,
                "lead": list(task.lead),
                "deadline": None if task.deadline is None else str(task.deadline),
                "due": due.isoformat() if due else None,
                "recurrence": deadline.recurrence if task.due is None else None,
            }
        )
        heads.append(head[: -len(INDENT) - 1])  # open: the record goes on
    index.extra["heads"] = heads
    return pickle.dumps((FORMAT, index), protocol=pickle.HIGHEST_PROTOCOL)
