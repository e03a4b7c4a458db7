"""Smoke run of scripts/national.py on a tiny simulation (not timed: it checks that the
national folder is laid out as docs/national.md says and that the query runs over it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_national_simulation_runs_end_to_end(tmp_path):
    markdown = tmp_path / "national.md"
    cmd = [sys.executable, str(SCRIPTS / "national.py"), "--tasks", "200", "--orgs", "2"]
    cmd += ["--months", "2", "--repeat", "1", "--workdir", str(tmp_path / "work")]
    cmd += ["--markdown-out", str(markdown)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    root = tmp_path / "work" / "national"
    folders = sorted(p.relative_to(root).as_posix() for p in root.glob("org=*/as_of=*"))
    assert folders == [
        "org=org01/as_of=2025-08-31",
        "org=org01/as_of=2025-09-30",
        "org=org02/as_of=2025-08-31",
        "org=org02/as_of=2025-09-30",
    ]
    assert sorted(p.name for p in (root / folders[0]).iterdir()) == sorted(
        f"{v}.parquet"
        for v in ("tasks", "updates", "kpis", "measurements", "decisions", "agencies", "filings")
    )
    pattern = f"{root}/**/tasks.parquet"
    sql = f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning=true)"
    assert duckdb.connect().execute(sql).fetchall() == [(800,)]
    text = markdown.read_text(encoding="utf-8")
    assert "national query over 2 × 2 snapshots (800 task rows)" in text
