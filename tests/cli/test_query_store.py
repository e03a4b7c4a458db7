"""`nq57 query` through its stored tables (nq57.render.sqlstore): a new --as-of date on
unchanged data loads nothing, and gives the bytes of `--no-cache` for every query,
date, option and language; a stale or damaged store is ignored and written again."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from nq57.check import snapshot
from nq57.cli import query as query_cli
from nq57.io import resultcache
from nq57.render import sqlstore

from conftest import invoke

QUERIES = Path(sqlstore.__file__).parents[1] / "defaults" / "init" / "queries"
DATES = ("2024-12-31", "2025-07-15", "2025-09-30", "2026-03-01")
SQL = (
    "SELECT id, due, class, days_overdue, days_left, status, completed, progress, "
    "progress_source, stale, last_update, path FROM tasks ORDER BY id"
)
OTHERS = (
    "SELECT * FROM updates",
    "SELECT * FROM kpis",
    "SELECT * FROM measurements",
    "SELECT * FROM decisions",
    "SELECT * FROM agencies",
    "SELECT * FROM filings",
)


@pytest.fixture
def workspace(cache_workspace, monkeypatch):
    root = cache_workspace(snapshot)
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 0)  # the copies are brand new
    monkeypatch.setattr(sqlstore, "RACY_SECONDS", 0)
    shutil.copytree(QUERIES, root / "status" / "queries")
    return root


def _stores(root: Path) -> list[Path]:
    return sorted((root / "cache").glob("tables-*.duckdb"))


def _no_load(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("loaded the data")

    monkeypatch.setattr(query_cli, "load_data", refuse)


def _both(capsys, *args) -> tuple:
    """(output through the store, output of --no-cache)."""
    return invoke(capsys, *args), invoke(capsys, *args, "--no-cache")


def test_new_dates_load_nothing_and_equal_no_cache(workspace, capsys, monkeypatch):
    first = invoke(capsys, "query", "-d", "status", "--as-of", "2025-01-01", "-f", "json", SQL)
    assert first[0] == 0 and len(_stores(workspace)) == 1
    uncached = {}
    for day in DATES:
        for fmt in ("json", "csv", "table"):
            for sql in (SQL, *OTHERS):
                args = ("query", "-d", "status", "--as-of", day, "-f", fmt, sql)
                uncached[args] = invoke(capsys, *args, "--no-cache")
    _no_load(monkeypatch)  # from here on every answer comes from the store
    for args, expected in uncached.items():
        assert invoke(capsys, *args) == expected, args


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.sql")))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_saved_queries(workspace, capsys, name, lang):
    for day in DATES:
        for fmt in ("json", "table"):
            args = ("--lang", lang, "query", "-d", "status", "--saved", name, "--as-of", day)
            args += ("-f", fmt, "--within", "45")
            if name == "viec-cua-co-quan":
                args += ("-p", "lead=Bộ Tài chính")
            stored, uncached = _both(capsys, *args)
            assert stored == uncached
            assert stored[0] == 0


def test_no_cache_neither_reads_nor_writes_it(workspace, capsys):
    args = ("query", "-d", "status", "--as-of", "2025-07-15", "-f", "csv", SQL)
    invoke(capsys, *args, "--no-cache")
    assert _stores(workspace) == []
    invoke(capsys, *args)
    [store] = _stores(workspace)
    con = duckdb.connect(str(store))
    con.execute("UPDATE tasks SET path = 'FORGED'")  # keeps the key: the store is believed
    con.close()
    other = ("query", "-d", "status", "--as-of", "2025-07-16", "-f", "csv", SQL)
    assert "FORGED" in invoke(capsys, *other)[1]
    assert "FORGED" not in invoke(capsys, *other, "--no-cache")[1]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "foreign"])
def test_a_damaged_store_is_ignored_and_replaced(workspace, capsys, monkeypatch, damage):
    args = ("query", "-d", "status", "-f", "json", SQL)
    invoke(capsys, *args, "--as-of", "2025-01-01")
    [store] = _stores(workspace)
    data = store.read_bytes()
    if damage == "truncated":
        store.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        for offset in range(20_000, len(data), 4096):
            data = data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]
        store.write_bytes(data)
    elif damage == "garbage":
        store.write_bytes(b"not a database" * 100)
    elif damage == "empty":
        store.write_bytes(b"")
    else:  # a valid DuckDB file of something else
        store.unlink()
        con = duckdb.connect(str(store))
        con.execute("CREATE TABLE nq57_store AS SELECT 'x' AS key, 'y'::BLOB AS dated")
        con.close()
    day = ("--as-of", "2025-08-01")
    assert invoke(capsys, *args, *day) == invoke(capsys, *args, *day, "--no-cache")
    assert store.read_bytes() != data or damage == "flipped"
    again = ("--as-of", "2025-08-02")
    uncached = invoke(capsys, *args, *again, "--no-cache")
    _no_load(monkeypatch)  # replaced: the next date is answered from it
    assert invoke(capsys, *args, *again) == uncached


def test_a_changed_file_gives_the_new_tables(workspace, capsys):
    args = ("query", "-d", "status", "--as-of", "2025-07-15", "-f", "json", SQL)
    before = invoke(capsys, *args)
    path = workspace / "status" / "tasks" / "NEW" / "overdue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Tháng 6/2025", "Tháng 5/2025"), "utf-8"
    )
    other = ("query", "-d", "status", "--as-of", "2025-07-16", "-f", "json", SQL)
    after = invoke(capsys, *other)
    assert after == invoke(capsys, *other, "--no-cache")
    assert after != before


def test_files_left_out_are_said_as_before(workspace, capsys):
    args = ("query", "-d", "broken", "--as-of", "2025-07-15", "-f", "json", SQL)
    invoke(capsys, *args)  # writes the store
    for day in ("2025-07-20", "2025-09-01"):
        moved = (*args[:3], "--as-of", day, *args[5:])
        stored, uncached = _both(capsys, *moved)
        assert stored == uncached
        assert stored[2]  # the warning on stderr
