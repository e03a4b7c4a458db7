"""Every command's --help (80 columns, both languages) names what each parameter takes
(DIR, FILE, DATE, AGENCY, N, choices), never a Python type ("<str>", "<list[Path]>")."""

from __future__ import annotations

import re

import pytest
import typer.main

from nq57.cli.app import app
from nq57.i18n import language

from conftest import invoke


def _command_paths(command, path=()) -> list[tuple[str, ...]]:
    paths = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        paths += _command_paths(sub, (*path, name))
    return paths


COMMANDS = _command_paths(typer.main.get_command(app))
PYTHON_TYPE = re.compile(r"list\[|<str>|<int>|<float>|<path>|<bool>|int range|float range")


def test_every_command_is_checked():
    assert ("task", "update") in COMMANDS and ("validate",) in COMMANDS and len(COMMANDS) > 15


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "nq57")
def test_help_shows_no_python_type(capsys, monkeypatch, path, lang):
    monkeypatch.setenv("COLUMNS", "80")
    with language("vi"):
        code, out, err = invoke(capsys, "--lang", lang, *path, "--help")
    assert code == 0, err
    assert PYTHON_TYPE.findall(out) == [], out
    assert max(len(line) for line in out.splitlines()) <= 80, out
