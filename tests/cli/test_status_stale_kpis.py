"""The status table says how many KPIs have not reported in the period, and how to list
them (issue 12): the JSON had `stale_kpis`, the table never mentioned them."""

from __future__ import annotations

import json

from conftest import invoke


def test_the_table_counts_stale_kpis_and_says_how_to_list_them(in_fixtures, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    args = ("status", "--data", "cycle", "--as-of", "2025-09-30")
    code, out, _ = invoke(capsys, *args, "--format", "json")
    assert code == 0
    stale = len(json.loads(out)["stale_kpis"])
    assert stale > 0
    code, out, _ = invoke(capsys, "--lang", "en", *args)
    assert code == 0
    assert f"KPIs with no measurement in the reporting period: {stale} — list them:" in out
    assert "`nq57 status --format json` (stale_kpis)" in out
    code, out, _ = invoke(capsys, *args)
    assert f"Chỉ tiêu chưa có số đo trong kỳ báo cáo: {stale}" in out


def test_the_line_appears_only_when_some_kpi_is_stale(in_fixtures, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    for as_of in ("2025-09-30", "2020-01-01"):
        args = ("--lang", "en", "status", "--data", "cycle", "--as-of", as_of)
        _, out, _ = invoke(capsys, *args, "-f", "json")
        stale = bool(json.loads(out)["stale_kpis"])
        _, out, _ = invoke(capsys, *args)
        assert ("KPIs with no measurement" in out) == stale
