"""What nq57 writes by default (exports/, site/, reports/) is not committed by accident:
both this repository's .gitignore and the one `nq57 init` writes leave it out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nq57.cli.export import DEFAULT_OUTPUT

from conftest import invoke

REPO = Path(__file__).resolve().parents[2]
OUTPUTS = [
    *(path.as_posix() for path in DEFAULT_OUTPUT.values()),  # export -f xlsx / ics
    "site/index.html",  # nq57 site
    "reports/2025-09.docx",  # nq57 report -f docx
]
KEPT = ["data/tasks/X/1.yaml", "README.md"]


def ignored(repo: Path, paths: list[str]) -> set[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    result = subprocess.run(
        ["git", "-C", str(repo), "check-ignore", "--no-index", *paths],
        capture_output=True,
        text=True,
    )
    return set(result.stdout.split())


def test_init_template_ignores_the_default_outputs(capsys, tmp_path):
    repo = tmp_path / "bo-y-te"
    code, _, err = invoke(capsys, "init", str(repo), "--org", "Bộ Y tế")
    assert code == 0, err
    assert ignored(repo, OUTPUTS + KEPT) == set(OUTPUTS)


def test_this_repository_ignores_the_default_outputs(tmp_path):
    shutil.copy(REPO / ".gitignore", tmp_path / ".gitignore")
    assert ignored(tmp_path, OUTPUTS + KEPT) == set(OUTPUTS)
