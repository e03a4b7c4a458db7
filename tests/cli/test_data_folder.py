"""A wrong --data folder is a usage error, never a green "no errors"; validate says how
many files it checked and can list errors only."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, invoke

READING_COMMANDS = [
    ("validate",),
    ("status",),
    ("list", "tasks"),
    ("show", "DEC-A/1"),
    ("export",),
    ("search", "thuế"),
    ("report", "--month", "2025-09"),
    ("site", "--output", "out-site"),
    ("fmt", "--check"),
    ("task", "update", "DEC-A/1", "--note", "x"),
]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository root holding data/ (a copy of the minimal fixture)."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: " ".join(c))
def test_repository_root_as_data_is_refused_with_the_folder_meant(repo, capsys, command):
    code, out, err = invoke(capsys, *command, "--data", ".")
    assert code == 2, out + err
    assert "'.' không phải là thư mục dữ liệu" in err
    assert "có phải là --data data?" in err
    assert "Traceback" not in err


def test_an_entity_folder_as_data_suggests_its_parent(repo, capsys):
    code, _, err = invoke(capsys, "--lang", "en", "validate", "--data", "data/tasks")
    assert code == 2
    assert "'data/tasks' is not a data folder: it has none of decisions/, tasks/, kpis/" in err
    assert "did you mean --data data?" in err
    code, _, err = invoke(capsys, "validate", "--data", "data/tasks/DEC-A")
    assert code == 2 and "--data data?" in err


def test_an_empty_folder_is_refused_without_a_made_up_suggestion(repo, capsys):
    code, out, err = invoke(capsys, "--lang", "en", "validate", "--data", "empty")
    assert code == 2
    assert "'empty' is not a data folder" in err
    assert out == ""


def test_default_data_folder_and_include_still_work(repo, capsys, monkeypatch):
    code, out, _ = invoke(capsys, "validate")
    assert code == 0, out
    other = repo / "tinh" / "data"
    (other / "tasks").mkdir(parents=True)
    (repo / "data" / "config.yaml").write_text("include:\n  - ../tinh/data\n", encoding="utf-8")
    code, out, _ = invoke(capsys, "validate", "--data", "data")
    assert code == 0, out
    (repo / "data" / "config.yaml").write_text("include:\n  - ../empty\n", encoding="utf-8")
    code, _, err = invoke(capsys, "--lang", "en", "validate", "--data", "data")
    assert code == 2
    assert "'data/../empty' (named under include: in data/config.yaml) is not a data folder" in err


def test_a_folder_without_entities_yet_but_with_the_folders_is_fine(tmp_path, capsys):
    (tmp_path / "tasks").mkdir()
    code, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", str(tmp_path))
    assert code == 0
    assert "Checked 0 files." in out


def test_validate_says_how_many_files_it_checked(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", "minimal")
    assert code == 0
    assert out.splitlines()[-2:] == ["No problems found.", "Checked 7 files."]
    _, out, _ = invoke(capsys, "validate", "--data", "minimal", "-f", "json")
    assert json.loads(out)["files_checked"] == 7
    _, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", "minimal", "minimal/tasks")
    assert out.splitlines()[-1] == "Checked 3 files."


def test_validate_of_a_path_that_does_not_exist_is_a_usage_error(in_fixtures, capsys):
    code, out, err = invoke(capsys, "--lang", "en", "validate", "--data", "minimal", "mnimal")
    assert code == 2
    assert "no file or folder 'mnimal'" in err


def test_errors_only_hides_warnings_but_counts_them(in_fixtures, capsys):
    _, full, _ = invoke(capsys, "--lang", "en", "validate", "--data", "broken")
    code, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", "broken", "--errors-only")
    assert code == 1
    listed = [line for line in out.splitlines() if ": E" in line or ": W" in line]
    assert listed and all(": E" in line for line in listed)
    assert listed == [line for line in full.splitlines() if ": E" in line]
    summary = [line for line in out.splitlines() if " warnings in " in line][0]
    assert summary.startswith(full.splitlines()[-2])  # same counts as without the option
    assert summary.endswith("(warnings not listed: --errors-only)")
    _, out, _ = invoke(capsys, "validate", "--data", "broken", "--errors-only", "-f", "json")
    payload = json.loads(out)
    assert payload["warnings"] == [] and payload["errors"]
    _, out, _ = invoke(capsys, "validate", "--data", "broken", "--errors-only", "-f", "github")
    assert "::warning" not in out and "::error" in out


def test_errors_only_with_strict_still_fails_on_warnings(in_fixtures, capsys, tmp_path):
    warn_only = tmp_path / "w"
    shutil.copytree(FIXTURES / "minimal", warn_only)
    task = warn_only / "tasks" / "DEC-A" / "1.yaml"
    text = task.read_text(encoding="utf-8")
    task.write_text(text.replace("Bộ Khoa học và", "Bộ Khoa hoc và"), encoding="utf-8")
    code, out, _ = invoke(capsys, "validate", "--data", str(warn_only), "--errors-only")
    assert code == 0 and "W200" not in out
    code, _, _ = invoke(capsys, "validate", "--data", str(warn_only), "--errors-only", "--strict")
    assert code == 1
