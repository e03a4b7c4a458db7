"""The status of a new date from the stored index equals the status computed from the
models, byte for byte, over dates, windows, plans and leads (the fast path of
`nq57 status --format json` must never change a result)."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from nq57.analysis.status import build_status
from nq57.analysis.statusday import index_day
from nq57.analysis.statusindex import build_index
from nq57.check import snapshot
from nq57.check.pipeline import load
from nq57.io import resultcache
from nq57.render import status as status_render
from nq57.render import status_day, status_index

from conftest import FIXTURES, invoke

DATA_SETS = ("status", "recurring", "report", "minimal", "edit")


@cache
def data_set(name: str):
    return load([FIXTURES / name], use_cache=False, warnings=False)


def scopes(name: str) -> list[tuple[str | None, str | None]]:
    data = data_set(name)
    leads = sorted({lead for t in data.tasks.values() for lead in t.lead})[:3]
    return (
        [(None, None)]
        + [(d, None) for d in sorted(data.decisions)]
        + [(None, lead) for lead in leads]
    )


def both(name: str, as_of: dt.date, within: int, decision, lead) -> tuple[bytes, bytes | None]:
    data = data_set(name)
    slow = status_render.as_json_bytes(build_status(data, as_of, within, decision, lead))
    stored = status_index.index_bytes(data, decision, lead)
    assert stored is not None
    index = status_day.read_index(stored)  # through its stored form, as a run reads it
    return slow, status_day.as_json_bytes(index, index_day(index, as_of, within))


@given(
    name=st.sampled_from(DATA_SETS),
    as_of=st.dates(dt.date(2023, 1, 1), dt.date(2032, 12, 31)),
    within=st.integers(0, 400),
    pick=st.integers(0, 100),
)
def test_index_gives_the_same_json_as_the_models(name, as_of, within, pick):
    decision, lead = scopes(name)[pick % len(scopes(name))]
    slow, fast = both(name, as_of, within, decision, lead)
    assert fast == slow


@pytest.mark.parametrize("name", DATA_SETS)
@pytest.mark.parametrize("as_of", ["2025-01-01", "2025-07-15", "2025-12-31", "2026-03-31"])
def test_every_scope_on_report_dates(name, as_of):
    for decision, lead in scopes(name):
        slow, fast = both(name, dt.date.fromisoformat(as_of), 30, decision, lead)
        assert fast == slow, (decision, lead)


def test_the_fixtures_exercise_what_the_index_computes():
    """The equality above means something only if the data has every kind of task."""
    day = dt.date(2025, 7, 15)
    classes = set()
    for name in DATA_SETS:
        report = json.loads(both(name, day, 30, None, None)[1])
        classes.update(r["class"] for r in report["overdue"] + report["upcoming"])
        classes.update(k for k, v in report["counts"].items() if v)
    index = build_index(data_set("recurring"))
    assert index is not None and index.recurring  # recurring tasks go through classify_in
    assert {"overdue", "due_soon", "on_track", "done_on_time", "cancelled"} <= classes
    assert any(any(build_index(data_set(n)).children) for n in DATA_SETS)  # roll-ups


def test_a_parent_cycle_has_no_index():
    assert build_index(load([FIXTURES / "broken"], use_cache=False, warnings=False)) is None


def test_a_foreign_or_damaged_index_is_not_read():
    assert status_day.read_index(b"not a pickle") is None
    assert status_day.read_index(b"\x80\x05\x95") is None


def test_a_new_date_is_answered_from_the_index(cache_workspace, capsys, monkeypatch):
    root = cache_workspace(resultcache)
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 0)
    data = root / "status"

    def _status(data: Path, as_of: str, *extra: str) -> str:
        args = ["status", "--data", str(data), "--format", "json", "--as-of", as_of, *extra]
        code, out, err = invoke(capsys, *args)
        assert code == 0, err
        return out

    _status(data, "2025-07-15")  # a first load: computed from the models, no index
    assert not list((root / "cache").rglob("index-*.out"))
    _status(data, "2025-07-31")  # the snapshot's data, unchanged: the index is stored
    assert list((root / "cache").rglob("index-*.out"))
    monkeypatch.setattr(status_render, "as_json_bytes", None)  # the models are not used
    fast = _status(data, "2025-08-20")
    monkeypatch.undo()
    monkeypatch.setenv("NQ57_CACHE_DIR", str(root / "cache"))
    assert fast == _status(data, "2025-08-20", "--no-cache")
    (data / "tasks" / "NEW" / "today.yaml").unlink()  # a changed listing: a new key
    assert _status(data, "2025-09-01") == _status(data, "2025-09-01", "--no-cache")


def table_text(report, width: int, limit: int) -> str:
    console = Console(
        file=io.StringIO(), width=width, color_system=None, highlight=False, force_terminal=False
    )
    status_render.render_table(report, console, limit)
    return console.file.getvalue()


@given(
    name=st.sampled_from(DATA_SETS),
    as_of=st.dates(dt.date(2023, 1, 1), dt.date(2032, 12, 31)),
    within=st.integers(0, 400),
    pick=st.integers(0, 100),
    width=st.sampled_from([60, 80, 100, 140]),
    limit=st.sampled_from([0, 1, 3, 20]),
)
def test_index_gives_the_same_table_as_the_models(name, as_of, within, pick, width, limit):
    decision, lead = scopes(name)[pick % len(scopes(name))]
    data = data_set(name)
    slow = table_text(build_status(data, as_of, within, decision, lead), width, limit)
    stored = status_index.index_bytes(data, decision, lead)
    day = status_day.table_from_index(stored, as_of, within)
    assert table_text(day, width, limit) == slow


def test_the_table_of_a_new_date_comes_from_the_index(cache_workspace, capsys, monkeypatch):
    """`nq57 status` (the table analysts read): a new date on data seen before loads no
    model, and prints what the models print."""
    root = cache_workspace(resultcache)
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 0)
    monkeypatch.setenv("COLUMNS", "100")
    data = str(root / "status")

    def table(as_of: str, *extra: str) -> str:
        code, out, err = invoke(capsys, "status", "--data", data, "--as-of", as_of, *extra)
        assert code == 0, err
        return out

    table("2025-07-15")  # a first load: no index
    assert not list((root / "cache").rglob("index-*.out"))
    table("2025-07-31")  # the snapshot's data: the index is stored
    assert list((root / "cache").rglob("index-*.out"))
    expected = table("2025-08-20", "--limit", "2", "--no-cache")
    monkeypatch.setattr(snapshot.Snapshot, "restore", None)  # nothing is loaded
    monkeypatch.setattr(status_render, "as_json_bytes", None)
    assert table("2025-08-20", "--limit", "2") == expected
    assert "2025" in expected and expected.count("\n") > 5
