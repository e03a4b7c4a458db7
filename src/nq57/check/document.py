"""Rules a task file is held to on its own, without the rest of the data.

Loading runs them for every task (:func:`nq57.check.rules.check_completion`); an edit
runs them on the one file it is about to write (:mod:`nq57.edit.editing`), with no
data set to build.
"""

from __future__ import annotations

from nq57.diagnostics import Diagnostic
from nq57.i18n import M
from nq57.io.loader import SourceFile
from nq57.model.entities import Task


def check_task_completion(task: Task, source: SourceFile) -> list[Diagnostic]:
    """The completion rule: status done <=> 'completed' set (E124, E125), at the field."""
    out: list[Diagnostic] = []
    if task.status == "done" and task.completed is None:
        line, col = source.locate(("status",))
        out.append(Diagnostic(source.display, line, col, "E124", M("diag.done_without_completed")))
    if task.status != "done" and task.completed is not None:
        line, col = source.locate(("completed",))
        message = M("diag.completed_not_done", status=task.status)
        out.append(Diagnostic(source.display, line, col, "E125", message))
    return out
