"""A PATH given to validate or fmt --check that selects no file of the data folder read is a
usage error, never a green "0 files checked" (issue 18)."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, invoke

COMMANDS = [("validate",), ("fmt", "--check")]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with data/, another data folder beside it, an empty folder, a README."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    shutil.copytree(FIXTURES / "minimal", tmp_path / "other")
    (tmp_path / "empty").mkdir()
    (tmp_path / "data" / "notes").mkdir()
    (tmp_path / "data" / "notes" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "README.md").write_text("# repo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_empty_folder_is_a_usage_error(repo, capsys, command):
    code, out, err = invoke(capsys, "--lang", "en", *command, "empty")
    assert code == 2, out + err
    assert "'empty' is outside the data folder being read (data)" in err
    assert "0 files" not in out + err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_file_outside_the_data_is_a_usage_error(repo, capsys, command):
    code, _, err = invoke(capsys, *command, "README.md")
    assert code == 2
    assert "'README.md' nằm ngoài thư mục dữ liệu đang đọc (data)" in err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_of_another_data_folder_names_its_data_option(repo, capsys, command):
    code, _, err = invoke(capsys, "--lang", "en", *command, "other/tasks/DEC-A")
    assert code == 2
    assert "'other/tasks/DEC-A' is outside the data folder being read" in err
    assert "did you mean --data other?" in err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_of_the_data_without_data_files_is_a_usage_error(repo, capsys, command):
    code, _, err = invoke(capsys, "--lang", "en", *command, "data/notes")
    assert code == 2
    assert "'data/notes' selects no data file of data" in err


def test_a_path_inside_the_data_checks_its_files(repo, capsys):
    code, out, err = invoke(capsys, "--lang", "en", "validate", "data/tasks/DEC-A")
    assert code == 0, out + err
    assert "Checked 2 files." in out
    code, out, err = invoke(capsys, "validate", "data")
    assert code == 0, out + err
    code, _, err = invoke(capsys, "--lang", "en", "fmt", "--check", "data/tasks/DEC-A/1.yaml")
    assert code != 2 and "1 file" in err, err  # checked (the fixture is not canonical)
