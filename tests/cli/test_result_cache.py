"""The result cache: the same status/query command on unchanged data gives the stored
bytes; anything that could change the output gives the freshly computed bytes."""

from __future__ import annotations

import os
import shutil

import pytest

from nq57.check import snapshot
from nq57.cli import query as query_cli
from nq57.cli import status as status_cli
from nq57.io import resultcache

from conftest import invoke

STATUS = ("status", "--data", "status", "--as-of", "2025-07-15", "--format", "json")
QUERY = ("query", "--data", "status", "--as-of", "2025-07-15", "-f", "json")
SQL = "SELECT id, class, due FROM tasks ORDER BY id"


@pytest.fixture
def workspace(cache_workspace, monkeypatch):
    root = cache_workspace(snapshot)
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 0)  # the copies are brand new
    return root


def _entries(root) -> list:
    return sorted((root / "cache").glob("result-*.out"))


def _no_load(monkeypatch):
    """From here on a command that loads the data fails: its output came from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("loaded the data")

    monkeypatch.setattr(status_cli, "load_data", refuse)
    monkeypatch.setattr(query_cli, "load_data", refuse)


def _fresh(capsys, *args) -> tuple[int, str, str]:
    return invoke(capsys, *args, "--no-cache")


@pytest.mark.parametrize("args", [STATUS, (*STATUS[:-1], "csv"), (*QUERY, SQL)])
def test_same_command_again_gives_the_stored_bytes(workspace, capsys, monkeypatch, args):
    fresh = _fresh(capsys, *args)
    assert fresh[0] == 0 and fresh[1]
    assert _entries(workspace) == []  # --no-cache writes nothing
    assert invoke(capsys, *args) == fresh
    assert len(_entries(workspace)) == 1
    _no_load(monkeypatch)
    assert invoke(capsys, *args) == fresh


def test_no_cache_neither_reads_nor_writes_it(workspace, capsys):
    invoke(capsys, *STATUS)
    [entry] = _entries(workspace)
    header, _, body = entry.read_bytes().partition(b"\n")
    fake = body.replace(b'"as_of": "2025-07-15"', b'"as_of": "1999-01-01"')
    parts = header.split()
    entry.write_bytes(b"%s %s %d %d\n" % (parts[0], parts[1], len(fake), zlib_crc(fake)) + fake)
    assert "1999-01-01" in invoke(capsys, *STATUS)[1]  # the forged entry is served...
    assert "1999-01-01" not in _fresh(capsys, *STATUS)[1]  # ...but never with --no-cache


def zlib_crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data)


@pytest.mark.parametrize(
    "change",
    ["same size and mtime", "replaced", "added", "removed", "agencies", "config"],
)
def test_a_changed_file_gives_the_uncached_result(workspace, capsys, change):
    root = workspace / "status"
    before = invoke(capsys, *STATUS)
    path = root / "tasks" / "NEW" / "overdue.yaml"
    if change == "same size and mtime":
        stat = path.stat()
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Tháng 6/2025", "Tháng 5/2025"), encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "replaced":
        other = path.with_name("tmp.txt")
        other.write_text(path.read_text(encoding="utf-8").replace("6/2025", "5/2025"), "utf-8")
        os.replace(other, path)
    elif change == "added":
        shutil.copy(path, path.with_name("copy.yaml"))
    elif change == "removed":
        path.unlink()
    elif change == "agencies":
        (root / "agencies.yaml").write_text("agencies: []\n", encoding="utf-8")
    else:
        (root / "config.yaml").write_text("stale_after_days: 1\n", encoding="utf-8")
    after = invoke(capsys, *STATUS)
    assert after == _fresh(capsys, *STATUS)
    if change != "config":
        assert after != before


@pytest.mark.parametrize(
    "other",
    [
        ("--as-of", "2026-01-01"),
        ("--within", "90"),
        ("--decision", "NEW"),
        ("--format", "csv"),
        ("--lang", "en"),
    ],
)
def test_changed_date_options_or_language_give_the_uncached_result(
    workspace, capsys, monkeypatch, other
):
    first = invoke(capsys, *STATUS)
    assert first == _fresh(capsys, *STATUS)
    args = (*other, *STATUS) if other[0] == "--lang" else (*STATUS, *other)  # the later wins
    expected = _fresh(capsys, *args)
    assert invoke(capsys, *args) == expected  # computed, then stored
    assert len(_entries(workspace)) == 2
    if other[0] in ("--as-of", "--within"):  # a third date or window: from the index
        third = (*STATUS, other[0], "2026-01-02" if other[0] == "--as-of" else "91")
        assert invoke(capsys, *third) == _fresh(capsys, *third)
        assert len(_entries(workspace)) == 2  # an index answer is not stored
    _no_load(monkeypatch)
    assert invoke(capsys, *args) == expected
    assert expected != first or other[0] == "--lang"  # the JSON has no words: same text
    assert invoke(capsys, *STATUS) == first  # both are kept


def test_query_parameters_give_their_own_entries(workspace, capsys):
    sql = "SELECT id FROM tasks WHERE class = $k ORDER BY id"
    one = invoke(capsys, *QUERY, sql, "-p", "k=overdue")
    two = invoke(capsys, *QUERY, sql, "-p", "k=done_late")
    assert one != two
    assert invoke(capsys, *QUERY, sql, "-p", "k=overdue") == one
    assert (
        invoke(capsys, *QUERY, sql, "-p", "k=done_late")
        == two
        == _fresh(capsys, *QUERY, sql, "-p", "k=done_late")
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: b"",
        lambda good: b"garbage",
        lambda good: good[: len(good) // 2],  # truncated
        lambda good: good[:-1],
        lambda good: good + b"x",
        lambda good: good[:-5] + bytes([good[-5] ^ 1]) + good[-4:],  # a flipped bit
        lambda good: good.replace(b"nq57-result-2", b"nq57-result-0", 1),
    ],
)
def test_a_damaged_entry_gives_the_uncached_result_and_is_replaced(
    workspace, capsys, monkeypatch, damage
):
    fresh = _fresh(capsys, *STATUS)
    invoke(capsys, *STATUS)
    [entry] = _entries(workspace)
    invoke(capsys, *STATUS, "--as-of", "2025-08-31")  # data seen before: indexed
    [index] = (workspace / "cache").glob("index-*.out")
    good, good_index = entry.read_bytes(), index.read_bytes()
    index.unlink()  # else the status index would answer
    entry.write_bytes(damage(good))
    assert invoke(capsys, *STATUS) == fresh
    assert entry.read_bytes() == good  # written again
    index.write_bytes(damage(good_index))  # a damaged index: computed from the models
    later = (*STATUS, "--as-of", "2025-09-30")
    assert invoke(capsys, *later) == _fresh(capsys, *later)
    last = (*STATUS, "--as-of", "2025-10-31")
    expected = _fresh(capsys, *last)
    _no_load(monkeypatch)  # written again: it answers the next date
    assert invoke(capsys, *last) == expected


def test_table_output_is_never_stored(workspace, capsys):
    invoke(capsys, "status", "--data", "status", "--as-of", "2025-07-15")
    invoke(capsys, "query", "--data", "status", SQL)
    assert _entries(workspace) == []


def test_recently_changed_files_prevent_the_save(workspace, capsys, monkeypatch):
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 3600)
    assert invoke(capsys, *STATUS)[0] == 0
    assert _entries(workspace) == []


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id, random() AS r FROM tasks",
        "SELECT current_date AS d",
        "SELECT NOW() AS d",
        "SELECT uuid() AS u",
    ],
)
def test_queries_of_the_clock_or_of_chance_are_not_stored(workspace, capsys, sql):
    assert invoke(capsys, *QUERY, sql)[0] == 0
    assert _entries(workspace) == []


def test_output_that_came_with_a_warning_is_not_stored(workspace, capsys):
    args = ("query", "--data", "broken", "-f", "json", "SELECT count(*) AS n FROM tasks")
    code, out, err = invoke(capsys, *args)
    assert code == 0 and err  # files left out
    assert _entries(workspace) == []
    assert invoke(capsys, *args) == (code, out, err)


def test_an_error_is_not_stored(workspace, capsys):
    args = (*QUERY, "SELECT $missing AS x")
    first = invoke(capsys, *args)
    assert first[0] != 0
    assert _entries(workspace) == []
    assert invoke(capsys, *args) == first


def test_at_most_keep_entries_are_kept(workspace, capsys, monkeypatch):
    monkeypatch.setattr(resultcache, "KEEP", 2)
    for within in ("1", "2", "3", "4"):  # CSV: JSON would come from the status index
        invoke(capsys, *STATUS, "--within", within, "--format", "csv")
    assert len(_entries(workspace)) == 2


def test_stable_sql():
    assert resultcache.stable_sql("SELECT class, count(*) FROM tasks WHERE class='done_on_time'")
    assert not resultcache.stable_sql("select Current_Timestamp")
    assert not resultcache.stable_sql("SELECT setseed(0.5)")


def test_a_miss_lists_the_files_once_and_the_snapshot_still_serves(workspace, capsys, monkeypatch):
    invoke(capsys, *STATUS)  # fills the snapshot
    calls = []
    listing = resultcache.data_listing

    def counted(roots):
        calls.append(roots)
        return listing(roots)

    monkeypatch.setattr(resultcache, "data_listing", counted)
    restored = []
    load = snapshot.Snapshot.restore

    def spy(self):
        data = load(self)
        restored.append(data is not None)
        return data

    monkeypatch.setattr(snapshot.Snapshot, "restore", spy)
    # a new date: the result cache misses (CSV: JSON would be answered by the status index)
    args = (*STATUS, "--as-of", "2026-02-01", "--format", "csv")
    assert invoke(capsys, *args) == _fresh(capsys, *args)
    assert len(calls) == 1  # by the result cache, for the snapshot too (--no-cache: none)
    assert restored == [True]
    assert resultcache._LISTED == []


def test_json_of_a_new_date_lists_the_files_once(workspace, capsys, monkeypatch):
    invoke(capsys, *STATUS)  # fills the snapshot
    invoke(capsys, *STATUS, "--as-of", "2026-01-15")  # data seen before: the status index
    calls = []
    listing = resultcache.data_listing
    counted = lambda roots: calls.append(1) or listing(roots)  # noqa: E731
    monkeypatch.setattr(resultcache, "data_listing", counted)
    restored = []
    monkeypatch.setattr(snapshot.Snapshot, "restore", lambda self: restored.append(1))
    args = (*STATUS, "--as-of", "2026-02-01")
    assert invoke(capsys, *args) == _fresh(capsys, *args)
    assert len(calls) == 1  # for the result cache and the index (--no-cache: none)
    assert restored == []  # no model was loaded
    assert resultcache._LISTED == []


def test_write_stdout_writes_what_echo_would(capsys):
    from nq57.cli.output import write_stdout

    for text in ("tiếng Việt\n", "a\x1b[31mred\x1b[0m\n", ""):
        write_stdout(text.encode())
        out = capsys.readouterr().out
        import typer

        typer.echo(text, nl=False)
        assert out == capsys.readouterr().out
