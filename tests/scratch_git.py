"""A scratch git repository with dated commits, for the history and changes tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DECISION = """\
id: DEC-A
number: 1/NQ-CP
type: nghi_quyet
issuer: Chính phủ
issued: 2025-04-01
title: Chương trình hành động thử nghiệm
"""

TASK_1 = """\
id: DEC-A/1
decision: DEC-A
ref: '1'
title: Hoàn thiện thể chế về chuyển đổi số
lead: [Bộ Khoa học và Công nghệ]
deadline: {deadline}
"""

TASK_2 = """\
id: DEC-A/2
decision: DEC-A
ref: '2'
title: Xây dựng cơ sở dữ liệu quốc gia
lead: [Bộ Tài chính]
due: 2025-12-31
"""

TASK_2_UPDATED = (
    TASK_2
    + """\
status: in_progress
updates:
  - date: 2025-10-05
    status: in_progress
    progress: 30
    note: Đã ký hợp đồng
"""
)

KPI = """\
id: DEC-A/1
decision: DEC-A
ref: '1'
name: Tỷ lệ dịch vụ công trực tuyến toàn trình
unit: '%'
target: ≥ 80
year: 2030
owner: Bộ Khoa học và Công nghệ
measurements:
  - date: 2025-10-20
    value: 55
"""


class Repo:
    """A git work tree whose data folder is ``data/``; commits carry given dates."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True)
        self.git("init", "-q")
        self.git("config", "user.name", "Kiểm thử")
        self.git("config", "user.email", "test@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, date: str | None = None) -> str:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root)}
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def remove(self, rel: str) -> None:
        (self.data / rel).unlink()

    def commit(self, date: str, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")


def build(root: Path) -> tuple[Repo, dict[str, str]]:
    """June: a plan and one task; August: a second task; October: the first task's
    deadline extended (Tháng 9/2025 -> Tháng 3/2026), an update, a KPI measured."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = Repo(root)
    shas = {}
    repo.write("decisions/DEC-A.yaml", DECISION)
    repo.write("tasks/DEC-A/1.yaml", TASK_1.format(deadline="Tháng 9/2025"))
    shas["june"] = repo.commit("2025-06-15T10:00:00+07:00", "Kế hoạch và nhiệm vụ 1")
    repo.write("tasks/DEC-A/2.yaml", TASK_2)
    shas["august"] = repo.commit("2025-08-10T09:00:00+07:00", "Nhiệm vụ 2")
    repo.write("tasks/DEC-A/1.yaml", TASK_1.format(deadline="Tháng 3/2026"))
    repo.write("tasks/DEC-A/2.yaml", TASK_2_UPDATED)
    shas["october"] = repo.commit("2025-10-06T16:30:00+07:00", "Gia hạn nhiệm vụ 1")
    repo.write("kpis/DEC-A/1.yaml", KPI)
    shas["kpi"] = repo.commit("2025-10-21T08:00:00+07:00", "Chỉ tiêu 1")
    return repo, shas
