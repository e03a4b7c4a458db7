"""Smoke run of the benchmark (scripts/bench.py) and its data generator (scripts/synthetic.py).

Not a timed test: it only checks that the benchmark runs end to end on a tiny data set
(200 tasks, one round) and that the synthetic data is valid, realistic and reproducible.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nq57.cli.app import run

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import synthetic  # noqa: E402

TASKS, DECISIONS, KPIS, SEED = 200, 10, 7, 57


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> dict:
    """One benchmark round at 200 tasks; its JSON report and the folder it generated."""
    work = tmp_path_factory.mktemp("bench")
    report = work / "bench.json"
    markdown = work / "bench.md"
    cmd = [sys.executable, str(SCRIPTS / "bench.py"), "--sizes", str(TASKS), "--repeat", "1"]
    cmd += ["--decisions", str(DECISIONS), "--kpis", str(KPIS), "--seed", str(SEED)]
    cmd += ["--workdir", str(work), "--markdown-out", str(markdown), "--json-out", str(report)]
    done = subprocess.run(cmd, capture_output=True, text=True)  # no wall-clock limit
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(report.read_text(encoding="utf-8"))
    got["markdown"] = markdown.read_text(encoding="utf-8")
    got["stdout"] = done.stdout
    got["data"] = work / got["results"][0]["data"]
    return got


def test_bench_reports_every_command(bench):
    result = bench["results"][0]
    assert result["tasks"] == TASKS
    assert result["errors"] == 0
    for command in ("floor", "validate", "status_cold", "status_warm", "fmt_check"):
        (only,) = result["runs"][command]
        assert only["rc"] == 0
        assert only["wall"] > 0 and only["peak_mb"] > 0
    table = bench["markdown"]
    assert "| tasks | files | floor s | validate s (× floor)" in table
    assert f"| {TASKS} | " in table
    assert "cold validate ≤ 1.0× floor" in table
    assert "fmt --check ≤ 1.5× floor (200 tasks)" in table
    assert set(bench["startup"]) == {
        "nq57 --version",
        "nq57 --help",
        "nq57 status --data data (warm)",
    }
    assert bench["stdout"].strip() == table.strip()
    assert bench["machine"]["PyYAML / libyaml"]


def test_generated_data_validates(bench, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("NQ57_CACHE_DIR", str(tmp_path / "cache"))
    code = run(["validate", "--data", str(bench["data"]), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == []
    assert code == 0
    codes = {w["code"] for w in report["warnings"]}
    # Names come from the registry and text is NFC: these warnings would be generator bugs.
    assert not codes & {"W200", "W205", "W207", "W208"}


def test_generated_data_is_realistic(bench):
    data: Path = bench["data"]
    tasks = [_load(p) for p in sorted(data.glob("tasks/*/*.yaml"))]
    kpis = [_load(p) for p in sorted(data.glob("kpis/*/*.yaml"))]
    decisions = [_load(p) for p in sorted(data.glob("decisions/*.yaml"))]
    assert (len(tasks), len(kpis), len(decisions)) == (TASKS, KPIS, DECISIONS)
    assert (data / "agencies.yaml").read_bytes() == (
        synthetic.DEFAULT_SOURCE / "agencies.yaml"
    ).read_bytes()
    assert all(60 <= len(t["title"]) <= 600 for t in tasks)
    assert any(t.get("updates") for t in tasks)
    assert any(t.get("status") == "done" and t.get("completed") for t in tasks)
    parents = [t for t in tasks if t.get("parent")]
    assert any(t["parent"].split("/")[0] != t["decision"] for t in parents)  # cross-plan
    assert any(t["parent"].split("/")[0] == t["decision"] for t in parents)  # headings
    assert any(len(d.get("implements", [])) > 1 for d in decisions)
    assert all(d.get("reporting") for d in decisions if d["id"] != "57-NQ-TW-2024")
    assert any(k.get("measurements") for k in kpis)


def test_generated_data_is_canonical(bench, capsys):
    """Written in the house layout, as a repository kept by `nq57 fmt --check` is."""
    assert run(["fmt", "--check", "--data", str(bench["data"])]) == 0, capsys.readouterr()


def test_generator_is_deterministic(bench, tmp_path):
    again = tmp_path / "again"
    synthetic.generate(again, TASKS, DECISIONS, KPIS, SEED)
    first = {p.relative_to(bench["data"]): p.read_bytes() for p in _files(bench["data"])}
    second = {p.relative_to(again): p.read_bytes() for p in _files(again)}
    assert first == second


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml"))


def _load(path: Path) -> dict:
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


def test_the_new_date_benchmark_runs_every_step(tmp_path):
    """scripts/bench_newdate.py: validate, status over new dates, query; no time asserted."""
    report = tmp_path / "newdate.md"
    cmd = [sys.executable, str(SCRIPTS / "bench_newdate.py"), "--tasks", str(TASKS)]
    cmd += ["--decisions", str(DECISIONS), "--dates", "2", "--workdir", str(tmp_path)]
    cmd += ["--markdown-out", str(report)]
    done = subprocess.run(cmd, capture_output=True, text=True)  # no wall-clock limit
    assert done.returncode == 0, done.stderr[-3000:]
    table = report.read_text(encoding="utf-8")
    for step in ("validate (default", "first run (index written)", "from the index", "query"):
        assert step in table
    assert "| status, new dates (from the index) | 2 |" in table
