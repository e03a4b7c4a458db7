"""`nq57 status` says when no task in scope records any progress: "overdue" then only
means that printed deadlines have passed (the bundled data records no progress)."""

from __future__ import annotations

import json

from conftest import invoke

NOTE_VI = "chưa nhiệm vụ nào trong phạm vi này ghi nhận tiến độ hay hoàn thành"
NOTE_EN = "Note: no task in scope records progress or completion"


def test_note_when_no_task_in_scope_records_progress(in_fixtures, capsys):
    # DEC-A's tasks have no updates and no completion; DEC-B/1 is done.
    args = ("status", "--data", "minimal", "--as-of", "2025-12-31", "--decision", "DEC-A")
    _, out, _ = invoke(capsys, *args, "--lead", "Bộ Khoa học và Công nghệ")
    assert NOTE_VI in " ".join(out.split())
    _, out, _ = invoke(capsys, "--lang", "en", *args, "--lead", "Bộ Khoa học và Công nghệ")
    assert NOTE_EN in " ".join(out.split())


def test_no_note_once_progress_is_recorded(in_fixtures, capsys):
    args = ("status", "--data", "minimal", "--as-of", "2025-12-31")
    _, out, _ = invoke(capsys, *args)
    assert NOTE_VI not in " ".join(out.split())
    _, out, _ = invoke(
        capsys, "--lang", "en", "status", "--data", "status", "--as-of", "2025-07-15"
    )
    assert NOTE_EN not in " ".join(out.split())


def test_machine_outputs_are_unchanged(in_fixtures, capsys):
    args = ("status", "--data", "minimal", "--as-of", "2025-12-31", "--decision", "DEC-A")
    _, out, _ = invoke(capsys, *args, "--lead", "Bộ Khoa học và Công nghệ", "-f", "json")
    assert "progress_recorded" not in json.loads(out)
    _, out, _ = invoke(capsys, *args, "--lead", "Bộ Khoa học và Công nghệ", "-f", "csv")
    assert NOTE_VI not in out
