"""`nq57 query`'s stored tables give exactly the tables of the uncached path: every view,
value for value, row for row, with the same column types, for any date and --within."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nq57.analysis import viewparts
from nq57.analysis.views import VIEWS, build_views
from nq57.check import pipeline, snapshot
from nq57.io.listing import entity_files
from nq57.model.dataset import DataSet
from nq57.model.entities import Task, Update
from nq57.render import sql, sqlstore

from conftest import FIXTURES

FOLDERS = ("status", "recurring", "cycle", "report", "minimal", "broken", "edit")
DATES = st.dates(dt.date(2023, 1, 1), dt.date(2029, 12, 31))
WITHIN = st.sampled_from([0, 1, 7, 30, 90, 400])


def _tables(con) -> dict:
    """Every view: its column names and types, and its rows in order."""
    return {
        name: (
            con.execute(f'DESCRIBE "{name}"').fetchall(),
            con.execute(f'SELECT * FROM "{name}"').fetchall(),
        )
        for name in VIEWS
    }


def _store(data: DataSet, path) -> viewparts.Dated:
    """Write the stored tables of ``data`` to ``path`` as TableStore.save does."""
    tables, dated = viewparts.stored_views(data, entity_files(data.roots))
    con = sql.connect(str(path))
    sql.fill(con, tables)
    con.close()
    return pickle.loads(snapshot.dumps(dated))  # as a run reads it back


def _from_store(path, dated, as_of: dt.date, within: int):
    con = sql.connect()
    con.execute(f"ATTACH '{path}' AS nq57_base (READ_ONLY)")
    sqlstore.fill_dated(con, dated, as_of, within)
    con.execute("DETACH nq57_base")
    return con


def _same(data: DataSet, path, dated, as_of: dt.date, within: int) -> None:
    uncached = sql.open_views(build_views(data, as_of, within, entity_files(data.roots)))
    stored = _from_store(path, dated, as_of, within)
    expected, got = _tables(uncached), _tables(stored)
    for name in VIEWS:
        assert got[name][0] == expected[name][0], name
        assert got[name][1] == expected[name][1], (name, as_of, within)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    found = {}
    for name in FOLDERS:
        data = pipeline.load([FIXTURES / name], use_cache=False, warnings=False)
        found[name] = (data, folder / f"{name}.duckdb")
        found[name] += (_store(data, found[name][1]),)
    return found


@pytest.mark.parametrize("name", FOLDERS)
@pytest.mark.parametrize(
    "as_of", [dt.date(2024, 1, 1), dt.date(2025, 7, 15), dt.date(2025, 9, 30), dt.date(2027, 1, 1)]
)
def test_fixtures_on_fixed_dates(stores, name, as_of):
    _same(*stores[name], as_of, 30)


@settings(max_examples=20)
@given(name=st.sampled_from(FOLDERS), as_of=DATES, within=WITHIN)
def test_fixtures_on_any_date(stores, name, as_of, within):
    _same(*stores[name], as_of, within)


# --- generated tasks: every status, completion, cancellation, tree, deadline kind -------

DEADLINES = [
    None, "Tháng 8/2025", "Tháng 12/2025", "Quý II/2026", "2025", "2025-2026", "Hằng năm",
    "Hàng năm", "Hằng tháng", "Hằng quý", "Hằng quý, từ năm 2026", "Thường xuyên",
    "Theo lộ trình", "2024 - 2027", 2026, "Trước ngày 30/9/2025",
]  # fmt: skip
DAYS = st.dates(dt.date(2024, 6, 1), dt.date(2027, 6, 30))
STATUSES = st.sampled_from(["not_started", "in_progress", "done", "cancelled", "cancelled"])


@st.composite
def generated(draw) -> DataSet:
    base = pipeline.load([FIXTURES / "cycle"], use_cache=False, warnings=False)
    decisions = dict(base.decisions)
    late = decisions["KH-2"].model_copy(update={"id": "KH-3", "issued": draw(DAYS)})
    decisions["KH-3"] = late  # issued on a drawn day: before or after the date asked
    count = draw(st.integers(1, 14))
    ids = [f"KH-{draw(st.sampled_from('1239'))}/{i}" for i in range(count)]
    tasks = {}
    for i, task_id in enumerate(ids):
        updates = draw(
            st.lists(
                st.builds(
                    Update,
                    date=DAYS,
                    status=st.none() | STATUSES | st.just("cancelled"),
                    progress=st.none() | st.integers(0, 100),
                    note=st.none() | st.sampled_from(["a", "b"]),
                ),
                max_size=4,
            )
        )
        tasks[task_id] = Task(
            id=task_id,
            decision=task_id.split("/")[0],
            ref=str(i),
            title=f"Việc {i}",
            lead=draw(st.sampled_from([[], ["Cục Tin học"], ["Bộ Tài chính", "Cục Tin học"]])),
            deadline=draw(st.sampled_from(DEADLINES)),
            due=draw(st.none() | DAYS),
            parent=draw(st.none() | st.sampled_from(ids)),  # cycles and self-parents too
            weight=draw(st.none() | st.sampled_from([0, 0.5, 1, 2, 3])),
            status=draw(STATUSES),
            completed=draw(st.none() | DAYS),
            updates=updates,
        )
    data = DataSet(
        roots=base.roots,
        decisions=decisions,
        tasks=dict(sorted(tasks.items(), key=lambda kv: draw(st.integers(0, 99)))),
        kpis=base.kpis,
        agencies=base.agencies,
    )
    within = draw(WITHIN)
    # the edges are where a rule can be off by one day: a date of the data, a day either
    # side, and a due date less --within
    edges = [
        day
        for task in tasks.values()
        for day in (task.due, task.completed, *(u.date for u in task.updates))
        if day is not None
    ]
    days = st.just(late.issued) | st.sampled_from(edges) if edges else st.just(late.issued)
    moved = st.tuples(days, st.sampled_from([0, 0, -1, 1, -within])).map(
        lambda pair: pair[0] + dt.timedelta(days=pair[1])
    )
    return data, {draw(DAYS), *draw(st.lists(moved, min_size=1, max_size=8))}, within


@settings(max_examples=30)
@given(case=generated())
def test_generated_tasks(tmp_path_factory, case):
    data, dates, within = case
    path = tmp_path_factory.mktemp("generated") / "tables.duckdb"
    dated = _store(data, path)
    for as_of in sorted(dates):
        _same(data, path, dated, as_of, within)
