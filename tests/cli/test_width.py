"""Tables fit the terminal: COLUMNS (or the terminal's width), never under 60; 100 when
piped without COLUMNS. Numbers and dates are never cut."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from conftest import FIXTURES, invoke

DATA = str(FIXTURES / "status")
COMMANDS = [
    ["status", "--as-of", "2025-09-01"],
    ["list", "tasks", "--as-of", "2025-09-01"],
    ["list", "kpis", "--as-of", "2025-09-01"],
    ["list", "decisions"],
    ["show", "NEW"],
    ["show", "NEW/annual-new", "--as-of", "2025-09-01"],
    ["search", "bao cao"],
]


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_tables_fit_the_width(capsys, monkeypatch, args, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = invoke(capsys, *args, "--data", DATA)
    assert code == 0 and widest(out) <= columns
    if args[0] == "status":
        assert widest(out) == columns  # laid out for the width, not for 100


def test_never_narrower_than_60_and_100_when_piped(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    _, out, _ = invoke(capsys, "status", "--as-of", "2025-09-01", "--data", DATA)
    assert widest(out) == 60
    monkeypatch.delenv("COLUMNS")
    _, out, _ = invoke(capsys, "status", "--as-of", "2025-09-01", "--data", DATA)
    assert widest(out) == 100


def test_counts_and_dates_are_whole_at_60(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _ = invoke(capsys, "status", "--as-of", "2026-01-01", "--data", DATA)
    assert re.search(r"\d…", out) is None  # no number or date cut short
