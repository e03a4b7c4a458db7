"""Several data repositories read as one (`--data A --data B`)."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, invoke

PROVINCE_TASK = """id: TINH-1/1
decision: TINH-1
ref: '1'
title: Triển khai nền tảng của tỉnh
lead: [Cục Thuế]
output: Hệ thống
deadline: Tháng 12/2025
parent: DEC-A/1
"""

PROVINCE_DECISION = """id: TINH-1
number: 1/KH-UBND
type: ke_hoach
issuer: Bộ Tài chính
issued: 2025-06-01
title: Kế hoạch của tỉnh
implements: [DEC-A]
"""


def _repos(tmp_path):
    ministry = tmp_path / "bo" / "data"
    province = tmp_path / "tinh" / "data"
    shutil.copytree(FIXTURES / "minimal", ministry)
    (province / "decisions").mkdir(parents=True)
    (province / "tasks" / "TINH-1").mkdir(parents=True)
    (province / "kpis").mkdir()
    (province / "decisions" / "TINH-1.yaml").write_text(PROVINCE_DECISION, encoding="utf-8")
    (province / "tasks" / "TINH-1" / "1.yaml").write_text(PROVINCE_TASK, encoding="utf-8")
    return ministry, province


def test_links_resolve_across_repositories(tmp_path, capsys, monkeypatch):
    ministry, province = _repos(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "validate", "--data", "bo/data", "--data", "tinh/data")
    assert code == 0, out
    # alone, the province repository has dangling links
    code, out, _ = invoke(capsys, "validate", "--data", "tinh/data")
    assert code == 1 and "E122" in out
    # --decision follows implements and parent across repositories
    _, out, _ = invoke(
        capsys,
        "list",
        "tasks",
        "--data",
        "bo/data",
        "--data",
        "tinh/data",
        "--decision",
        "DEC-A",
        "-f",
        "json",
    )
    assert "TINH-1/1" in {t["id"] for t in json.loads(out)}


def test_duplicate_ids_across_repositories_name_both_places(tmp_path, capsys, monkeypatch):
    ministry, province = _repos(tmp_path)
    (province / "tasks" / "DEC-A").mkdir()
    shutil.copy(ministry / "tasks" / "DEC-A" / "1.yaml", province / "tasks" / "DEC-A" / "1.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "validate", "--data", "bo/data", "--data", "tinh/data")
    assert code == 1
    line = next(line for line in out.splitlines() if "E121" in line)
    assert line.startswith("tinh/data/tasks/DEC-A/1.yaml")
    assert "bo/data/tasks/DEC-A/1.yaml" in line


def test_include_in_config_reads_other_repositories(tmp_path, capsys, monkeypatch):
    ministry, province = _repos(tmp_path)
    (province / "config.yaml").write_text("include:\n  - ../../bo/data\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "validate", "--data", "tinh/data")
    assert code == 0, out
    (province / "config.yaml").write_text("include:\n  - ../nowhere\n", encoding="utf-8")
    code, _, err = invoke(capsys, "validate", "--data", "tinh/data")
    assert code == 1
    assert "không có thư mục 'tinh/data/../nowhere' được khai báo trong include" in err
    code, _, err = invoke(capsys, "validate", "--data", "tinh/data", "--lang", "en")
    assert code == 1 and "included folder 'tinh/data/../nowhere' does not exist" in err
