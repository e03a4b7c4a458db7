"""`nq57 query`'s tables kept between runs: a new ``--as-of`` date computes only what it
changes.

What no date changes (:func:`nq57.analysis.viewparts.stored_views`) is written once per
data listing into a DuckDB database file in the user cache folder (never in the data
repository), beside the snapshot and keyed as it is: the snapshot's format (nq57, Python,
pydantic, the models' fields), DuckDB's version, the views' columns, nq57's source files
(:func:`~nq57.io.resultcache.code_stamp`), the data folders, and the listing of every data
file (:func:`~nq57.io.resultcache.data_listing`, the one the result cache and the snapshot
take). Nothing is stored while a file changed within :data:`RACY_SECONDS`.

A run attaches the file read-only, checks the key stored inside it, and builds the
in-memory tables of :func:`nq57.render.sql.open_views` from it: updates and measurements
on or before the date by a filter; the task columns a date changes (status and completion
as of the date, due date, class, days, progress, staleness, latest update) in SQL, except
recurring tasks' classes and the progress of parent-child trees (Python, by the functions
the uncached path uses); ``kpis`` and ``filings`` in Python from the stored models. Then
it detaches the file and locks the connection. The tables equal the uncached ones value
for value and row for row (tests/render/test_sqlstore.py).

A file that is missing, foreign, damaged (DuckDB checks each block it reads against its
checksum) or stale is ignored; the data is then loaded and the file written again.
``--no-cache`` neither reads nor writes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from nq57.analysis import viewparts
from nq57.analysis.views import SCHEMA, SCHEMA_VERSION, build_views
from nq57.check import snapshot
from nq57.io import resultcache
from nq57.io.cache import cache_dir
from nq57.io.listing import entity_files
from nq57.io.loader import display_path
from nq57.model.dataset import DataSet
from nq57.model.deadlines import period_bounds
from nq57.render import sql

ENABLED = snapshot.ENABLED
RACY_SECONDS = 2.0
_SHAPE = repr(
    (SCHEMA, viewparts.STORED_TASKS, viewparts.STORED_UPDATES, viewparts.STORED_MEASUREMENTS)
)
FORMAT = (
    f"nq57-tables-1/{snapshot.FORMAT}/duckdb {duckdb.__version__}/{SCHEMA_VERSION}/"
    f"{hashlib.sha1(_SHAPE.encode()).hexdigest()[:10]}"
)
_BASE = "nq57_base"  # the stored file while attached

# A task's status and completion date as of $d (tasks.as_of_task).
_STATUS = (
    "CASE WHEN b.status0 = 'done' AND b.completed0 > $d THEN 'in_progress' "
    "WHEN b.status0 = 'cancelled' AND b.first_cancel > $d THEN 'in_progress' "
    "ELSE b.status0 END"
)
_COMPLETED = "CASE WHEN b.status0 = 'done' AND b.completed0 > $d THEN NULL ELSE b.completed0 END"
# Per task: latest update date and reported progress on or before $d (progress.py), and
# whether an update falls in this month / quarter (stale.py: every update counts).
_UPDATES = f"""
    SELECT nr,
        max(date) FILTER (WHERE date <= $d) AS last_update,
        arg_max(progress, sort_key) FILTER (WHERE date <= $d AND progress IS NOT NULL)
            AS reported,
        bool_or(date BETWEEN $m0 AND $m1) AS in_month,
        bool_or(date BETWEEN $q0 AND $q1) AS in_quarter
    FROM {_BASE}.updates GROUP BY nr"""
_TREE = f"""
    SELECT b.nr, {_STATUS} AS status, u.reported
    FROM {_BASE}.tasks b LEFT JOIN ({_UPDATES}) u USING (nr)
    WHERE b.in_tree"""
_RECURRING = (
    ("nr", "INTEGER"),
    ("due", "DATE"),
    ("class", "VARCHAR"),
    ("days_overdue", "INTEGER"),
    ("days_left", "INTEGER"),
    ("missed_from", "DATE"),
    ("missed_to", "DATE"),
)
_TREE_COLUMNS = (("nr", "INTEGER"), ("value", "INTEGER"), ("source", "VARCHAR"))
# The date-dependent task columns; everything else is copied. tasks.classify for a task
# that does not recur, progress.task_progress outside trees, stale.stale_tasks.
_TASK_EXPRESSIONS = {
    "due": "CASE WHEN recurring THEN r_due ELSE due0 END",
    "status": "status",
    "class": "klass",
    "days_overdue": (
        "CASE WHEN recurring THEN r_days_overdue WHEN klass = 'overdue' THEN $d - due0 END"
    ),
    "days_left": (
        "CASE WHEN recurring THEN r_days_left "
        "WHEN klass IN ('due_soon', 'on_track') THEN due0 - $d END"
    ),
    "missed_from": "r_missed_from",
    "missed_to": "r_missed_to",
    "completed": "completed",
    "progress": (
        "CASE WHEN in_tree THEN p_value WHEN status = 'cancelled' THEN NULL "
        "WHEN status = 'done' THEN 100 ELSE coalesce(reported, 0) END"
    ),
    "progress_source": (
        "CASE WHEN in_tree THEN p_source WHEN status = 'cancelled' THEN 'none' "
        "WHEN status = 'done' THEN 'done' WHEN reported IS NULL THEN 'none' "
        "ELSE 'reported' END"
    ),
    "stale": (
        "NOT is_parent AND NOT coalesce(issued > $d, false) "
        "AND status NOT IN ('done', 'cancelled') AND NOT reported_in_period"
    ),
    "last_update": "last_update",
}
_CLASS = """CASE
        WHEN s.recurring THEN r.class
        WHEN s.status = 'cancelled' THEN 'cancelled'
        WHEN s.status = 'done' THEN CASE
            WHEN s.due0 IS NOT NULL AND s.completed IS NOT NULL AND s.completed > s.due0
            THEN 'done_late' ELSE 'done_on_time' END
        WHEN s.due0 IS NULL THEN 'no_deadline'
        WHEN s.due0 < $d THEN 'overdue'
        WHEN s.due0 - $d <= $w THEN 'due_soon'
        ELSE 'on_track' END"""


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Any]:
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _unnest(
    columns: tuple[tuple[str, str], ...], values: list[Any], params: dict[str, Any], tag: str
) -> str:
    """A SELECT of the columns' ``values`` (one list per column), each given as a list
    parameter (no NumPy needed)."""
    parts = []
    for i, ((name, kind), column) in enumerate(zip(columns, values, strict=True)):
        params[f"{tag}{i}"] = list(column)
        parts.append(f"unnest(${tag}{i}::{kind}[]) AS {_name(name)}")
    return "SELECT " + ", ".join(parts)


def store_path(roots: list[Path]) -> Path:
    joined = "\n".join(str(root.resolve()) for root in roots)
    return cache_dir() / f"tables-{hashlib.sha1(joined.encode('utf-8')).hexdigest()[:12]}.duckdb"


class TableStore:
    """The stored tables of one set of data folders; the key is taken on creation,
    before anything is read."""

    def __init__(self, roots: list[Path]):
        self.roots = roots
        self.path = store_path(roots)
        self.digest: str | None = None
        if not ENABLED:
            return
        try:
            self.taken, self.listing = resultcache.take_listing(roots)
            shown = [(str(root.resolve()), display_path(root)) for root in roots]
            key = (FORMAT, resultcache.code_stamp(), shown, self.listing)
            self.digest = hashlib.blake2b(marshal.dumps(key, 2), digest_size=20).hexdigest()
        except (OSError, ValueError, TypeError):  # an unreadable folder, a vanishing file
            self.digest = None

    def open(
        self, as_of: dt.date, within: int, con: duckdb.DuckDBPyConnection | None = None
    ) -> tuple[duckdb.DuckDBPyConnection, int] | None:
        """A locked connection holding the views as of ``as_of``, and how many files were
        left out (errors); None when nothing valid is stored. ``con``: a fresh connection
        of :func:`nq57.render.sql.connect` to fill (closed when this fails)."""
        if self.digest is None or not self.path.is_file():
            if con is not None:
                con.close()
            return None
        con = con or sql.connect()
        collecting = gc.isenabled()
        gc.disable()  # thousands of models unpickled that live until the end
        try:
            con.execute(f"ATTACH {_quote(str(self.path))} AS {_BASE} (READ_ONLY)")
            stored = con.execute(f"SELECT key, dated FROM {_BASE}.nq57_store").fetchall()
            if len(stored) != 1 or stored[0][0] != self.digest:
                raise LookupError("stale")
            dated = pickle.loads(stored[0][1])
            con.execute("SET threads = 1")  # 30,000 rows: a second thread costs more CPU
            fill_dated(con, dated, as_of, within)
            con.execute("RESET threads")  # the user's query runs as without the store
            con.execute(f"DETACH {_BASE}")
            sql.lock(con)
            return con, dated.invalid
        except Exception:  # missing, damaged, foreign or stale: load and write it again
            con.close()
            return None
        finally:
            if collecting:
                gc.enable()

    def save(self, data: DataSet, files: dict[str, set[str]] | None) -> bool:
        """Write the tables of ``data`` atomically; False when they cannot or must not be
        stored (a file changed too recently to be sure, no key, no room)."""
        if self.digest is None or resultcache.racy(self.listing, self.taken, RACY_SECONDS):
            return False
        tables, dated = viewparts.stored_views(data, files)
        with contextlib.suppress(Exception):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".duckdb")
            os.close(fd)
            os.unlink(tmp)  # DuckDB creates the file itself
            try:
                con = sql.connect(tmp)
                try:
                    sql.fill(con, tables)
                    con.execute("CREATE TABLE nq57_store (key VARCHAR, dated BLOB)")
                    payload = snapshot.dumps(dated)
                    con.execute("INSERT INTO nq57_store VALUES ($1, $2)", [self.digest, payload])
                finally:
                    con.close()
                os.replace(tmp, self.path)
                return True
            finally:
                for leftover in (tmp, tmp + ".wal"):
                    if os.path.exists(leftover):
                        os.unlink(leftover)
        return False

    def hand_on_listing(self) -> None:
        """After a miss: the snapshot of the load that follows uses this listing."""
        if self.digest is not None:
            resultcache.keep_listing(self.roots, self.taken, self.listing)


def fill_dated(
    con: duckdb.DuckDBPyConnection, dated: viewparts.Dated, as_of: dt.date, within: int
) -> None:
    """Create the views as of ``as_of`` in ``con`` from the attached stored tables, in the
    order of :data:`nq57.analysis.views.VIEWS`."""
    month = period_bounds("monthly", as_of)
    quarter = period_bounds("quarterly", as_of)
    assert month is not None and quarter is not None
    dates = {"d": as_of, "m0": month[0], "m1": month[1], "q0": quarter[0], "q1": quarter[1]}
    tree = con.execute(_TREE, dates).fetchall()
    rolled = viewparts.tree_progress(
        dated, {nr: status for nr, status, _ in tree}, {nr: value for nr, _, value in tree}
    )
    params: dict[str, Any] = {**dates, "w": within}
    recurring = viewparts.recurring_rows(dated, as_of, within)
    recurring_sql = _unnest(_RECURRING, _columns(recurring, len(_RECURRING)), params, "r")
    progress_sql = _unnest(_TREE_COLUMNS, _columns(rolled, len(_TREE_COLUMNS)), params, "p")
    dated_columns = ", ".join(
        f"({_TASK_EXPRESSIONS[name]})::{kind} AS {_name(name)}"
        for name, kind in SCHEMA["tasks"]
        if name in _TASK_EXPRESSIONS
    )
    columns = ", ".join(
        f"{'c' if name in _TASK_EXPRESSIONS else 'b'}.{_name(name)}" for name, _ in SCHEMA["tasks"]
    )
    con.execute(
        f"""CREATE TABLE tasks AS
        WITH u AS ({_UPDATES}),
        s AS (
            SELECT b.nr, b.due0, b.recurring, b.is_parent, b.in_tree, b.issued,
                u.last_update, u.reported,
                coalesce(CASE WHEN b.quarterly THEN u.in_quarter ELSE u.in_month END, false)
                    AS reported_in_period,
                {_STATUS} AS status, {_COMPLETED} AS completed
            FROM {_BASE}.tasks b LEFT JOIN u USING (nr)),
        r AS ({recurring_sql}),
        p AS ({progress_sql}),
        k AS (
            SELECT s.*, {_CLASS} AS klass,
                r.due AS r_due, r.days_overdue AS r_days_overdue, r.days_left AS r_days_left,
                r.missed_from AS r_missed_from, r.missed_to AS r_missed_to,
                p.value AS p_value, p.source AS p_source
            FROM s LEFT JOIN r USING (nr) LEFT JOIN p USING (nr)),
        c AS (SELECT nr, {dated_columns} FROM k)
        SELECT {columns} FROM {_BASE}.tasks b JOIN c USING (nr) ORDER BY b.nr""",
        params,
    )
    computed = viewparts.dated_views(dated, as_of)
    for name in ("updates", "kpis", "measurements", "decisions", "agencies", "filings"):
        names = ", ".join(_name(column) for column, _ in SCHEMA[name])
        params = {}
        if name in computed:
            view = computed[name]
            source = f"SELECT {names} FROM ({_unnest(view.columns, view.values, params, 'v')})"
        elif name in ("updates", "measurements"):
            source = f"SELECT {names} FROM {_BASE}.{name} WHERE date <= $d ORDER BY seq"
            params["d"] = as_of
        else:
            source = f"SELECT {names} FROM {_BASE}.{name}"
        con.execute(f"CREATE TABLE {_name(name)} AS {source}", params or None)


def open_tables(
    roots: list[Path],
    as_of: dt.date,
    within: int,
    load: Callable[[], DataSet],
    con: duckdb.DuckDBPyConnection | None = None,
) -> tuple[duckdb.DuckDBPyConnection, int]:
    """The locked connection of `nq57 query` as of ``as_of`` and how many files were left
    out: from the stored tables, else (stored now for the next run) from ``load()``.
    ``con``: a fresh, empty connection to use (the one the SQL was checked on)."""
    store = TableStore(roots)
    opened = store.open(as_of, within, con)
    if opened is not None:
        return opened
    store.hand_on_listing()
    data = load()
    files = entity_files(data.roots)
    if store.save(data, files) and (opened := store.open(as_of, within)) is not None:
        return opened
    return sql.open_views(build_views(data, as_of, within, files)), len(data.invalid_files)
