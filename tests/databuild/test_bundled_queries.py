"""data/queries/ holds the saved queries `nq57 init` ships, unchanged, so the README's
`nq57 query --saved viec-cua-co-quan` works on the bundled data (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

from nq57.cli.app import run

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "queries"
SHIPPED = ROOT / "src" / "nq57" / "defaults" / "init" / "queries"


def test_the_bundled_queries_are_the_ones_nq57_init_ships():
    shipped = {p.name: p.read_bytes() for p in SHIPPED.glob("*.sql")}
    bundled = {p.name: p.read_bytes() for p in BUNDLED.glob("*.sql")}
    assert len(shipped) == 3
    assert bundled == shipped


def test_the_readme_saved_query_runs_on_the_bundled_data(capsys):
    data = str(ROOT / "data")
    args = ["query", "--data", data, "--as-of", "2025-09-30", "--format", "json"]
    assert run([*args, "--saved", "viec-cua-co-quan", "--param", "lead=Bộ Tài chính"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["id"] for row in rows)
    assert run(["query", "--data", data, "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in ("viec-cua-co-quan", "qua-han-theo-co-quan"))
