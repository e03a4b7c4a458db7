"""`nq57 validate`: every problem reported once, at its line, with the right exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import check_golden, invoke


def test_valid_data_passes(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "validate", "--data", "minimal")
    assert code == 0
    assert "Không phát hiện lỗi hay cảnh báo nào." in out


def test_broken_data_reports_every_problem_golden(in_fixtures, capsys):
    code, out, err = invoke(capsys, "validate", "--data", "broken")
    assert code == 1
    assert "Traceback" not in out + err
    check_golden("validate_broken.txt", out)


def test_each_kind_of_error_has_its_code_and_line(in_fixtures, capsys):
    _, out, _ = invoke(capsys, "validate", "--data", "broken")
    expected = [
        "broken/tasks/DEC-A/typo.yaml:7:1: E110 trường 'deadlne' không có trong định dạng dữ liệu"
        " — có phải là 'deadline'?",
        "broken/tasks/DEC-A/types.yaml:4:8: E112 title: cần văn bản, nhưng gặp số 2025",
        "broken/tasks/DEC-A/types.yaml:8:9: E113 status:",
        "broken/tasks/DEC-A/dates.yaml:9:12: E114 completed: '2025-02-30' không phải là ngày",
        "broken/tasks/DEC-A/dates.yaml:12:15: E115 updates[0].progress",
        "broken/tasks/DEC-A/dupkey.yaml:6:1: E102 khoá 'title' bị lặp",
        "broken/tasks/DEC-A/tabs.yaml:6:1: E101",
        "broken/tasks/DEC-A/conflict.yaml:4:1: E103",
        "broken/tasks/DEC-A/latin1.yaml:4:11: E104",
        "broken/tasks/DEC-A/list.yaml:1:1: E105",
        "broken/tasks/DEC-A/empty.yaml:1:1: E105",
        "broken/tasks/DEC-A/alias.yaml:6:10: E106",
        "broken/tasks/DEC-A/wrongid.yaml:1:5: E120",
        "broken/tasks/DEC-A/dangling.yaml:8:9: E122 parent: không có nhiệm vụ 'DEC-A/999'",
        "broken/tasks/DEC-A/dangling.yaml:9:8: E122 kpis: không có chỉ tiêu 'DEC-A/nope'",
        "broken/tasks/DEC-A/cycle-a.yaml:8:9: E123",
        "broken/tasks/DEC-A/notdone.yaml:8:9: E124",
        "broken/kpis/DEC-A/bad.yaml:9:12: E112 measurements[0].value: cần một số,",
        "broken/decisions/DEC-C.yaml:3:7: E113 type:",
        "broken/decisions/DEC-C.yaml:5:9: E114 issued:",
        "broken/decisions/DEC-D.yaml:7:14: E122 supersedes: không có văn bản 'DEC-Z'",
        "broken/tasks/DEC-A/warn.yaml:5:8: W200 cơ quan 'Bộ Tài chánh' chưa có trong danh mục"
        " — có phải là 'Bộ Tài chính'?",
        "broken/tasks/DEC-A/warn.yaml:6:11: W201",
        "broken/tasks/DEC-A/warn.yaml:4:8: W205",
    ]
    for line in expected:
        assert any(o.startswith(line) for o in out.splitlines()), line


def test_broken_data_in_english_golden(in_fixtures, capsys):
    code, out, err = invoke(capsys, "--lang", "en", "validate", "--data", "broken")
    assert code == 1
    assert "Traceback" not in out + err
    check_golden("validate_broken.en.txt", out)


def test_english_outputs_follow_the_language(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "validate", "--data", "minimal", "--lang", "en")
    assert code == 0
    assert "No problems found." in out
    _, out, _ = invoke(capsys, "validate", "--data", "broken", "--format", "json", "--lang", "en")
    payload = json.loads(out)
    assert set(payload) == {"errors", "warnings", "files_checked"}
    typo = [e for e in payload["errors"] if e["code"] == "E110"][0]
    assert typo["message"] == "unknown field 'deadlne' — did you mean 'deadline'?"
    _, out, _ = invoke(capsys, "validate", "--data", "broken", "--format", "github", "--lang", "en")
    assert "title=E110::unknown field 'deadlne'" in out
    _, out, _ = invoke(capsys, "--lang", "en", "validate", "--data", "minimal", "--help")
    assert "Treat warnings as errors" in out


def test_diagnostic_pickled_then_shown_in_another_language():
    import pickle

    from nq57.diagnostics import Diagnostic
    from nq57.i18n import M, language

    d = Diagnostic("x.yaml", 3, 1, "E122", M("diag.no_kpi", target="D/1"))
    with language("vi"):
        stored = pickle.dumps([d])
        assert d.format() == "x.yaml:3:1: E122 kpis: không có chỉ tiêu 'D/1'"
    (again,) = pickle.loads(stored)
    assert again == d and hash(again) == hash(d)
    with language("en"):
        assert again.format() == "x.yaml:3:1: E122 kpis: no KPI 'D/1'"
        assert again.as_dict()["message"] == "kpis: no KPI 'D/1'"


def test_sorting_is_the_same_in_both_languages(in_fixtures):
    from nq57.check.pipeline import load
    from nq57.i18n import language

    orders = []
    for lang in ("vi", "en"):
        with language(lang):
            data = load([Path("broken")], use_cache=False)
            assert data.diagnostics == sorted(data.diagnostics)
            orders.append([(d.path, d.line, d.column, d.code) for d in data.diagnostics])
    assert orders[0] == orders[1]


@pytest.mark.parametrize("snapshot", [False, True], ids=["parse-cache", "snapshot"])
def test_cache_written_in_vietnamese_serves_english(
    copy_fixture, monkeypatch, tmp_path, capsys, snapshot
):
    import nq57.check.snapshot
    import nq57.io.cache

    monkeypatch.setenv("NQ57_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(nq57.io.cache, "RACY_SECONDS", 0)  # the copies were written just now
    monkeypatch.setattr(nq57.check.snapshot, "RACY_SECONDS", 0 if snapshot else 10**6)
    root = copy_fixture("broken")
    monkeypatch.chdir(root.parent)
    code, vi_out, _ = invoke(capsys, "validate", "--data", "broken")
    assert code == 1 and "không có chỉ tiêu 'DEC-A/nope'" in vi_out
    written = {p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.pickle")}
    assert ("snapshot" in written) == snapshot  # the vi run wrote the cache (or snapshot)

    import nq57.check.pipeline

    def no_parse(source):
        raise AssertionError(f"{source.path} parsed again: the cache was not used")

    monkeypatch.setattr(nq57.check.pipeline, "read", no_parse)
    code, en_out, _ = invoke(capsys, "validate", "--data", "broken", "--lang", "en")
    assert code == 1
    expected = (Path(__file__).parents[1] / "golden" / "validate_broken.en.txt").read_text("utf-8")
    assert en_out == expected


def test_warnings_exit_zero_unless_strict(in_fixtures, capsys):
    code, _, _ = invoke(capsys, "validate", "--data", "broken", "broken/tasks/DEC-A/warn.yaml")
    assert code == 0
    code, _, _ = invoke(
        capsys, "validate", "--strict", "--data", "broken", "broken/tasks/DEC-A/warn.yaml"
    )
    assert code == 1


def test_paths_narrow_the_report_but_references_resolve(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "validate", "--data", "broken", "broken/tasks/DEC-A/cycle-b.yaml")
    assert code == 0  # the cycle is reported on cycle-a, the smallest id
    assert "typo.yaml" not in out


def test_json_format_is_the_contract(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "validate", "--data", "broken", "--format", "json")
    payload = json.loads(out)
    assert code == 1
    assert set(payload) == {"errors", "warnings", "files_checked"}
    first = payload["errors"][0]
    assert {"path", "line", "column", "code", "message"} <= set(first)
    assert all(e["code"].startswith("E") for e in payload["errors"])
    assert all(w["code"].startswith("W") for w in payload["warnings"])


def test_github_annotations(in_fixtures, capsys):
    _, out, _ = invoke(capsys, "validate", "--data", "broken", "--format", "github")
    assert (
        "::error file=broken/tasks/DEC-A/typo.yaml,line=7,col=1,title=E110::trường 'deadlne'" in out
    )


def test_missing_data_folder_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(capsys, "validate")
    assert code == 2
    assert "không tìm thấy thư mục dữ liệu" in err
    code, _, err = invoke(capsys, "validate", "--data", "nowhere")
    assert code == 2


def test_default_data_folder_is_found_in_a_parent(copy_fixture, monkeypatch, capsys):
    root = copy_fixture("minimal").parent
    (root / "minimal").rename(root / "data")
    sub = root / "data" / "tasks"
    monkeypatch.chdir(sub)
    code, out, _ = invoke(capsys, "validate")
    assert code == 0, out


def test_a_bug_exits_3_with_a_report_file(in_fixtures, capsys, monkeypatch):
    import nq57.cli.validate as module

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(module, "load_data", boom)
    code, out, err = invoke(capsys, "validate", "--data", "minimal")
    assert code == 3
    assert "Đây là lỗi của nq57" in err
    assert "Traceback" not in err
    report = err.split("đã ghi vào ")[1].split("\n")[0]
    assert "simulated bug" in Path(report).read_text(encoding="utf-8")


def test_usage_error_exits_2(capsys):
    code, _, _ = invoke(capsys, "validate", "--format", "xml")
    assert code == 2


def test_validation_does_not_depend_on_the_clock(in_fixtures, capsys, monkeypatch):
    import datetime as dt

    # --no-cache: a snapshot of the first run would answer the second without checking.
    _, before, _ = invoke(capsys, "validate", "--data", "broken", "--no-cache")

    class FarFuture(dt.date):
        @classmethod
        def today(cls):
            return cls(2099, 1, 1)

    monkeypatch.setattr(dt, "date", FarFuture)
    _, after, _ = invoke(capsys, "validate", "--data", "broken", "--no-cache")
    assert before == after
