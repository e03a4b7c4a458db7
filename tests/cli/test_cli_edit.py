"""`nq57 task update`, `nq57 task done`, `nq57 kpi record` through the real CLI entry point."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nq57.cli.edit import Status
from nq57.i18n import get_language, language
from nq57.io import atomic
from nq57.model.entities import TASK_STATUSES

from conftest import FIXTURES, invoke

EDIT = FIXTURES / "edit"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A writable copy of tests/fixtures/edit; paths in messages are relative to tmp_path."""
    shutil.copytree(EDIT, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return Path("data")


def invoke_en(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI with --lang en; the tests after it see the default language again."""
    with language("vi"):
        return invoke(capsys, "--lang", "en", *args)


def text_of(data: Path, rel: str) -> str:
    return (data / rel).read_text(encoding="utf-8")


def snapshot(data: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def test_task_update_prints_one_line_and_appends(data, capsys):
    code, out, err = invoke(
        capsys,
        "task",
        "update",
        "DEC-E/plain",
        "--status",
        "in_progress",
        "--progress",
        "40",
        "--date",
        "15/07/2025",
        "--data",
        str(data),
    )
    assert (code, err) == (0, "")
    assert out == "Đã ghi cập nhật cho DEC-E/plain (2025-07-15): in_progress, 40%\n"
    original = (EDIT / "tasks/DEC-E/plain.yaml").read_text(encoding="utf-8")
    assert (
        text_of(data, "tasks/DEC-E/plain.yaml")
        == original.replace(
            "deadline: Tháng 9/2025\n", "deadline: Tháng 9/2025\nstatus: in_progress\n"
        )
        + "updates:\n  - date: 2025-07-15\n    status: in_progress\n    progress: 40\n"
    )


def test_note_only_update_and_default_date_is_today(data, capsys):
    code, out, _ = invoke(
        capsys, "task", "update", "DEC-E/flow", "-n", "Đã họp: lần 2", "-d", str(data)
    )
    today = dt.date.today().isoformat()
    assert code == 0
    assert out == f"Đã ghi cập nhật cho DEC-E/flow ({today}): ghi chú: Đã họp: lần 2\n"
    assert text_of(data, "tasks/DEC-E/flow.yaml").endswith(
        f"    - {{date: {today}, note: 'Đã họp: lần 2'}}\n"
    )


def test_task_done(data, capsys):
    code, out, _ = invoke(
        capsys,
        "task",
        "done",
        "DEC-E/styled",
        "--date",
        "2025-07-20",
        "--note",
        "Đã ban hành",
        "--data",
        str(data),
    )
    assert code == 0
    assert (
        out == "Đã ghi hoàn thành cho DEC-E/styled (2025-07-20): done, 100%, ghi chú: Đã ban hành\n"
    )
    text = text_of(data, "tasks/DEC-E/styled.yaml")
    assert "status: 'done'\ncompleted: 2025-07-20\nupdates:\n" in text
    assert "- date: 2025-07-20\n  status: done\n  progress: 100\n  note: Đã ban hành\n" in text
    before = snapshot(data)
    code, _, err = invoke(capsys, "task", "done", "DEC-E/styled", "--data", str(data))
    assert code == 1
    assert "DEC-E/styled đã hoàn thành (completed 2025-07-20); không thay đổi gì" in err
    assert snapshot(data) == before


def test_kpi_record_with_decimal_comma(data, capsys):
    code, out, _ = invoke(
        capsys,
        "kpi",
        "record",
        "DEC-E/k1",
        "--value",
        "0,7",
        "--date",
        "30/06/2025",
        "--source",
        "Báo cáo quý II",
        "--label",
        "Thế giới",
        "--data",
        str(data),
    )
    assert code == 0
    assert out == "Đã ghi số đo cho DEC-E/k1 (2025-06-30): 0.7% [Thế giới]\n"
    assert (
        "    source: Báo cáo quý I   # số liệu sơ bộ\n  - date: 2025-06-30\n    value: 0.7\n"
        "    source: Báo cáo quý II\n    label: Thế giới\nsection_title:"
    ) in text_of(data, "kpis/DEC-E/k1.yaml")


def test_kpi_integral_value_is_an_int(data, capsys):
    code, _, _ = invoke(
        capsys,
        "kpi",
        "record",
        "DEC-E/k2",
        "--value",
        "38,0",
        "--date",
        "2025-07-01",
        "--data",
        str(data),
    )
    assert code == 0
    assert text_of(data, "kpis/DEC-E/k2.yaml").endswith(
        "measurements:\n  - date: 2025-07-01\n    value: 38\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["task", "update", "DEC-E/plain"],  # nothing to record
        ["task", "update", "DEC-E/plain", "--note", "  "],
        ["task", "update", "DEC-E/plain", "--progress", "101"],
        ["task", "update", "DEC-E/plain", "--progress", "-1"],
        ["task", "update", "DEC-E/plain", "--status", "finished"],
        ["task", "update", "DEC-E/plain", "--note", "x", "--date", "2025-02-30"],
        ["task", "update", "DEC-E/plain", "--note", "x", "--date", "July 15"],
        ["task", "done", "DEC-E/plain", "--date", "15/13/2025"],
        ["kpi", "record", "DEC-E/k1"],  # --value missing
        ["kpi", "record", "DEC-E/k1", "--value", "abc"],
        ["kpi", "record", "DEC-E/k1", "--value", "1.500"],
        ["task", "update"],
    ],
)
def test_usage_errors_exit_2_and_change_nothing(data, capsys, args):
    before = snapshot(data)
    code, out, err = invoke(capsys, *args, "--data", str(data))
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    assert snapshot(data) == before


def test_nothing_to_record_message(data, capsys):
    _, _, err = invoke(capsys, "task", "update", "DEC-E/plain", "--data", str(data))
    assert err == "nq57: lỗi: không có gì để ghi: hãy cho --status, --progress hoặc --note\n"


def test_unknown_id_names_it_and_suggests_close_ids(data, capsys):
    code, out, err = invoke(
        capsys, "task", "update", "DEC-E/plian", "--note", "x", "--data", str(data)
    )
    assert (code, out) == (1, "")
    assert err == ("nq57: lỗi: không tìm thấy nhiệm vụ 'DEC-E/plian'; có phải là DEC-E/plain?\n")


def test_bare_key_suggests_the_full_id(data, capsys):
    code, _, err = invoke(capsys, "task", "done", "styled", "--data", str(data))
    assert code == 1
    assert "có phải là DEC-E/styled?" in err


def test_kpi_id_given_to_a_task_command(data, capsys):
    code, _, err = invoke(capsys, "task", "update", "DEC-E/k1", "--note", "x", "--data", str(data))
    assert code == 1
    assert "'DEC-E/k1' là chỉ tiêu: dùng `nq57 kpi record`" in err


def test_invalid_target_file_is_refused_with_its_diagnostics(data, capsys):
    before = snapshot(data)
    code, out, err = invoke(
        capsys, "task", "update", "DEC-E/invalid", "--note", "x", "--data", str(data)
    )
    assert (code, out) == (1, "")
    first, diagnostic, rest = err.split("\n")
    assert first == (
        "nq57: lỗi: nhiệm vụ DEC-E/invalid: data/tasks/DEC-E/invalid.yaml có lỗi nên không "
        "được sửa; hãy sửa lỗi trước (nq57 validate):"
    )
    assert diagnostic.startswith("  data/tasks/DEC-E/invalid.yaml:6:1: E110 ")
    assert "'deadlne'" in diagnostic and rest == ""
    assert snapshot(data) == before


def test_edit_that_would_leave_the_file_invalid_is_refused(data, capsys):
    before = snapshot(data)
    code, _, err = invoke(
        capsys,
        "task",
        "update",
        "DEC-E/completed-not-done",
        "-p",
        "50",
        "--date",
        "2025-07-15",
        "--data",
        str(data),
    )
    assert code == 1
    assert "thay đổi này sẽ làm data/tasks/DEC-E/completed-not-done.yaml không hợp lệ" in err
    assert "E125 đã có 'completed' nhưng status là 'in_progress'" in err
    assert snapshot(data) == before


def test_update_to_done_is_refused_and_points_to_task_done(data, capsys):
    before = snapshot(data)
    code, _, err = invoke(
        capsys, "task", "update", "DEC-E/plain", "--status", "done", "--data", str(data)
    )
    assert code == 1
    assert "`nq57 task done DEC-E/plain --date YYYY-MM-DD`" in err
    assert snapshot(data) == before


def test_future_date_is_recorded_with_a_warning(data, capsys):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    code, _, err = invoke(
        capsys,
        "task",
        "update",
        "DEC-E/plain",
        "--note",
        "x",
        "--date",
        future,
        "--data",
        str(data),
    )
    assert code == 0
    assert err == f"nq57: cảnh báo: --date {future} là ngày trong tương lai\n"


def test_held_lock_exit_1(data, capsys, monkeypatch):
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.2)
    lock = data / "tasks/DEC-E/plain.yaml.lock"
    lock.write_text(
        f"{os.getpid()} {socket.gethostname()} 2025-07-15T09:00:00+07:00 t\n", encoding="utf-8"
    )
    before = snapshot(data)
    code, out, err = invoke(
        capsys, "task", "update", "DEC-E/plain", "--note", "x", "--data", str(data)
    )
    assert (code, out) == (1, "")
    assert err.startswith(
        "nq57: lỗi: data/tasks/DEC-E/plain.yaml đang được một lệnh khác sửa "
        f"(tiến trình {os.getpid()} trên máy "
    )
    assert "hãy xoá data/tasks/DEC-E/plain.yaml.lock" in err
    assert snapshot(data) == before


def test_disk_full_exit_1(data, capsys, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    before = snapshot(data)
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", disk_full)
        code, _, err = invoke(capsys, "task", "done", "DEC-E/plain", "--data", str(data))
    assert code == 1
    assert err == (
        "nq57: lỗi: không ghi được data/tasks/DEC-E/plain.yaml: ổ đĩa hết chỗ trống; "
        "tệp giữ nguyên\n"
    )
    assert snapshot(data) == before


def test_edited_data_still_validates(data, capsys):
    for args in (
        ["task", "update", "DEC-E/plain", "-s", "in_progress", "-p", "10", "--date", "2025-07-01"],
        ["task", "update", "DEC-E/plain", "-p", "60", "-n", "giữa kỳ", "--date", "2025-07-10"],
        ["task", "done", "DEC-E/plain", "--date", "2025-07-15"],
        ["task", "done", "DEC-E/done-no-date", "--date", "2025-06-30"],
        ["task", "update", "DEC-E/noeol", "-s", "cancelled", "--date", "2025-07-15"],
        ["task", "done", "DEC-E/empty-lists", "--date", "2025-07-15"],
        ["kpi", "record", "DEC-E/k1", "--value", "61", "--date", "2025-06-30"],
        ["kpi", "record", "DEC-E/k2", "--value", "44", "--date", "2025-06-30"],
    ):
        code, _, err = invoke(capsys, *args, "--data", str(data))
        assert code == 0, err
    for broken in ("invalid", "completed-not-done"):  # invalid on purpose, not edited
        (data / f"tasks/DEC-E/{broken}.yaml").unlink()
    code, out, _ = invoke(capsys, "validate", "--data", str(data))
    assert code == 0
    assert out.splitlines()[0] == "Không phát hiện lỗi hay cảnh báo nào."
    assert out.splitlines()[1].startswith("Đã kiểm tra ")


def test_status_choices_are_the_models():
    assert tuple(s.value for s in Status) == TASK_STATUSES


@pytest.mark.parametrize("command", [["task", "update"], ["task", "done"], ["kpi", "record"]])
def test_help_is_vietnamese_with_examples(capsys, command):
    code, out, _ = invoke(capsys, *command, "--help")
    assert code == 0
    assert out.startswith(f"Cách dùng: nq57 {' '.join(command)} ")
    assert "Ví dụ:" in out and f"    nq57 {' '.join(command)} " in out
    assert "--data" in out and "--date" in out
    assert "Ngày mặc định: hôm nay." in " ".join(out.split())
    code, out, _ = invoke_en(capsys, *command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: nq57 {' '.join(command)} ")
    assert "Examples:" in out and "Ví dụ" not in out
    assert "Default date: today." in " ".join(out.split())


def test_concurrent_commands_lose_no_update(data):
    """Several real `python -m nq57 task update` processes on one file, three rounds."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    expected = []
    for round_ in range(3):
        procs = []
        for worker in range(4):
            note = f"r{round_}-w{worker}"
            expected.append(note)
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "nq57",
                        "task",
                        "update",
                        "DEC-E/styled",
                        "--note",
                        note,
                        "--date",
                        "2025-07-15",
                        "--data",
                        str(data),
                    ],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                )
            )
        for proc in procs:
            out, err = proc.communicate()
            assert proc.returncode == 0, err
            assert out.startswith("Đã ghi cập nhật cho DEC-E/styled (2025-07-15): ghi chú: r")
    text = text_of(data, "tasks/DEC-E/styled.yaml")
    notes = [
        line.split("note: ", 1)[1] for line in text.splitlines() if line.startswith("  note: r")
    ]
    assert sorted(notes) == sorted(expected)
    result = subprocess.run(
        [sys.executable, "-m", "nq57", "validate", str(data / "tasks"), "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "DEC-E/styled" not in result.stdout
    assert not list(data.rglob("*.lock")) and not list(data.rglob(".*.tmp"))


def test_same_id_in_two_data_folders_is_refused(data, capsys, tmp_path):
    shutil.copytree(data, tmp_path / "copy")
    before = snapshot(data)
    code, _, err = invoke(
        capsys,
        "task",
        "update",
        "DEC-E/plain",
        "--note",
        "x",
        "--data",
        str(data),
        "--data",
        "copy",
    )
    assert code == 1
    assert (
        "nhiệm vụ DEC-E/plain có trong 2 tệp (data/tasks/DEC-E/plain.yaml, "
        "copy/tasks/DEC-E/plain.yaml); hãy giữ lại một tệp" in err
    )
    assert snapshot(data) == before


def test_second_data_folder_is_found(data, capsys, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "minimal", other)
    code, out, _ = invoke(
        capsys,
        "task",
        "update",
        "DEC-A/1",
        "-n",
        "x",
        "--date",
        "2025-07-15",
        "--data",
        str(data),
        "--data",
        "other",
    )
    assert code == 0
    assert out == "Đã ghi cập nhật cho DEC-A/1 (2025-07-15): ghi chú: x\n"
    assert (
        (other / "tasks/DEC-A/1.yaml")
        .read_text(encoding="utf-8")
        .endswith("updates:\n  - date: 2025-07-15\n    note: x\n")
    )


# --- the interface language -----------------------------------------------------------------


def test_user_error_in_english_with_lang_en(data, capsys):
    code, out, err = invoke(capsys, "status", "--as-of", "31/02/2025", "--data", str(data))
    assert (code, out) == (2, "")
    assert (
        err == "nq57: lỗi: --as-of '31/02/2025' không phải là ngày (YYYY-MM-DD hoặc dd/mm/yyyy)\n"
    )
    code, out, err = invoke_en(capsys, "status", "--as-of", "31/02/2025", "--data", str(data))
    assert (code, out) == (2, "")
    assert err == "nq57: error: --as-of '31/02/2025' is not a date (YYYY-MM-DD or dd/mm/yyyy)\n"
    assert get_language() == "vi"


def test_edit_refusal_in_english_with_lang_en(data, capsys):
    before = snapshot(data)
    code, out, err = invoke_en(
        capsys, "task", "update", "DEC-E/plian", "--note", "x", "--data", str(data)
    )
    assert (code, out) == (1, "")
    assert err == "nq57: error: no task 'DEC-E/plian'; did you mean DEC-E/plain?\n"
    code, _, err = invoke_en(
        capsys, "task", "update", "DEC-E/plain", "--status", "done", "--data", str(data)
    )
    assert code == 1
    assert err == (
        "nq57: error: DEC-E/plain: a task is marked done with `nq57 task done DEC-E/plain "
        "--date YYYY-MM-DD`, which also records the completion date ('completed'); "
        "nothing was changed\n"
    )
    code, _, err = invoke_en(capsys, "task", "update", "DEC-E/plain", "--data", str(data))
    assert (code, err) == (
        2,
        "nq57: error: nothing to record: give --status, --progress or --note\n",
    )
    assert snapshot(data) == before


def test_edit_success_line_in_english_with_lang_en(data, capsys):
    code, out, err = invoke_en(
        capsys,
        "kpi",
        "record",
        "DEC-E/k1",
        "--value",
        "0,7",
        "--date",
        "2025-06-30",
        "--data",
        str(data),
    )
    assert (code, err) == (0, "")
    assert out.startswith("Recorded a measurement for DEC-E/k1 (2025-06-30): 0.7")


def test_status_help_in_english_with_lang_en(capsys):
    code, out, _ = invoke(capsys, "status", "--help")
    assert code == 0
    assert out.startswith("Cách dùng: nq57 status [TUỲ CHỌN]\n\n  Tình hình thực hiện: ")
    assert "Ví dụ:" in out and "Tuỳ chọn:" in out and "    nq57 status --as-of " in out
    flat = " ".join(out.split())
    assert "Thư mục dữ liệu chứa decisions/, tasks/, kpis/." in flat
    assert "Số dòng tối đa mỗi bảng (0 = tất cả). [mặc định: 20]" in flat
    code, out, _ = invoke_en(capsys, "status", "--help")
    assert code == 0
    assert out.startswith("Usage: nq57 status [OPTIONS]\n\n  Implementation status: ")
    assert "Examples:" in out and "Options:" in out and "    nq57 status --as-of " in out
    flat = " ".join(out.split())
    assert "Data folder holding decisions/, tasks/, kpis/." in flat
    assert "Rows per table (0 = all). [default: 20]" in flat
    assert not any(word in out for word in ("Tuỳ chọn", "Ví dụ", "Thư mục", "mặc định"))


def test_finished_task_one_rule_and_reopen(data, capsys):
    before = snapshot(data)
    task = ["DEC-E/done", "--data", str(data)]
    for change in (["--progress", "10"], ["--status", "in_progress"]):
        code, _, err = invoke(capsys, "task", "update", *task, *change)
        assert code == 1
        assert "`nq57 task update DEC-E/done --reopen --status in_progress`" in err
    assert snapshot(data) == before
    code, out, err = invoke(capsys, "task", "update", *task, "--reopen", "--date", "2025-07-15")
    assert code == 0, err
    text = text_of(data, "tasks/DEC-E/done.yaml")
    assert "status: in_progress" in text and "completed:" not in text
    code, out, _ = invoke(capsys, "validate", "--data", str(data), "--format", "json")
    assert "DEC-E/done.yaml" not in out  # the reopened file is valid
    code, _, err = invoke(capsys, "task", "update", *task, "--reopen")
    assert code == 2 and "--reopen" in err


def test_reopen_is_in_the_help(capsys):
    code, out, _ = invoke(capsys, "task", "update", "--help")
    assert code == 0 and "--reopen" in out


@pytest.mark.parametrize("day", ["9999-12-31", "31/12/2100", "+400"])
@pytest.mark.parametrize(
    "command",
    [
        ["task", "update", "DEC-E/plain", "--note", "x"],
        ["task", "done", "DEC-E/plain"],
        ["kpi", "record", "DEC-E/k1", "--value", "5"],
    ],
)
def test_dates_far_ahead_are_errors(data, capsys, day, command):
    if day == "+400":
        day = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    before = snapshot(data)
    code, _, err = invoke(capsys, *command, "--date", day, "--data", str(data))
    assert code == 1
    assert "quá xa trong tương lai" in err and "cảnh báo" not in err
    assert snapshot(data) == before
