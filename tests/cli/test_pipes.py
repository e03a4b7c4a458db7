"""Output piped into a reader that stops early (`nq57 list tasks | head`) ends quietly,
with the exit code of a full run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURES

TASKS = 800  # far more output than a pipe holds (64 KiB)


@pytest.fixture
def many_tasks(copy_fixture):
    data = copy_fixture("status")
    folder = data / "tasks" / "NEW"
    for i in range(TASKS):
        (folder / f"gen-{i}.yaml").write_text(
            f"id: NEW/gen-{i}\ndecision: NEW\nref: 'gen-{i}'\ntitle: Nhiệm vụ số {i}\n"
            "lead: [Cục Thuế]\noutput: Báo cáo\ndeadline: Tháng 12/2025\n",
            encoding="utf-8",
        )
    return data


def run(args: list[str], *, read: int | None) -> tuple[int, str]:
    """Run nq57; read only ``read`` bytes of its output then close the pipe (None: all)."""
    env = dict(os.environ, COLUMNS="80")
    with subprocess.Popen(
        [sys.executable, "-m", "nq57", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        if read is None:
            _, err = process.communicate()
        else:
            process.stdout.read(read)
            process.stdout.close()
            err = process.stderr.read()
        return process.wait(), err.decode("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2026-01-01"],
        ["list", "tasks", "--as-of", "2026-01-01"],
        ["list", "tasks", "--format", "json"],
        ["validate", "--format", "json"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_closed_pipe_keeps_the_exit_code(many_tasks, args):
    full, _ = run([*args, "--data", str(many_tasks)], read=None)
    piped, err = run([*args, "--data", str(many_tasks)], read=10)
    assert piped == full
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception" not in err


def test_a_closed_pipe_after_errors_still_exits_1():
    broken = str(FIXTURES / "broken")
    full, _ = run(["validate", "--data", broken], read=None)
    piped, err = run(["validate", "--data", broken], read=1)
    assert full == piped == 1 and "Traceback" not in err
