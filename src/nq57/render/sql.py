"""SQL over the views (`nq57 query`) and the bulk exports (Parquet, JSON), on DuckDB.

A connection is filled by our own code (tables from :mod:`nq57.analysis.views`, or views
over a folder of Parquet files), then locked before any user SQL runs: no file or
network access outside that folder, no extensions, no configuration change. A user
statement must be one SELECT (or EXPLAIN); anything else is refused before it runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from nq57.analysis.views import SCHEMA, SCHEMA_VERSION, VIEWS, View
from nq57.errors import Nq57Error
from nq57.i18n import t
from nq57.render import jsontext

if TYPE_CHECKING:
    from rich.table import Table

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Columns every exported file adds to its view's columns (docs/query.md, "Export").
META_COLUMNS = (
    ("org", "VARCHAR"),
    ("as_of", "DATE"),
    ("data_commit", "VARCHAR"),
    ("schema_version", "INTEGER"),
)
_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "python_enable_replacements": False,  # no Python variable is a table
}


class QueryError(Nq57Error):
    """A query that is refused or fails: DuckDB's message, exit 1."""


@dataclass(frozen=True)
class Meta:
    """What an export says about where its rows come from."""

    org: str | None
    as_of: dt.date
    data_commit: str | None


@dataclass(frozen=True)
class Result:
    columns: list[str]
    types: list[str]
    rows: list[tuple]


# --- connections -----------------------------------------------------------------------


def connect(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    return duckdb.connect(database, config=dict(_CONFIG))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fill(con: duckdb.DuckDBPyConnection, views: dict[str, View]) -> None:
    """Create one table per view from its columns. Plain columns go in as NumPy object
    arrays (DuckDB scans them without a Python call per value), list columns as one
    list parameter each; the two halves are joined by position."""
    import numpy

    for view in views.values():
        plain = [(i, c) for i, c in enumerate(view.columns) if not c[1].endswith("[]")]
        lists = [(i, c) for i, c in enumerate(view.columns) if c[1].endswith("[]")]
        arrays = {}
        for i, (name, _) in plain:
            array = numpy.empty(view.rows, dtype=object)
            array[:] = view.values[i]
            arrays[name] = array
        select = [f"p.{_name(n)}::{k} AS {_name(n)}" for _, (n, k) in plain]
        select += [f"l.{_name(n)}" for _, (n, _k) in lists]
        order = ", ".join(_name(n) for n, _ in view.columns)
        unnests = ", ".join(
            f"unnest(${j + 1}::{k}[]) AS {_name(n)}" for j, (_, (n, k)) in enumerate(lists)
        )
        con.register("nq57_plain", arrays)
        try:
            source = "nq57_plain p"
            if lists:
                source += f" POSITIONAL JOIN (SELECT {unnests}) l"
            con.execute(
                f"CREATE TABLE {_name(view.name)} AS SELECT {order} FROM "
                f"(SELECT {', '.join(select)} FROM {source})",
                [view.values[i] for i, _ in lists] or None,
            )
        finally:
            con.unregister("nq57_plain")


def lock(con: duckdb.DuckDBPyConnection, allowed: list[Path] = ()) -> None:
    """From here on the connection reads only its tables (and files under ``allowed``)."""
    if allowed:
        folders = ", ".join(_quote(str(p.resolve()) + os.sep) for p in allowed)
        con.execute(f"SET allowed_directories = [{folders}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def open_views(views: dict[str, View]) -> duckdb.DuckDBPyConnection:
    """A locked connection holding the views as tables."""
    con = connect()
    fill(con, views)
    lock(con)
    return con


def open_parquet(root: Path) -> duckdb.DuckDBPyConnection:
    """A locked connection with the same view names over every ``<view>.parquet`` under
    ``root`` (hive partitions such as ``org=…/as_of=…/`` become columns)."""
    if not root.is_dir():
        raise QueryError(t("sql.parquet_no_folder", root=root), 2)
    con = connect()
    found = 0
    for name in VIEWS:
        if not any(root.rglob(f"{name}.parquet")):
            continue
        pattern = _quote(f"{root.resolve().as_posix()}/**/{name}.parquet")
        con.execute(
            f"CREATE VIEW {_name(name)} AS SELECT * FROM read_parquet({pattern}, "
            "hive_partitioning = true, union_by_name = true)"
        )
        found += 1
    if not found:
        raise QueryError(t("sql.parquet_empty", root=root), 1)
    lock(con, [root])
    return con


# --- running a user statement -----------------------------------------------------------


def _message(exc: Exception) -> str:
    return str(exc).strip()


def check(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """Refuse anything but one SELECT or EXPLAIN; return its named parameters."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(t("sql.syntax", message=_message(exc))) from None
    if len(statements) != 1:
        raise QueryError(t("sql.one_statement", count=len(statements)))
    statement = statements[0]
    if statement.type not in ALLOWED:
        kind = str(statement.type).rpartition(".")[2]
        raise QueryError(t("sql.refused", kind=kind))
    return set(statement.named_parameters)


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str] | None = None) -> Result:
    """Run one checked statement with its named parameters (``$name``)."""
    wanted = check(con, sql)
    given = dict(params or {})
    missing = sorted(wanted - set(given))
    if missing:
        names = ", ".join(f"${n}" for n in missing)
        raise QueryError(t("sql.missing_params", names=names), 2)
    unused = sorted(set(given) - wanted)
    if unused:
        raise QueryError(t("sql.unused_params", names=", ".join(unused)), 2)
    try:
        cursor = con.execute(sql, {k: given[k] for k in wanted} if wanted else None)
        rows = cursor.fetchall()
        description = cursor.description or []
    except duckdb.PermissionException as exc:
        raise QueryError(t("sql.no_access", message=_message(exc))) from None
    except duckdb.Error as exc:
        raise QueryError(t("sql.failed", message=_message(exc))) from None
    return Result([d[0] for d in description], [str(d[1]) for d in description], rows)


# --- writing results -------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A result value as JSON data: dates as ISO text, lists and structs inside out."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    return str(value)  # intervals, UUIDs, blobs


def as_json(result: Result) -> str:
    rows = [dict(zip(result.columns, (plain(v) for v in row), strict=True)) for row in result.rows]
    return jsontext.dumps(rows) + "\n"


def _cell(value: Any, day_first: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and day_first:
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v, day_first) for v in value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def site_cell(value: Any) -> str:
    """A result value as the site shows it (dates day-first)."""
    return _cell(value, day_first=True)


def as_csv(result: Result) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_cell(v) for v in row] for row in result.rows)
    return buf.getvalue()


def as_table(result: Result) -> FittedTable:
    """A rich table for people: dates day-first, lists joined, NULL as an empty cell; laid
    out for the console's width when printed (see :class:`FittedTable`)."""
    return FittedTable(result)


TEXT_MIN = 16  # a text column is never made narrower than this while numbers can give way
NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "HUGEINT", "DECIMAL", "FLOAT", "SMALLINT", "UBIGINT")


class FittedTable:
    """The table of a result at the width it is printed at: dates, numbers and ids never
    wrap; text columns get at least :data:`TEXT_MIN` (or their widest cell); when that is
    too wide the headers of narrow columns break at '_', then text columns shrink further,
    then every column folds — a line is never cut at the terminal's edge."""

    def __init__(self, result: Result) -> None:
        self.result = result

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self.table(options.max_width)

    def table(self, max_width: int) -> Table:
        from rich import box
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        result = self.result
        cells = [[_cell(v, day_first=True) for v in row] for row in result.rows]
        kinds = [k.upper() for k in result.types]
        fixed = [
            (k.startswith(NUMERIC) and not k.endswith("]")) or k == "DATE"
            or name in ("id", "task_id", "kpi_id")
            for name, k in zip(result.columns, kinds, strict=True)
        ]  # fmt: skip
        n = len(result.columns)
        values = [
            max([cell_len(line) for row in cells for line in row[i].splitlines()] or [0])
            for i in range(n)
        ]
        heads = [cell_len(name) for name in result.columns]
        parts = [max(map(cell_len, _header(name, 1).splitlines())) for name in result.columns]
        budget = max_width - (n + 1) - max(n - 1, 0)  # edges and separators, padding
        widths = [max(v, h, 1) for v, h in zip(values, heads, strict=True)]

        def shrink(floor: list[int]) -> None:
            """Narrow the widest columns above their floor until the table fits."""
            while sum(widths) > budget:
                over = [i for i in range(n) if widths[i] > floor[i]]
                if not over:
                    return
                widest = max(over, key=lambda i: widths[i])
                widths[widest] -= 1

        text_floor = [
            widths[i] if fixed[i] else min(widths[i], max(TEXT_MIN, heads[i])) for i in range(n)
        ]
        shrink(text_floor)  # 1. text columns give way down to TEXT_MIN
        shrink([max(values[i], parts[i], 1) if fixed[i] else text_floor[i] for i in range(n)])
        shrink([max(values[i], parts[i], 1) if fixed[i] else 6 for i in range(n)])  # 3.
        shrink([1] * n)  # 4. a very narrow terminal: everything folds
        # columns apart by the box's blank divider and one space of padding
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
        for i, (name, kind) in enumerate(zip(result.columns, kinds, strict=True)):
            right = kind.startswith(NUMERIC) and not kind.endswith("]")
            header = Text(_header(name, widths[i]), no_wrap=False, overflow="fold")
            table.add_column(
                header,
                justify="right" if right else "left",
                overflow="fold",
                width=widths[i],
                no_wrap=fixed[i] and widths[i] >= values[i],
            )
        for row in cells:
            table.add_row(*row)
        table.caption = t("sql.rows", count=len(result.rows))
        return table


def _header(name: str, width: int) -> str:
    """A column name that does not fit broken into lines after its '_' (fold beyond)."""
    if len(name) <= width or "_" not in name:
        return name
    lines = [""]
    for part in name.replace("_", "_\n").split("\n"):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


# --- exports ----------------------------------------------------------------------------


def write_parquet(views: dict[str, View], folder: Path, meta: Meta) -> list[Path]:
    """One ``<view>.parquet`` per view under ``folder``, the view's columns then
    :data:`META_COLUMNS`; each file is written beside and renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    con = connect()
    fill(con, views)
    con.execute(
        "CREATE TABLE nq57_meta AS SELECT $1::VARCHAR AS org, $2::DATE AS as_of, "
        "$3::VARCHAR AS data_commit, $4::INTEGER AS schema_version",
        [meta.org, meta.as_of, meta.data_commit, SCHEMA_VERSION],
    )
    written = []
    for name in views:
        target = folder / f"{name}.parquet"
        partial = folder / f".{name}.parquet.part"
        con.execute(
            f"COPY (SELECT v.*, m.* FROM {_name(name)} v, nq57_meta m) TO "
            f"{_quote(str(partial))} (FORMAT parquet, "
            f"KV_METADATA {{nq57_schema_version: '{SCHEMA_VERSION}'}})"
        )
        os.replace(partial, target)
        written.append(target)
    con.close()
    return written


def export_json(views: dict[str, View], meta: Meta) -> str:
    """Every view as one JSON document (the same columns as the Parquet files)."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "org": meta.org,
        "as_of": meta.as_of.isoformat(),
        "data_commit": meta.data_commit,
        "views": {
            name: [
                dict(zip([c for c, _ in view.columns], (plain(v) for v in row), strict=True))
                for row in zip(*view.values, strict=True)
            ]
            for name, view in views.items()
        },
    }
    return jsontext.dumps(document) + "\n"


def schema_of(name: str) -> tuple[tuple[str, str], ...]:
    """The columns of a view's exported file."""
    return (*SCHEMA[name], *META_COLUMNS)
