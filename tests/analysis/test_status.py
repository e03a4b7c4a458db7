"""`nq57 status` classes, hand-computed for tests/fixtures/status as of 2025-07-15."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nq57.analysis.status import build_status
from nq57.analysis.tasks import classify
from nq57.check.pipeline import load
from nq57.i18n import DEFAULT_LANGUAGE, set_language
from nq57.model.entities import Update

from conftest import FIXTURES, invoke

AS_OF = dt.date(2025, 7, 15)
AS_OF_TEXT = AS_OF.isoformat()

# id -> (class, due, days_overdue, days_left), worked out by hand from the fixture files.
EXPECTED = {
    "NEW/overdue": ("overdue", "2025-06-30", 15, None),  # Tháng 6/2025
    "NEW/yesterday": ("overdue", "2025-07-14", 1, None),  # due: overrides a vague deadline
    "NEW/today": ("due_soon", "2025-07-15", None, 0),  # as-of day included
    "NEW/window-end": ("due_soon", "2025-08-14", None, 30),  # last day of the window
    "NEW/beyond": ("on_track", "2025-08-15", None, 31),
    "NEW/quarter": ("on_track", "2025-09-30", None, 77),  # Quý III/2025
    "NEW/done-ontime": ("done_on_time", "2025-06-30", None, None),
    "NEW/done-late": ("done_late", "2025-06-30", None, None),
    "NEW/cancelled": ("cancelled", "2025-06-30", None, None),
    "NEW/continuous": ("no_deadline", None, None, None),  # Thường xuyên
    "NEW/relative": ("no_deadline", None, None, None),  # Theo lộ trình của ...
    # A recurring task that missed a period is due at the end of the earliest one missed.
    "OLD/annual-missed": ("overdue", "2024-12-31", 196, None),  # 2024 ended unreported
    "OLD/annual-ok": ("on_track", "2025-12-31", None, 169),  # update dated in 2024
    "NEW/annual-new": ("on_track", "2025-12-31", None, 169),  # 2024 ended before issue
    "NEW/quarterly": ("overdue", "2025-06-30", 15, None),  # Q1 reported, Q2 not
    "NEW/range": ("on_track", "2025-12-31", None, 169),  # 2024-2025
    "NEW/halfyear": ("overdue", "2025-06-30", 15, None),  # 6 tháng đầu năm 2025
    "NEW/before": ("due_soon", "2025-07-15", None, 0),  # Trước ngày 15/07/2025
    "NEW/in-progress": ("overdue", "2025-06-30", 15, None),
}


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """`run(["--lang", "en", ...])` sets the language of the process: back to the default."""
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(scope="module")
def report():
    return build_status(load([FIXTURES / "status"]), AS_OF, 30)


def test_every_task_gets_its_hand_computed_class(report):
    got = {
        s.task.id: (s.klass, s.due.isoformat() if s.due else None, s.days_overdue, s.days_left)
        for s in report.states
    }
    assert got == EXPECTED


def test_a_past_date_sees_tasks_as_they_stood_then():
    """Completed 2025-07-02 (due 30/06): on 1 July it was overdue, not done; status,
    list, the site and the monthly report all use this one rule (classify)."""
    data = load([FIXTURES / "status"])
    late = data.tasks["NEW/done-late"]
    before = classify(late, dt.date(2025, 7, 1))
    assert (before.klass, before.days_overdue, before.task.completed) == ("overdue", 1, None)
    assert classify(late, dt.date(2025, 7, 2)).klass == "done_late"
    cancelled = late.model_copy(
        update={
            "status": "cancelled",
            "completed": None,
            "updates": [Update(date=dt.date(2025, 7, 10), status="cancelled")],
        }
    )
    assert classify(cancelled, dt.date(2025, 7, 9)).klass == "overdue"
    assert classify(cancelled, dt.date(2025, 7, 10)).klass == "cancelled"


def test_recurring_overdue_names_the_missed_period(report):
    by_id = {s.task.id: s for s in report.states}
    assert by_id["NEW/quarterly"].missed_period == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert by_id["NEW/continuous"].recurrence == "continuous"


def test_overdue_sorted_by_days_then_id(report):
    assert [s.task.id for s in report.overdue] == [
        "OLD/annual-missed",
        "NEW/halfyear",
        "NEW/in-progress",
        "NEW/overdue",
        "NEW/quarterly",
        "NEW/yesterday",
    ]


def test_json_contract(in_fixtures, capsys):
    code, out, _ = invoke(
        capsys, "status", "--data", "status", "--as-of", "2025-07-15", "--format", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["as_of"] == "2025-07-15"
    assert payload["within_days"] == 30
    counts = payload["counts"]
    assert counts["total"] == 19
    assert counts["done"] == 2
    assert counts["overdue"] == 6
    assert counts["upcoming"] == 3 == counts["due_soon"]
    for key in ("done_on_time", "done_late", "on_track", "no_deadline", "cancelled"):
        assert key in counts
    assert [t["id"] for t in payload["upcoming"]] == ["NEW/before", "NEW/today", "NEW/window-end"]
    first = payload["overdue"][0]
    assert {"id", "title", "lead", "due", "status", "class", "days_overdue"} <= set(first)
    assert payload["upcoming"][0]["days_left"] == 0


def test_within_changes_the_window(in_fixtures, capsys):
    _, out, _ = invoke(
        capsys, "status", "--data", "status", "--as-of", "2025-07-15", "--within", "0", "-f", "json"
    )
    assert [t["id"] for t in json.loads(out)["upcoming"]] == ["NEW/before", "NEW/today"]


def test_lead_rolls_up_units_and_merged_ministries(in_fixtures, capsys):
    _, out, _ = invoke(
        capsys,
        "list",
        "tasks",
        "--data",
        "status",
        "--as-of",
        "2025-07-15",
        "--lead",
        "BTC",
        "-f",
        "json",
    )
    ids = {t["id"] for t in json.loads(out)}
    assert "NEW/yesterday" in ids  # Bộ Kế hoạch và Đầu tư -> Bộ Tài chính
    assert "NEW/overdue" in ids  # Cục Thuế belongs to Bộ Tài chính
    assert not any(i.startswith("OLD/") for i in ids)


def test_decision_includes_plans_that_implement_it(in_fixtures, capsys):
    _, out, _ = invoke(
        capsys, "list", "tasks", "--data", "status", "--decision", "OLD", "-f", "json"
    )
    assert len(json.loads(out)) == 19  # NEW implements OLD
    _, out, _ = invoke(
        capsys, "list", "tasks", "--data", "status", "--decision", "NEW", "-f", "json"
    )
    assert len(json.loads(out)) == 17


def test_kpis_off_track_and_rank_targets(in_fixtures, capsys):
    _, out, _ = invoke(capsys, "status", "--data", "status", "--as-of", "2025-07-15", "-f", "json")
    report = json.loads(out)
    # 55th in the world against "≤ 50 by 2030", measured once in 2025 with an undated
    # baseline: no line to judge its pace on, and 2030 is ahead, so it is not off track.
    assert report["kpis_off_track"] == []
    _, out, _ = invoke(
        capsys, "list", "kpis", "--data", "status", "--as-of", "2025-07-15", "-f", "json"
    )
    rank = next(k for k in json.loads(out) if k["id"] == "NEW/rank")
    assert rank["progress"] == pytest.approx(0.5)  # 60 -> 55 of 60 -> 50
    assert (rank["meets"], rank["pace"]) == (False, "unknown")
    # The share fell from 85 to 70 below its 80 target: behind its own trajectory.
    _, out, _ = invoke(capsys, "status", "--data", "status", "--as-of", "2025-09-01", "-f", "json")
    assert {k["id"] for k in json.loads(out)["kpis_off_track"]} == {"NEW/share"}


def test_filings_next_date_and_late(in_fixtures, capsys):
    _, out, _ = invoke(capsys, "status", "--data", "status", "--as-of", "2025-07-15", "-f", "json")
    filings = {f["frequency"]: f for f in json.loads(out)["filings"]}
    assert filings["monthly"]["next_due"] == "2025-08-05"
    assert filings["monthly"]["late"] is True  # July's report (due 05/07) not recorded
    assert filings["monthly"]["days_late"] == 10
    assert filings["quarterly"]["next_due"] == "2025-09-15"
    assert filings["quarterly"]["late"] is False  # filed 12/06 for the 15/06 deadline


def test_table_output_is_vietnamese_and_fits_100_columns(in_fixtures, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = invoke(capsys, "status", "--data", "status", "--as-of", "2025-07-15")
    assert code == 0
    assert "Nhiệm vụ quá hạn (6)" in out
    assert "Sắp đến hạn trong 30 ngày (3)" in out
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_invalid_files_are_listed_and_the_rest_reported(in_fixtures, capsys):
    code, out, _ = invoke(
        capsys, "status", "--data", "broken", "--as-of", "2025-07-15", "-f", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert "broken/tasks/DEC-A/typo.yaml" in payload["invalid_files"]
    assert payload["counts"]["total"] > 0


def test_status_is_a_pure_function_of_data_and_date():
    data = load([FIXTURES / "status"])
    first = build_status(data, AS_OF, 30)
    second = build_status(data, AS_OF, 30)
    assert [(s.task.id, s.klass) for s in first.states] == [
        (s.task.id, s.klass) for s in second.states
    ]


def test_show_picks_a_kpi_that_shares_a_task_id(tmp_path, capsys, monkeypatch):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", root)
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(capsys, "show", "DEC-A/1", "-f", "json")
    assert code == 0 and json.loads(out)["kind"] == "task"
    assert "--kind kpi" in err
    code, out, _ = invoke(capsys, "show", "DEC-A/1", "--kind", "kpi", "-f", "json")
    assert json.loads(out)["kind"] == "kpi"
    code, _, err = invoke(capsys, "show", "DEC-A/9")
    assert code == 1 and "không có nhiệm vụ, chỉ tiêu hoặc văn bản nào" in err


# --- interface language ---------------------------------------------------------------


def test_labels_are_rendered_when_used_not_when_imported():
    from nq57.analysis.labels import class_label, kpi_label
    from nq57.i18n import language

    assert class_label("overdue") == "Quá hạn" and kpi_label("met") == "Đạt"
    with language("en"):
        assert class_label("overdue") == "Overdue" and kpi_label("met") == "Met"
    assert class_label("done_late") == "Hoàn thành quá hạn"


def test_table_output_in_english(in_fixtures, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")  # tables fit the terminal: fix its width
    code, out, _ = invoke(
        capsys, "--lang", "en", "status", "--data", "status", "--as-of", AS_OF_TEXT
    )
    assert code == 0
    assert "Status on 15/07/2025: 19 tasks · 6 overdue · 3 due within 30 days" in out
    assert "Overdue tasks (6)" in out and "Due within 30 days (3)" in out
    assert "Task id" in out and "Days late" in out and "By lead agency" in out
    assert "not filed (05/07/2025)" in out
    for vietnamese in ("Nhiệm vụ quá hạn", "Sắp đến hạn", "Theo đơn vị", "Mã nhiệm vụ", "hằng"):
        assert vietnamese not in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_list_and_show_in_english(in_fixtures, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    args = ("--data", "status", "--as-of", AS_OF_TEXT)
    _, out, _ = invoke(capsys, "show", "NEW/quarterly", *args)
    assert "Hạn tính được: 30/06/2025 (hằng quý) · Tình trạng: Quá hạn (15 ngày)" in out
    assert "Chuỗi cấp trên: NEW → OLD" in out
    _, out, _ = invoke(capsys, "--lang", "en", "show", "NEW/quarterly", *args)
    assert "Computed due date: 30/06/2025 (quarterly) · Status: Overdue (15 days)" in out
    assert "Parent chain: NEW → OLD" in out and "Updates:" in out
    assert "deadline" in out  # field names are YAML keys: not translated
    _, out, _ = invoke(capsys, "--lang", "en", "show", "NEW/today", *args)
    assert "Status: Due soon, 0 days left" in out
    _, out, _ = invoke(capsys, "--lang", "en", "list", "tasks", *args)
    assert "19 tasks" in out and "Status" in out and "Ongoing / no deadline" in out
    _, out, _ = invoke(capsys, "--lang", "en", "list", "kpis", *args)
    assert "2 KPIs" in out and "Cannot be assessed" in out and "Met" in out  # 2030: no verdict yet


@pytest.mark.parametrize(
    "command",
    [
        ("status", "-f", "json"),
        ("list", "tasks", "-f", "json"),
        ("list", "kpis", "-f", "json"),
        ("list", "tasks", "-f", "csv"),
        ("status", "-f", "csv"),
        ("show", "NEW/quarterly", "-f", "json"),
    ],
)
def test_machine_formats_are_the_same_in_both_languages(in_fixtures, capsys, command):
    args = (*command, "--data", "status", "--as-of", AS_OF_TEXT)
    code_vi, vietnamese, _ = invoke(capsys, *args)
    code_en, english, _ = invoke(capsys, "--lang", "en", *args)
    assert code_vi == code_en == 0
    assert english == vietnamese  # keys and codes (class: "overdue") are not translated
    if "json" in command:
        assert '"class": "overdue"' in english or '"meets"' in english
