"""`nq57 query --format table` fits the terminal: text columns keep a readable width, dates
and numbers do not wrap, headers are never cut, and nothing runs past the edge (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.console import Console

from nq57.render.sql import TEXT_MIN, Result, as_table

TITLE = "Xây dựng Kế hoạch triển khai trong năm 2025 theo hướng rõ người, rõ việc, rõ kết quả"
COLUMNS = ["id", "title", "due", "class", "days_overdue", "days_left", "progress", "last_update"]
TYPES = ["VARCHAR", "VARCHAR", "DATE", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "DATE"]
ROWS = [
    ("07-CT-TTg-2025/A-1", TITLE, dt.date(2025, 3, 31), "overdue", 183, None, 0, None),
    ("07-CT-TTg-2025/A-10", TITLE, dt.date(2025, 12, 31), "on_track", None, 92, 40,
     dt.date(2025, 9, 28)),
]  # fmt: skip


def _lines(width: int) -> list[str]:
    console = Console(width=width, record=True, highlight=False)
    with console.capture() as capture:
        console.print(as_table(Result(COLUMNS, TYPES, ROWS)))
    return capture.get().splitlines()


@pytest.mark.parametrize("width", [100, 80, 60, 40])
def test_no_line_runs_past_the_edge_and_every_header_shows_whole(width):
    lines = _lines(width)
    assert all(len(line) <= width for line in lines)
    header = lines[: next(i for i, line in enumerate(lines) if "─" in line)]
    letters = "".join("".join(line.split()) for line in header)
    for name in COLUMNS:  # every letter of every name is somewhere in the header rows
        for part in name.split("_"):
            assert part[:3] in letters, (name, header)


def test_at_100_columns_text_is_readable_and_dates_and_numbers_stay_on_one_line():
    lines = _lines(100)
    text = "\n".join(lines)
    assert "31/03/2025" in text and "28/09/2025" in text and "183" in text
    assert "07-CT-TTg-2025/A-10" in text
    header = next(line for line in lines if " title " in line)
    title_width = header.index(" due ") - header.index(" title ")
    assert title_width >= TEXT_MIN, header  # was 8: one word per line
    assert any("days_" in line for line in lines) and any("overdue" in line for line in lines)


def test_a_wide_terminal_keeps_each_name_on_one_line():
    lines = _lines(200)
    assert all(name in lines[1] for name in COLUMNS), lines[:3]
