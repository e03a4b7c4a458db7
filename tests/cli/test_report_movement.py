"""`nq57 report`: what moved in the month, read from the data's git history (issue 14)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from docx import Document

from nq57.analysis.report import build_report
from nq57.check.pipeline import load
from nq57.render.report_job import movement

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
    base = tmp_path / "bc"
    args = ["report", "-m", "2025-09", "--data", str(data), "-o", str(base), "-f", "both"]
    code, _, err = invoke(capsys, *args)
    assert code == 0, err
    target = tmp_path / "bc.md"
    text = target.read_text(encoding="utf-8")
    word = "\n".join(
        p.text
        for t in Document(str(base) + ".docx").tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    )
    assert "Tháng 12/2025" in word and "10/NQ-CP, nhiệm vụ 4" in word  # the Word table too
    section = text.split("### 3. Nhiệm vụ được điều chỉnh thời hạn")[1].split("###")[0]
    assert "10/NQ-CP, nhiệm vụ 4" in section
    assert "| Tháng 10/2025 | Tháng 12/2025 |" in section
    assert (tmp_path / "bc-trend.png").read_bytes().startswith(b"\x89PNG")
    assert "(theo dữ liệu hiện tại" not in text  # the points come from the commits


def test_trend_starts_at_the_first_commit(tmp_path):
    """Month-ends before the data's first commit are left out, not drawn as zeros."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "report", data)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start", date="2025-07-01T09:00:00+07:00")
    dataset = load([data])
    history, changes = movement(data, dataset, "2025-09", None, None)
    trend = build_report(dataset, "2025-09", history=history, changes=changes)["trend"]
    assert [row["date"] for row in trend] == ["31/07/2025", "31/08/2025", "30/09/2025"]
