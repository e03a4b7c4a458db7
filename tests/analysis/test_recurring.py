"""Recurring tasks: which periods are owed, and one due date in every output.

Fixture tests/fixtures/recurring, hand-computed as of 2026-03-01 (docs/data-format.md §4).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from nq57.analysis.status import build_status
from nq57.check.pipeline import load

from conftest import FIXTURES, invoke

DATA = str(FIXTURES / "recurring")
AS_OF = "2026-03-01"

# id -> (class, due, days_overdue, days_left)
EXPECTED = {
    # Signed 29/12/2023 (second half): 2023 is not owed; 2024 is the earliest missed period.
    "LATE/annual": ("overdue", "2024-12-31", 425, None),
    "LATE/annual-2024": ("overdue", "2025-12-31", 60, None),  # 2024 reported, 2025 not
    # Period 2023-2025 is over and 2024, 2025 are reported: nothing more is owed.
    "LATE/annual-all": ("on_track", "2025-12-31", None, None),
    "LATE/quarterly": ("on_track", "2025-12-31", None, None),  # Q1/2024-Q4/2025 reported
    "EARLY/annual": ("overdue", "2025-12-31", 60, None),  # signed in March: 2025 is owed
    # Signed 10 March, in the second half of Q1: Q2 is the first owed, reported; Q3 missed.
    "EARLY/quarterly": ("overdue", "2025-09-30", 152, None),
    "EARLY/from-2026": ("on_track", "2026-12-31", None, 305),  # stated start 2026
    # A 2025 plan signed in October would owe nothing: its last period (2025) is owed.
    "PLAN/annual": ("overdue", "2025-12-31", 60, None),
}
OVERDUE = {k: v for k, v in EXPECTED.items() if v[0] == "overdue"}


@pytest.fixture(scope="module")
def report():
    return build_status(load([FIXTURES / "recurring"]), dt.date.fromisoformat(AS_OF), 30)


def test_owed_periods_hand_computed(report):
    got = {
        s.task.id: (s.klass, s.due.isoformat() if s.due else None, s.days_overdue, s.days_left)
        for s in report.states
    }
    assert got == EXPECTED


def test_past_the_horizon_with_every_period_reported_can_be_closed(report):
    complete = {s.task.id for s in report.states if s.periods_complete}
    assert complete == {"LATE/annual-all", "LATE/quarterly"}


def test_overdue_since_the_earliest_missed_period(report):
    state = next(s for s in report.states if s.task.id == "LATE/annual")
    assert state.missed_period == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert state.due == state.missed_period[1]


def _days(value):
    return None if value in ("", None) else int(value)


def test_status_list_show_export_agree_on_due_and_days(capsys, tmp_path):
    args = ("--data", DATA, "--as-of", AS_OF)
    _, out, _ = invoke(capsys, "status", *args, "--format", "json")
    status = {r["id"]: (r["due"], r["days_overdue"]) for r in json.loads(out)["overdue"]}
    _, out, _ = invoke(capsys, "list", "tasks", *args, "--format", "json")
    listed = {r["id"]: (r["due"], r.get("days_overdue")) for r in json.loads(out)}
    _, out, _ = invoke(capsys, "list", "tasks", *args, "--format", "csv")
    rows = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    list_csv = {r["id"]: (r["due"], _days(r["days_overdue"])) for r in rows}
    _, out, _ = invoke(capsys, "export", *args)
    rows = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    export_csv = {r["id"]: (r["due"], _days(r["days_overdue"])) for r in rows}
    target = tmp_path / "tasks.xlsx"
    invoke(capsys, "export", "-f", "xlsx", "-o", str(target), *args)
    ws = openpyxl.load_workbook(target)["Nhiệm vụ"]
    header = [c.value for c in ws[1]]
    xlsx = {}
    for row in ws.iter_rows(2, values_only=True):
        cells = dict(zip(header, row, strict=True))
        due = cells["Hạn tính được"]
        xlsx[cells["Mã nhiệm vụ"]] = (
            due.date().isoformat() if due else None,
            cells["Số ngày quá hạn"],
        )
    for task_id, (_, due, days, _) in OVERDUE.items():
        assert status[task_id] == (due, days), task_id
        assert listed[task_id] == (due, days), task_id
        assert list_csv[task_id] == (due, days), task_id
        assert export_csv[task_id] == (due, days), task_id
        assert xlsx[task_id] == (due, days), task_id
        _, out, _ = invoke(capsys, "--lang", "en", "show", task_id, *args)
        shown = dt.date.fromisoformat(due).strftime("%d/%m/%Y")
        assert re.search(rf"Computed due date: {shown} .*Overdue \({days} days\)", out), out


def test_show_says_a_finished_recurring_task_can_be_closed(capsys):
    args = ("--data", DATA, "--as-of", AS_OF)
    _, out, _ = invoke(capsys, "--lang", "en", "show", "LATE/annual-all", *args)
    assert "Every period up to the end of 2025 is reported" in " ".join(out.split())
    _, out, _ = invoke(capsys, "list", "tasks", *args, "--format", "json")
    records = {r["id"]: r for r in json.loads(out)}
    assert records["LATE/annual-all"]["periods_complete"] is True
    assert "periods_complete" not in records["LATE/annual"]


def test_a_period_whose_start_is_after_its_end_is_an_error(capsys, copy_fixture):
    root = copy_fixture("recurring")
    path = root / "decisions" / "LATE.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("end: 2025", "end: 2022"), "utf-8")
    code, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", str(root))
    assert code == 1
    assert re.search(r"LATE\.yaml:\d+:\d+: E113 .*'start' \(2023\) is after .*'end' \(2022\)", out)
