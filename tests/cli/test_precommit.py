"""The pre-commit hooks (.pre-commit-hooks.yaml) run for real: this repository is copied
to a temporary git repository and committed (pre-commit only sees committed hook
files), and a data repository uses it as its hook source.

Skipped, not failed, when git or pre-commit is missing or pre-commit cannot build the
hooks' environment (it installs nq57 and its dependencies from the package registry).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nq57.cli.app import run

from conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "templates")


def _pre_commit() -> str | None:
    beside = Path(sys.executable).with_name("pre-commit")
    return str(beside) if beside.exists() else shutil.which("pre-commit")


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=_env()
    )
    return result.stdout.strip()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,  # no user hooks, signing or templates
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="nq57 test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="nq57 test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def _init(folder: Path) -> None:
    _git(folder, "init", "--quiet", "--initial-branch=main")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This repository's hook-relevant files, committed in a temporary repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    missing = [name for name in HOOK_FILES if not (REPO / name).exists()]
    if missing:  # e.g. tests run from an sdist
        pytest.skip(f"not a checkout of nq57 (missing {', '.join(missing)})")
    folder = tmp_path_factory.mktemp("nq57-hooks")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.lock")
    for name in HOOK_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            shutil.copy2(source, folder / name)
    _init(folder)
    _git(folder, "add", "--all")
    _git(folder, "commit", "--quiet", "--message", "nq57 hooks under test")
    return folder, _git(folder, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit(hook_repo, tmp_path_factory):
    """A runner for `pre-commit` in a data repository whose hooks come from hook_repo."""
    executable = _pre_commit()
    if executable is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    repo, sha = hook_repo
    home = tmp_path_factory.mktemp("pre-commit-home")
    data_repo = tmp_path_factory.mktemp("data-repo")
    shutil.copytree(FIXTURES / "minimal", data_repo / "data")
    assert run(["fmt", "--data", str(data_repo / "data")]) == 0  # the fixture uses [flow] lists
    (data_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {sha}\n    hooks:\n"
        "      - id: nq57-validate\n      - id: nq57-fmt\n",
        encoding="utf-8",
    )
    _init(data_repo)
    _git(data_repo, "add", "--all")

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        env = _env() | {"PRE_COMMIT_HOME": str(home), "NQ57_CACHE_DIR": str(home / "nq57")}
        return subprocess.run(
            [executable, *args], cwd=data_repo, capture_output=True, text=True, env=env
        )

    setup = pre_commit("install-hooks")
    if setup.returncode != 0:
        pytest.skip(
            "pre-commit could not build the hooks' environment (offline?): "
            + (setup.stdout + setup.stderr).strip()[-600:]
        )
    return pre_commit, data_repo


def test_hooks_pass_on_valid_canonical_data(pre_commit):
    runner, _ = pre_commit
    result = runner("run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nq57 validate" in result.stdout and "nq57 fmt --check" in result.stdout
    assert "Failed" not in result.stdout


def test_hooks_fail_on_a_broken_or_unformatted_file(pre_commit):
    runner, data_repo = pre_commit
    decision = data_repo / "data/decisions/DEC-A.yaml"
    task = data_repo / "data/tasks/DEC-A/2.yaml"
    original = decision.read_text(encoding="utf-8"), task.read_text(encoding="utf-8")
    try:
        decision.write_text(
            original[0].replace("issued: 2025-", "issued: 2025-13-"), encoding="utf-8"
        )
        task.write_text(original[1].replace("lead: ", "lead:   "), encoding="utf-8")
        _git(data_repo, "add", "--all")
        result = runner("run", "--all-files")
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "data/decisions/DEC-A.yaml:" in output and " E114 " in output
        assert "--- data/tasks/DEC-A/2.yaml" in output, "the fmt hook prints the diff"
        assert output.count("Failed") == 2
    finally:
        decision.write_text(original[0], encoding="utf-8")
        task.write_text(original[1], encoding="utf-8")
        _git(data_repo, "add", "--all")
