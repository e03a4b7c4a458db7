"""`nq57 report`: what moved in the month, read from the data's git history (issue 14)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import FIXTURES, invoke

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(folder, *args, date=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_deadline_changed_in_the_month_and_the_trend(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "report", data)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start", date="2025-07-01T09:00:00+07:00")
    task = data / "tasks" / "DEC-P" / "4.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("Tháng 10/2025", "Tháng 12/2025"),
        encoding="utf-8",
    )
    git(tmp_path, "commit", "-qam", "gia hạn", date="2025-09-10T09:00:00+07:00")
    target = tmp_path / "bc.md"
    code, _, err = invoke(capsys, "report", "-m", "2025-09", "--data", str(data), "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    section = text.split("### 3. Nhiệm vụ được điều chỉnh thời hạn")[1].split("###")[0]
    assert "10/NQ-CP, nhiệm vụ 4" in section
    assert "| Tháng 10/2025 | Tháng 12/2025 |" in section
    assert (tmp_path / "bc-trend.png").read_bytes().startswith(b"\x89PNG")
    assert "(theo dữ liệu hiện tại" not in text  # the points come from the commits
