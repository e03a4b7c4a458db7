"""The stored form of the status index: its columns and each task's record text up to
the first date-dependent field (read by :mod:`nq57.render.status_day`)."""

from __future__ import annotations

import pickle
from array import array

from nq57.analysis.statusindex import build_index
from nq57.model.dataset import DataSet
from nq57.model.deadlines import parse_deadline
from nq57.render.status_day import FORMAT, INDENT, indented


def index_bytes(data: DataSet, decision: str | None, lead: str | None) -> bytes | None:
    """The stored form of the index of ``data`` (None: no index for this data)."""
    index = build_index(data, decision, lead)
    if index is None:
        return None
    heads = bytearray()
    ends = array("q")
    for n, position in enumerate(index.scope):
        task = data.tasks[index.task_ids[position]]
        record = {
            "id": task.id,
            "decision": task.decision,
            "ref": task.ref,
            "title": task.title,
            "lead": list(task.lead),
            "deadline": None if task.deadline is None else str(task.deadline),
        }
        if n not in index.recurring:  # the due date and recurrence do not change
            deadline = parse_deadline(task.deadline)
            due = task.due if task.due is not None else deadline.due
            record["due"] = due.isoformat() if due else None
            record["recurrence"] = deadline.recurrence if task.due is None else None
        heads += indented(record)[: -len(INDENT) - 1]  # open: the record goes on
        ends.append(len(heads))
    index.extra["heads"] = (pickle.PickleBuffer(heads), ends)
    buffers: list[pickle.PickleBuffer] = []  # the heads: out of band, read without a copy
    columns = pickle.dumps((FORMAT, index), protocol=5, buffer_callback=buffers.append)
    return b"".join([len(columns).to_bytes(8, "little"), columns, *buffers])
