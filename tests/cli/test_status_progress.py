"""`status`, `list`, `show` and `export` carry the computed progress and who has not reported."""

from __future__ import annotations

import csv
import io
import json

from conftest import FIXTURES, invoke

CYCLE = str(FIXTURES / "cycle")


def test_status_json_lists_stale_tasks_and_kpis(capsys):
    code, out, err = invoke(
        capsys, "status", "--data", CYCLE, "--as-of", "2025-09-15", "--format", "json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert [r["id"] for r in report["stale"]] == ["KH-1/1.2", "KH-1/2", "KH-1/4"]
    assert report["counts"]["stale"] == 3
    assert [k["id"] for k in report["stale_kpis"]] == ["KH-1/1", "KH-1/2"]
    agencies = {g["name"]: g for g in report["by_agency"]}
    cuc = agencies["Cục Tin học và Thống kê tài chính"]
    # Six tasks of which one is cancelled: (70 + 100 + 40 + 0 + 70) / 5 = 56.
    assert (cuc["total"], cuc["stale"], cuc["progress"]) == (6, 2, 56)
    assert agencies["Vụ Ngân sách nhà nước"]["stale"] == 1
    plans = {g["name"]: g["progress"] for g in report["by_plan"]}
    assert plans == {"KH-1": 42, "KH-2": 70}


def test_status_table_has_the_stale_column(capsys):
    code, out, _ = invoke(capsys, "status", "--data", CYCLE, "--as-of", "2025-09-15")
    assert code == 0
    assert "Chưa cập nhật" in out and "3 chưa cập nhật trong kỳ" in out
    assert "56%" in out


def test_list_and_show_json_carry_progress(capsys):
    code, out, _ = invoke(
        capsys, "list", "tasks", "--data", CYCLE, "--as-of", "2025-09-15", "--format", "json"
    )
    assert code == 0
    rows = {r["id"]: (r["progress"], r["progress_source"]) for r in json.loads(out)}
    assert rows["KH-1/1"] == (70, "children")
    assert rows["KH-1/3"] == (None, "none")
    code, out, _ = invoke(
        capsys, "show", "KH-1/1.2", "--data", CYCLE, "--as-of", "2025-09-15", "--format", "json"
    )
    assert code == 0
    computed = json.loads(out)["computed"]
    assert (computed["progress"], computed["progress_source"]) == (40, "reported")


def test_export_csv_has_progress_columns(capsys, tmp_path):
    target = tmp_path / "tasks.csv"
    code, _, err = invoke(
        capsys, "export", "--data", CYCLE, "--as-of", "2025-09-15", "--output", str(target)
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    by_id = {r["id"]: r for r in rows}
    assert (by_id["KH-1/1"]["progress"], by_id["KH-1/1"]["progress_source"]) == ("70", "children")
