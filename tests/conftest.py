"""Shared test helpers: fixture paths, CLI runner, golden files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from nq57.cli.app import run

# No per-example time limit: a busy CI machine must not turn a slow example into a
# failure (the brief: keep wall-clock limits out of tests).
settings.register_profile("nq57", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("nq57")

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(autouse=True)
def _vietnamese_unless_asked(monkeypatch):
    """Each test starts in the default language, whatever a previous run() chose."""
    from nq57.i18n import DEFAULT_LANGUAGE, ENV_VAR, set_language

    monkeypatch.delenv(ENV_VAR, raising=False)
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    """Tables are laid out for COLUMNS: pin it, so a CI runner's own COLUMNS (often 80)
    does not change what the tests read. Tests about width set their own."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_fixtures(tmp_path_factory):
    """Parse caches go to a temporary folder, never beside tests/fixtures."""
    os.environ["NQ57_CACHE_DIR"] = str(tmp_path_factory.mktemp("nq57-cache"))


@pytest.fixture
def in_fixtures(monkeypatch):
    """Run with the fixtures folder as the current directory (stable relative paths)."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


@pytest.fixture
def copy_fixture(tmp_path):
    """Copy a fixture data set to a temporary folder (for tests that write)."""

    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, symlinks=True)
        return target

    return _copy


@pytest.fixture
def cache_workspace(copy_fixture, tmp_path, monkeypatch):
    """The status and broken fixtures copied into an empty folder with its own cache;
    ``make(module)`` switches off that module's 2 s guard (the copies are brand new)."""

    def make(module) -> Path:
        monkeypatch.setenv("NQ57_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setattr(module, "RACY_SECONDS", 0)
        monkeypatch.chdir(tmp_path)
        copy_fixture("status")
        copy_fixture("broken")
        return tmp_path

    return make


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    """Run the real CLI entry point; return (exit code, stdout, stderr)."""
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


_UPDATE_GOLDENS = {"on": bool(os.environ.get("NQ57_UPDATE_GOLDEN"))}


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="write tests/golden/* from the current output instead of comparing",
    )


def pytest_configure(config):
    _UPDATE_GOLDENS["on"] |= bool(config.getoption("--update-goldens"))


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; a missing golden file fails.

    ``pytest --update-goldens`` (or NQ57_UPDATE_GOLDEN=1) writes them instead."""
    path = GOLDEN / name
    if _UPDATE_GOLDENS["on"]:
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing: run pytest --update-goldens and review it")
    assert actual == path.read_text(encoding="utf-8")
