"""nq57.edit.editing: in-place edits that keep every other byte, validation before writing,
atomic writes and the per-file lock (fixture files: tests/fixtures/edit)."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edit_helpers import plain, read
from nq57.edit import editing, splice
from nq57.edit.editing import (
    EditError,
    FileLock,
    LockBusy,
    apply_edit,
    complete_task,
    record_kpi,
    update_task,
    validate_bytes,
)
from nq57.edit.ops import AppendItem, RemoveField, SetField, expected_data
from nq57.edit.plan import Plan, plan_kpi_record, plan_task_done, plan_task_update
from nq57.edit.splice import edit_text
from nq57.edit.values import clean_text, parse_number
from nq57.io.loader import MAX_FILE_BYTES
from nq57.io.yamlio import round_trip_yaml

from conftest import FIXTURES

EDIT = FIXTURES / "edit"
DAY = dt.date(2025, 7, 15)
TASKS = EDIT / "tasks" / "DEC-E"
KPIS = EDIT / "kpis" / "DEC-E"
VALID_TASKS = ["plain", "styled", "flow", "noeol", "empty-lists"]


def udiff(before: str, after: str, name: str) -> str:
    """A unified diff like git's, with the 'No newline at end of file' marker; an empty
    context line is shown empty (not as one space), as textwrap.dedent writes it."""
    out = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    ):
        if line == " \n":
            line = "\n"
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def edited(rel: str, make_plan, text: str | None = None) -> tuple[str, str]:
    before = read(rel) if text is None else text
    return before, edit_text(before, make_plan(plain(before)).ops)


def update(**kw):
    return lambda task: plan_task_update(task, date=DAY, **kw)


def done(**kw):
    return lambda task: plan_task_done(task, date=DAY, **kw)


def measure(value, **kw):
    return lambda kpi: plan_kpi_record(kpi, date=DAY, value=value, **kw)


# --- the text splice: exact diffs on fixture files ------------------------------------------


def test_update_on_an_importer_style_file():
    before, after = edited("tasks/DEC-E/plain.yaml", update(status="in_progress", progress=40))
    assert udiff(before, after, "plain.yaml") == textwrap.dedent("""\
        --- a/plain.yaml
        +++ b/plain.yaml
        @@ -7,6 +7,11 @@
           - Bộ Tài chính
         output: Nghị định
         deadline: Tháng 9/2025
        +status: in_progress
         section_title: Hoàn thiện thể chế
         appendix: Phụ lục II
         source_line: 42
        +updates:
        +  - date: 2025-07-15
        +    status: in_progress
        +    progress: 40
        """)


def test_done_on_a_hand_styled_file_keeps_everything_else():
    """Comments, odd quoting, flow lists, folded text, extra spaces, blank lines,
    indentless lists: all kept; status keeps its quotes; completed goes after status;
    the new item follows the existing items' indentation."""
    before, after = edited("tasks/DEC-E/styled.yaml", done(note="Đã trình, chờ ký"))
    assert udiff(before, after, "styled.yaml") == textwrap.dedent("""\
        --- a/styled.yaml
        +++ b/styled.yaml
        @@ -15,11 +15,16 @@
         deadline:   "Quý III/2025"

         # Trạng thái do đơn vị chủ trì cập nhật
        -status: 'in_progress'
        +status: 'done'
        +completed: 2025-07-15
         updates:
         - date: 2025-06-01
           status: in_progress
           progress: 10   # khởi động
           note: "Đã họp: kick-off"
        +- date: 2025-07-15
        +  status: done
        +  progress: 100
        +  note: Đã trình, chờ ký

         # --- hết ---
        """)


def test_flow_items_get_a_flow_item():
    before, after = edited("tasks/DEC-E/flow.yaml", update(progress=50, note="a, b: c"))
    assert udiff(before, after, "flow.yaml") == textwrap.dedent("""\
        --- a/flow.yaml
        +++ b/flow.yaml
        @@ -9,3 +9,4 @@
         updates:
             - {date: 2025-05-01, status: in_progress, progress: 20}
             - {date: 2025-06-01, progress: 30, note: "giữa kỳ"}
        +    - {date: 2025-07-15, progress: 50, note: 'a, b: c'}
        """)


def test_file_without_final_newline_stays_without():
    before, after = edited("tasks/DEC-E/noeol.yaml", update(status="in_progress"))
    assert not after.endswith("\n")
    assert udiff(before, after, "noeol.yaml") == textwrap.dedent("""\
        --- a/noeol.yaml
        +++ b/noeol.yaml
        @@ -5,4 +5,8 @@
         lead: [Bộ Tài chính]
         output: Thông tư
         deadline: Năm 2025
        -source_line: 7
        \\ No newline at end of file
        +status: in_progress
        +source_line: 7
        +updates:
        +  - date: 2025-07-15
        +    status: in_progress
        \\ No newline at end of file
        """)
    # the old last line is only shown as changed because of the marker: its bytes are kept
    assert after.startswith(before[: before.index("source_line")])


def test_empty_value_and_empty_flow_list():
    before, after = edited("tasks/DEC-E/empty-lists.yaml", done())
    assert udiff(before, after, "empty-lists.yaml") == textwrap.dedent("""\
        --- a/empty-lists.yaml
        +++ b/empty-lists.yaml
        @@ -5,6 +5,10 @@
         lead: [Bộ Tài chính]
         output: Đề án
         deadline: Tháng 12/2025
        -completed:
        -updates: []   # chưa có cập nhật
        +status: done
        +completed: 2025-07-15
        +updates:   # chưa có cập nhật
        +  - date: 2025-07-15
        +    status: done
        +    progress: 100
         note: Ghi chú in trong văn bản
        """)


def test_done_repairs_status_done_without_completed():
    before, after = edited("tasks/DEC-E/done-no-date.yaml", done())
    assert udiff(before, after, "done-no-date.yaml") == textwrap.dedent("""\
        --- a/done-no-date.yaml
        +++ b/done-no-date.yaml
        @@ -6,3 +6,8 @@
         output: Quyết định
         deadline: Tháng 6/2025
         status: done
        +completed: 2025-07-15
        +updates:
        +  - date: 2025-07-15
        +    status: done
        +    progress: 100
        """)


def test_kpi_measurement_goes_after_the_last_item_not_at_the_end():
    before, after = edited(
        "kpis/DEC-E/k1.yaml", measure(0.7, source="Báo cáo quý II", label="Thế giới")
    )
    assert udiff(before, after, "k1.yaml") == textwrap.dedent("""\
        --- a/k1.yaml
        +++ b/k1.yaml
        @@ -12,4 +12,8 @@
           - date: 2025-03-31
             value: 52
             source: Báo cáo quý I   # số liệu sơ bộ
        +  - date: 2025-07-15
        +    value: 0.7
        +    source: Báo cáo quý II
        +    label: Thế giới
         section_title: Mục tiêu đến năm 2030
        """)


def test_first_kpi_measurement_goes_at_the_end():
    before, after = edited("kpis/DEC-E/k2.yaml", measure(38))
    assert udiff(before, after, "k2.yaml") == textwrap.dedent("""\
        --- a/k2.yaml
        +++ b/k2.yaml
        @@ -6,3 +6,6 @@
         target: Top 40
         year: 2030
         source_line: 12
        +measurements:
        +  - date: 2025-07-15
        +    value: 38
        """)


def test_new_list_follows_the_files_list_indentation():
    text = "id: X/1\ndecision: X\nref: '1'\ntitle: T\nsupport:\n- A\n- B\n"
    after = edit_text(text, plan_task_update(plain(text), date=DAY, progress=5).ops)
    assert after == text + "updates:\n- date: 2025-07-15\n  progress: 5\n"


PLANS = [update(note="ghi chú"), update(status="cancelled", progress=0), done(note="x")]


@pytest.mark.parametrize("name", VALID_TASKS)
@pytest.mark.parametrize("make_plan", PLANS)
def test_crlf_files_keep_crlf(name, make_plan):
    lf = read(f"tasks/DEC-E/{name}.yaml")
    crlf = lf.replace("\n", "\r\n")
    _, after_lf = edited("", make_plan, lf)
    _, after_crlf = edited("", make_plan, crlf)
    assert after_crlf == after_lf.replace("\n", "\r\n")
    assert "\n" not in after_crlf.replace("\r\n", "")


def test_bom_is_kept(tmp_path):
    target = tmp_path / "tasks" / "DEC-E" / "plain.yaml"
    target.parent.mkdir(parents=True)
    original = b"\xef\xbb\xbf" + (TASKS / "plain.yaml").read_bytes()
    target.write_bytes(original)
    update_task(target, "DEC-E/plain", date=DAY, note="x")
    after = target.read_bytes()
    assert after.startswith(original)
    assert after[len(original) :] == b"updates:\n  - date: 2025-07-15\n    note: x\n"


def _old_lines_kept(before: str, after: str, replaced: int) -> None:
    """Every old line is in the new text, in order, except ``replaced`` changed ones;
    no line is deleted."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert all(tag in ("insert", "replace") for tag, *_ in ops), ops
    changed = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "replace")
    assert changed <= replaced


@pytest.mark.parametrize("name", VALID_TASKS)
@pytest.mark.parametrize("make_plan", PLANS)
def test_only_inserted_or_changed_lines_differ(name, make_plan):
    before = read(f"tasks/DEC-E/{name}.yaml")
    task = plain(before)
    ops = make_plan(task).ops
    after = edit_text(before, ops)
    existing = sum(isinstance(op, SetField) and op.key in task for op in ops)
    flow_list = sum(isinstance(op, AppendItem) and task.get(op.key) is not None for op in ops)
    last_line_no_eol = 0 if before.endswith("\n") else 1
    _old_lines_kept(before, after, existing + flow_list + last_line_no_eol)
    assert plain(after) == expected_data(task, ops)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(VALID_TASKS),
    note=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60),
    crlf=st.booleans(),
)
def test_any_note_is_written_exactly(name, note, crlf):
    """Quotes, colons, '#', brackets, leading dashes, 'yes', numbers, line breaks,
    control characters: the note reads back exactly and nothing else changes."""
    before = read(f"tasks/DEC-E/{name}.yaml")
    if crlf:
        before = before.replace("\n", "\r\n")
    cleaned = clean_text(note)
    if cleaned is None:
        return
    task = plain(before)
    after = edit_text(before, plan_task_update(task, date=DAY, note=cleaned).ops)
    assert plain(after)["updates"][-1] == {"date": "2025-07-15", "note": cleaned}
    replaced = (name == "noeol") + (name == "empty-lists")  # last line; "updates: []"
    _old_lines_kept(before, after, replaced)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    source=st.text(min_size=1, max_size=30),
    label=st.text(min_size=1, max_size=30),
    value=st.one_of(
        st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False)
    ),
)
def test_any_measurement_is_written_exactly(source, label, value):
    before = read("kpis/DEC-E/k1.yaml")
    kpi = plain(before)
    try:
        ops = plan_kpi_record(kpi, date=DAY, value=value, source=source, label=label).ops
    except EditError:  # identical to the existing measurement
        return
    after = edit_text(before, ops)
    assert plain(after) == expected_data(kpi, ops)


def test_a_full_ruamel_round_trip_would_not_be_byte_exact():
    """Why edits are spliced in: dumping the round-tripped document changes
    untouched lines of a hand-written file (flow-list spacing, indentation)."""
    before = read("tasks/DEC-E/styled.yaml")
    yaml = round_trip_yaml()
    buffer = io.StringIO()
    yaml.dump(yaml.load(before), buffer)
    assert buffer.getvalue() != before
    _, after = edited("tasks/DEC-E/styled.yaml", update(note="x"))
    assert after.startswith(before.split("\n# --- hết ---")[0])


def test_unusual_layout_is_refused_not_mangled():
    text = "{id: X/1, decision: X, ref: '1', title: T}\n"
    with pytest.raises(EditError, match="không thay đổi gì"):
        edit_text(text, [AppendItem("updates", {"date": DAY, "note": "x"})])


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("final", [True, False])
def test_remove_field_takes_its_line_and_keeps_the_rest(eol, final):
    text = eol.join(["id: X/1", "status: done", "completed: 2025-06-20  # ngày ký", "note: a"])
    if final:
        text += eol
    new = edit_text(text, [SetField("status", "in_progress"), RemoveField("completed")])
    expected = eol.join(["id: X/1", "status: in_progress", "note: a"]) + (eol if final else "")
    assert new == expected
    last = edit_text(
        "id: X/1" + eol + "completed: 2025-06-20" + (eol if final else ""),
        [RemoveField("completed")],
    )
    assert last == "id: X/1" + (eol if final else "")


# --- whole edits on files: validation before writing --------------------------------------------


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(EDIT, target)
    return target


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_apply_edit_writes_keeps_mode_and_leaves_no_lock(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    os.chmod(target, 0o640)
    result = update_task(target, "DEC-E/plain", date=DAY, status="in_progress", progress=40)
    assert result.summary == "Đã ghi cập nhật cho DEC-E/plain (2025-07-15): in_progress, 40%"
    assert result.before == (TASKS / "plain.yaml").read_bytes()
    assert result.after == target.read_bytes()
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        p.name for p in TASKS.iterdir()
    )
    assert validate_bytes(target, "t", "task", "DEC-E/plain", target.read_bytes())[1] == []


def test_invalid_file_is_refused_with_its_diagnostics(data):
    target = data / "tasks" / "DEC-E" / "invalid.yaml"
    before = listing(target.parent)
    with pytest.raises(EditError) as info:
        update_task(target, "DEC-E/invalid", date=DAY, note="x", display="invalid.yaml")
    assert "invalid.yaml có lỗi nên không được sửa" in str(info.value)
    assert [d.code for d in info.value.diagnostics] == ["E110"]
    assert "deadlne" in info.value.describe()
    assert listing(target.parent) == before


def test_edit_that_would_make_the_file_invalid_is_refused(data):
    """completed set while status is in_progress (E125): recording progress would
    keep the file invalid, so the edit is refused and the file untouched."""
    target = data / "tasks" / "DEC-E" / "completed-not-done.yaml"
    before = listing(target.parent)
    with pytest.raises(EditError, match="sẽ làm .* không hợp lệ") as info:
        update_task(target, "DEC-E/completed-not-done", date=DAY, progress=50)
    assert [d.code for d in info.value.diagnostics] == ["E125"]
    assert listing(target.parent) == before


def test_done_without_completed_gets_the_task_done_advice(data):
    target = data / "tasks" / "DEC-E" / "done-no-date.yaml"
    with pytest.raises(EditError) as info:
        update_task(target, "DEC-E/done-no-date", date=DAY, note="x")
    assert [d.code for d in info.value.diagnostics] == ["E124"]
    assert "nq57 task done" in info.value.describe()
    complete_task(target, "DEC-E/done-no-date", date=DAY)  # the advice works
    assert plain(target.read_text(encoding="utf-8"))["completed"] == "2025-07-15"


def test_model_errors_in_the_result_are_refused(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    before = target.read_bytes()

    def bad_plan(task):
        return Plan([AppendItem("updates", {"date": DAY, "progress": 150})], "x")

    with pytest.raises(EditError) as info:
        apply_edit(target, "task", "DEC-E/plain", bad_plan)
    assert [d.code for d in info.value.diagnostics] == ["E115"]
    assert target.read_bytes() == before


def test_wrong_id_is_refused(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    with pytest.raises(EditError) as info:
        update_task(target, "DEC-E/other", date=DAY, note="x")
    assert [d.code for d in info.value.diagnostics] == ["E120"]


def test_symbolic_link_edits_its_target(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    link = data / "tasks" / "DEC-E" / "link.yaml"
    link.symlink_to(target.name)
    update_task(link, "DEC-E/plain", date=DAY, note="qua liên kết")
    assert link.is_symlink()
    assert "qua liên kết" in target.read_text(encoding="utf-8")


def test_kpi_record_file(data):
    target = data / "kpis" / "DEC-E" / "k2.yaml"
    result = record_kpi(target, "DEC-E/k2", date=DAY, value=parse_number("38,5"), source="WIPO")
    assert result.summary == "Đã ghi số đo cho DEC-E/k2 (2025-07-15): 38.5 Thứ hạng"
    assert plain(target.read_text(encoding="utf-8"))["measurements"] == [
        {"date": "2025-07-15", "value": 38.5, "source": "WIPO"}
    ]


# --- atomic write: failures leave the original byte-identical and no temporary file -------------


def _fd_name(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _fail_on_tmp(real):
    """os.write failing with 'disk full' for the temporary file only (Linux /proc)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the temporary file's descriptor")

    def fake(fd, *args):
        if _fd_name(fd).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *args)

    return fake


def _fail_on_lock(real):
    def fake(fd, *args):
        if _fd_name(fd).endswith(".lock") or not Path("/proc/self/fd").is_dir():
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *args)

    return fake


FAILURES = {
    "replace": (
        "replace",
        lambda real: _raise(OSError(errno.EIO, "Input/output error")),
        "Input/output error",
    ),
    "write-disk-full": ("write", _fail_on_tmp, "ổ đĩa hết chỗ trống"),
    "fsync": (
        "fsync",
        lambda real: _raise(OSError(errno.EIO, "Input/output error")),
        "Input/output error",
    ),
    "mkstemp-permission": (None, None, "không có quyền"),
    "replace-permission": (
        "replace",
        lambda real: _raise(PermissionError(errno.EACCES, "no")),
        "không có quyền",
    ),
}


def _raise(exc):
    def fake(*args, **kwargs):
        raise exc

    return fake


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_write_failures_leave_the_original_untouched(data, monkeypatch, case):
    name, make_fake, reason = FAILURES[case]
    target = data / "tasks" / "DEC-E" / "styled.yaml"
    before = listing(target.parent)
    with monkeypatch.context() as patched, pytest.raises(EditError) as info:
        if name is None:
            patched.setattr(tempfile, "mkstemp", _raise(PermissionError(errno.EACCES, "no")))
        else:
            patched.setattr(os, name, make_fake(getattr(os, name)))
        complete_task(target, "DEC-E/styled", date=DAY, display="styled.yaml")
    assert str(info.value) == f"không ghi được styled.yaml: {reason}; tệp giữ nguyên"
    assert listing(target.parent) == before  # same bytes, no temporary file, no lock


def test_interrupt_during_write_leaves_the_original_untouched(data, monkeypatch):
    target = data / "tasks" / "DEC-E" / "styled.yaml"
    before = listing(target.parent)
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(os, "replace", _raise(KeyboardInterrupt()))
        complete_task(target, "DEC-E/styled", date=DAY)
    assert listing(target.parent) == before


def test_disk_full_while_writing_the_lock(data, monkeypatch):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    before = listing(target.parent)
    with (
        monkeypatch.context() as patched,
        pytest.raises(EditError, match="không ghi được tệp khoá .*ổ đĩa hết chỗ trống"),
    ):
        patched.setattr(os, "write", _fail_on_lock(os.write))
        update_task(target, "DEC-E/plain", date=DAY, note="x")
    assert listing(target.parent) == before


def test_lock_cannot_be_created(data, monkeypatch):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    before = listing(target.parent)
    real_open = os.open

    def fake_open(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    with (
        monkeypatch.context() as patched,
        pytest.raises(EditError, match="không tạo được tệp khoá .*không có quyền"),
    ):
        patched.setattr(os, "open", fake_open)
        update_task(target, "DEC-E/plain", date=DAY, note="x")
    assert listing(target.parent) == before


# --- the lock -----------------------------------------------------------------------------------


def _lock_of(target: Path) -> Path:
    return target.with_name(target.name + ".lock")


def test_held_lock_makes_the_edit_wait_then_refuse(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    lock = _lock_of(target)
    holder = f"{os.getpid()} {socket.gethostname()} 2025-07-15T10:00:00+07:00 token\n"
    lock.write_text(holder, encoding="utf-8")
    before = target.read_bytes()
    started = time.monotonic()
    with pytest.raises(LockBusy, match="đang được một lệnh khác sửa .tiến trình"):
        apply_edit(target, "task", "DEC-E/plain", update(note="x"), lock_timeout=0.3)
    assert time.monotonic() - started >= 0.3
    assert target.read_bytes() == before
    assert lock.read_text(encoding="utf-8") == holder  # someone else's lock is left alone


def test_edit_proceeds_when_the_lock_is_released_in_time(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    lock = _lock_of(target)
    lock.write_text(f"{os.getpid()} {socket.gethostname()} now token\n", encoding="utf-8")
    threading.Timer(0.3, lock.unlink).start()
    update_task(target, "DEC-E/plain", date=DAY, note="sau khi chờ")
    assert "sau khi chờ" in target.read_text(encoding="utf-8")
    assert not lock.exists()


def test_old_lock_is_broken_with_a_message(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    lock = _lock_of(target)
    lock.write_text("4242 another-host 2025-07-15T10:00:00+07:00 token\n", encoding="utf-8")
    old = time.time() - editing.STALE_LOCK_AFTER - 60
    os.utime(lock, (old, old))
    messages: list[str] = []
    update_task(target, "DEC-E/plain", date=DAY, note="x", warn=messages.append)
    assert len(messages) == 1
    assert messages[0].startswith("đã xoá tệp khoá cũ")
    assert "đã có từ 11 phút trước" in messages[0] and "another-host" in messages[0]
    assert not lock.exists()
    assert [p.name for p in target.parent.iterdir() if "lock" in p.name] == []


def test_lock_of_a_dead_process_on_this_host_is_broken_at_once(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(finished.stdout)
    lock = _lock_of(target)
    lock.write_text(f"{dead_pid} {socket.gethostname()} earlier token\n", encoding="utf-8")
    messages: list[str] = []
    update_task(target, "DEC-E/plain", date=DAY, note="x", warn=messages.append)
    assert "tiến trình tạo ra nó không còn chạy" in messages[0]


def test_fresh_lock_of_another_host_is_not_broken(data):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    lock = _lock_of(target)
    lock.write_text("1 another-host now token\n", encoding="utf-8")
    with pytest.raises(LockBusy):
        apply_edit(target, "task", "DEC-E/plain", update(note="x"), lock_timeout=0.1)
    assert lock.exists()


def test_release_leaves_a_lock_that_is_no_longer_ours(tmp_path):
    target = tmp_path / "f.yaml"
    with FileLock(target) as held:
        assert held.path.read_text(encoding="utf-8").split()[0] == str(os.getpid())
        held.path.write_text("someone else\n", encoding="utf-8")
    assert held.path.read_text(encoding="utf-8") == "someone else\n"


WORKER = """
import datetime as dt, sys
from pathlib import Path
import nq57.io.atomic
from nq57.edit.editing import update_task
nq57.io.atomic.LOCK_TIMEOUT = 3600  # a busy machine may hold the other's lock for long
target, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(count):
    update_task(target, "DEC-E/styled", date=dt.date(2025, 7, 15), note=f"{tag}-{i}")
"""


def test_two_processes_editing_the_same_file_lose_nothing(data):
    target = data / "tasks" / "DEC-E" / "styled.yaml"
    count = 25
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(target), tag, str(count)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for worker in workers:
        _, err = worker.communicate()
        assert worker.returncode == 0, err
    text = target.read_text(encoding="utf-8")
    assert validate_bytes(target, "t", "task", "DEC-E/styled", text.encode())[1] == []
    notes = [u.get("note") for u in plain(text)["updates"][1:]]
    assert sorted(notes) == sorted(f"{t}-{i}" for t in "ab" for i in range(count))
    for tag in "ab":  # each process's own updates are in its order
        assert [n for n in notes if n.startswith(tag)] == [f"{tag}-{i}" for i in range(count)]
    assert text.startswith(read("tasks/DEC-E/styled.yaml").split("\n# --- hết ---")[0])
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        p.name for p in TASKS.iterdir()
    )


# --- work per edit: a large file is read by libyaml, never by a pure-Python pass ----------


EDIT_OPS = [
    [AppendItem("updates", {"date": DAY, "progress": 40, "note": "ghi chú: có dấu hai chấm"})],
    [SetField("status", "in_progress"), AppendItem("updates", {"date": DAY, "status": "x"})],
    [SetField("status", "done"), SetField("completed", DAY), AppendItem("updates", {"date": DAY})],
]


@pytest.mark.parametrize("name", VALID_TASKS)
@pytest.mark.parametrize("ops", EDIT_OPS, ids=["append", "status", "done"])
def test_libyaml_and_ruamel_nodes_splice_the_same_text(name, ops):
    text = read(f"tasks/DEC-E/{name}.yaml")
    assert isinstance(splice.fast_load(text), dict)  # the fixture takes the fast path

    def spliced(fast: bool) -> str:
        splicer = splice._Splicer(text, fast=fast)
        for op in ops:
            if isinstance(op, SetField):
                splicer.set_field(op.key, op.value)
            else:
                splicer.append_item(op.key, op.item)
        return splicer.result()

    assert spliced(True) == spliced(False)


def _large_task(updates: int) -> str:
    lines = [read("tasks/DEC-E/plain.yaml").rstrip("\n"), "status: in_progress", "updates:"]
    for i in range(updates):
        lines += [
            f"  - date: {dt.date(2000, 1, 1) + dt.timedelta(days=i % 9000)}",
            f"    progress: {i % 100}",
            f"    note: Ghi chú cập nhật số {i} về tiến độ thực hiện",
        ]
    return "\n".join(lines) + "\n"


def test_update_of_a_large_file_is_correct_and_never_read_by_ruamel(data, monkeypatch):
    target = data / "tasks" / "DEC-E" / "plain.yaml"
    before = _large_task(9_000)  # just under the size limit, 100 times any real task file
    target.write_text(before, encoding="utf-8")
    assert 0.8 * MAX_FILE_BYTES < target.stat().st_size < MAX_FILE_BYTES
    passes = {"ruamel": 0, "libyaml": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            passes[name] += 1
            return function(*args, **kwargs)

        return wrapper

    import nq57.io.loader as loader

    monkeypatch.setattr(loader, "parse_yaml", counted("ruamel", loader.parse_yaml))
    monkeypatch.setattr(splice, "compose_yaml", counted("ruamel", splice.compose_yaml))
    monkeypatch.setattr(splice.fastyaml, "load", counted("libyaml", splice.fastyaml.load))
    monkeypatch.setattr(splice.fastyaml, "compose", counted("libyaml", splice.fastyaml.compose))
    update_task(target, "DEC-E/plain", date=DAY, progress=55, note="mới")

    after = target.read_text(encoding="utf-8")
    assert after == before + "  - date: 2025-07-15\n    progress: 55\n    note: mới\n"
    assert passes["ruamel"] == 0
    # read before, composed for the splice, the result read back: each once or twice
    assert passes["libyaml"] <= 6, passes
