"""nq57.check.document: the completion rule on one task file, at the field's position."""

from __future__ import annotations

from pathlib import Path

from nq57.check.document import check_task_completion
from nq57.io.loader import SourceFile, parse_text
from nq57.model.entities import Task

HEAD = "id: D/1\ndecision: D\nref: '1'\ntitle: Việc\n"


def _check(tail: str) -> list[tuple[int, int, str]]:
    source = SourceFile(Path("t.yaml"), "t.yaml", "task", "D/1")
    parse_text(source, HEAD + tail)
    task = Task.model_validate(source.document)
    return [(d.line, d.column, d.code) for d in check_task_completion(task, source)]


def test_done_needs_completed_and_completed_needs_done():
    assert _check("status: done\n") == [(5, 9, "E124")]
    assert _check("status: in_progress\ncompleted: 2025-07-15\n") == [(6, 12, "E125")]


def test_a_consistent_task_passes():
    assert _check("status: done\ncompleted: 2025-07-15\n") == []
    assert _check("status: in_progress\n") == []
