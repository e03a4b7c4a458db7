"""Whatever the locale, nq57 writes what the user typed (or refuses it), prints without
crashing, and reads damaged text in a file as an error. Real subprocesses: the locale
and the interpreter's encodings are fixed at start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke

C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}
LATIN1_OUTPUT = {"PYTHONIOENCODING": "latin-1"}
TASK = "NEW/before"


def nq57(*args: str | bytes, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    environment.update(env)
    environment["NQ57_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run(
        [sys.executable, "-m", "nq57", *args],
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=300,
    )


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "status", target)
    return target


def _task_text(data: Path) -> str:
    return (data / "tasks" / "NEW" / "before.yaml").read_bytes().decode("utf-8")


def test_a_note_typed_under_the_c_locale_is_written_as_typed(data):
    result = nq57(
        "task",
        "update",
        TASK,
        "--note",
        "Đã ký",
        "--date",
        "2025-07-01",
        env=C_LOCALE,
        cwd=data.parent,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "    note: Đã ký\n" in _task_text(data)
    assert "Đã ký".encode() in result.stdout  # and said so legibly
    result = nq57("validate", "--data", "data", env=C_LOCALE, cwd=data.parent)
    assert result.returncode == 0
    result = nq57("site", "--data", "data", "-o", "site", env=C_LOCALE, cwd=data.parent)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")


def test_bytes_that_are_not_utf8_are_refused_not_written(data):
    before = _task_text(data)
    for env in (C_LOCALE, {}):
        result = nq57(
            "--lang", "en", "task", "update", TASK, "--note", b"caf\xe9", env=env, cwd=data.parent
        )
        assert result.returncode == 2
        assert b"not UTF-8 text: caf\\xe9" in result.stderr
        assert _task_text(data) == before


def test_a_new_file_name_typed_under_the_c_locale_keeps_its_bytes(data):
    result = nq57(
        "report",
        "-m",
        "2025-07",
        "--data",
        "data",
        "-o",
        "báo cáo.md",
        env=C_LOCALE,
        cwd=data.parent,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    report = data.parent / "báo cáo.md"
    assert report.exists()
    assert "b%C3%A1o%20c%C3%A1o-classes.png" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("env", [LATIN1_OUTPUT, C_LOCALE], ids=["latin-1 output", "C locale"])
@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("status", "--help"),
        ("status", "--data", "data", "--as-of", "2025-07-15"),
        ("status", "--data", "data", "--as-of", "2025-07-15", "-f", "json"),
        ("list", "tasks", "--data", "data"),
        ("validate", "--data", "data"),
        ("search", "báo cáo", "--data", "data"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_output_to_a_stream_that_is_not_utf8_does_not_crash(data, env, args):
    result = nq57(*args, env=env, cwd=data.parent)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stdout


def test_an_error_printed_in_latin1_is_still_an_error_not_a_crash(data):
    result = nq57("status", "--data", "nowhere", env=LATIN1_OUTPUT, cwd=data.parent)
    assert result.returncode == 2
    assert b"nowhere" in result.stderr


DAMAGED = (
    'updates:\n  - date: 2025-07-01\n    note: "\\uDCC4\\uDC90\\uDCC3\\uDCA3 k\\uDCC3\\uDCBD"\n'
)


def test_validate_flags_half_characters_in_a_file(data, capsys, monkeypatch):
    task = data / "tasks" / "NEW" / "before.yaml"
    task.write_text(task.read_text(encoding="utf-8") + DAMAGED, encoding="utf-8")
    lines = len(task.read_text(encoding="utf-8").splitlines())
    monkeypatch.chdir(data.parent)
    code, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", "data")
    assert code == 1
    expected = f"data/tasks/NEW/before.yaml:{lines}:11: E104 updates[0].note: the escape U+DCC4"
    assert expected in out
    code, _, err = invoke(capsys, "site", "--data", "data", "-o", "site")
    assert code == 0, err  # the damaged file is left out, as any invalid file


def test_an_edit_never_writes_half_characters(data, capsys):
    before = _task_text(data)
    code, _, err = invoke(
        capsys, "--lang", "en", "task", "update", TASK, "--data", str(data), "--note", "\udcc4x"
    )
    assert code == 1
    assert "E104" in err and "half a character" in err
    assert _task_text(data) == before
