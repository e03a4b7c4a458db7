"""`nq57 show`: one record, readable; only the formats it can print."""

from __future__ import annotations

import json

from conftest import FIXTURES, invoke

DATA = str(FIXTURES / "status")


def test_reporting_obligations_read_as_sentences(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = invoke(capsys, "show", "NEW", "--data", DATA)
    assert code == 0
    assert "{'" not in out and "'frequency'" not in out  # no Python dicts
    assert "hằng tháng, trước ngày 5 (báo cáo tháng trước); gửi Vụ Ngân sách nhà nước" in out
    assert "đã nộp: 04/06/2025" in out
    code, out, _ = invoke(capsys, "--lang", "en", "show", "NEW", "--data", DATA)
    assert "monthly, before day 5 (reporting on the previous month)" in out


def test_show_prints_table_or_json_and_refuses_csv(capsys):
    code, out, _ = invoke(capsys, "show", "NEW", "--data", DATA, "--format", "json")
    assert code == 0 and json.loads(out)["fields"]["reporting"][0]["frequency"] == "monthly"
    code, out, err = invoke(capsys, "show", "NEW", "--data", DATA, "--format", "csv")
    assert code == 2 and out == "" and "csv" in err
