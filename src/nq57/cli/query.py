"""`nq57 query`: any question in SQL over the views of the data (or of Parquet exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    data_dirs,
    load_data,
    warn_left_out,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import AsOfOption, FormatOption, OutputFormat, WithinOption, parse_as_of
from nq57.cli.output import write_stdout
from nq57.i18n import get_language, t

results = lazy("nq57.io.resultcache")

engine = lazy("nq57.render.sql")  # DuckDB: only when needed
tables = lazy("nq57.render.sqlstore")
saved_model = lazy("nq57.model.queries")
views = lazy("nq57.analysis.views")
listing = lazy("nq57.io.listing")
console = lazy("nq57.render.status")


def _params(given: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in given or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(t("sql.bad_param", given=item), 2)
        params[name.strip()] = value
    return params


def query(
    sql: Annotated[str | None, typer.Argument(metavar="SQL", show_default=False)] = None,
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    format: FormatOption = OutputFormat.table,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE", show_default=False)
    ] = None,
    saved: Annotated[
        str | None, typer.Option("--saved", metavar="NAME", show_default=False)
    ] = None,
    list_saved: Annotated[bool, typer.Option("--list")] = False,
    parquet: Annotated[
        Path | None, typer.Option("--parquet", metavar="ROOT", show_default=False)
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 query` (help text: help.query in the catalogue)."""
    if list_saved:
        _print_list(list(saved_model.saved_queries(data_dirs(data)).values()), format)
        return
    if (sql is None) == (saved is None):
        raise UserError(t("sql.sql_or_saved"), 2)
    values = _params(param)
    cache = None  # machine output of plain SQL is stored for the same command and data
    if sql is not None and saved is None and parquet is None and format is not OutputFormat.table:
        cache = _result_cache(sql, values, data, as_of, within, format, no_cache)
        if cache is not None and (stored := cache.get()) is not None:
            return write_stdout(stored)
    if saved is not None:
        queries = saved_model.saved_queries(data_dirs(data))
        if saved not in queries:
            names = ", ".join(queries) or "—"
            raise UserError(t("sql.no_saved", name=saved, names=names), 2)
        chosen = queries[saved]
        sql = chosen.sql
        defaults = {p.name: p.default for p in chosen.params if p.default is not None}
        wanted = engine.check(checker := engine.connect(), sql)
        values = {**{k: v for k, v in defaults.items() if k in wanted}, **values}
    else:
        engine.check(checker := engine.connect(), sql)  # refuse before reading anything
    assert sql is not None
    if parquet is not None:
        if data or as_of:
            raise UserError(t("sql.parquet_alone"), 2)
        con = engine.open_parquet(parquet)
    else:
        when = parse_as_of(as_of)
        if no_cache:
            dataset = load_data(data, no_cache=True, warnings=False)
            files = listing.entity_files(dataset.roots)
            con = engine.open_views(views.build_views(dataset, when, within, files))
            left_out = len(dataset.invalid_files)
        else:  # the stored tables: a new date computes only what it changes
            con, left_out = tables.open_tables(
                data_dirs(data), when, within, lambda: load_data(data, warnings=False), checker
            )
        warn_left_out(left_out)
    result = engine.run(con, sql, values)
    if format is not OutputFormat.table:
        text = engine.as_json(result) if format is OutputFormat.json else engine.as_csv(result)
        body = text.encode("utf-8", "surrogatepass")
        if cache is not None and not left_out:  # nothing said on stderr
            cache.put(body)
        write_stdout(body)
    else:
        console.make_console().print(engine.as_table(result))


def _result_cache(sql, values, data, as_of, within, format, no_cache):
    """The stored output of this query, unless it must be computed (results.stable_sql);
    a bad folder or date is reported below, after the SQL is checked, as before."""
    if no_cache or not results.stable_sql(sql):
        return None
    try:
        roots, when = data_dirs(data), parse_as_of(as_of)
    except UserError:
        return None
    request = ("query", sql, sorted(values.items()), when, within, format.value, get_language())
    return results.ResultCache(roots, request)


def _print_list(queries, format: OutputFormat) -> None:
    columns = ["name", "title", "description", "params"]
    rows = [
        (
            q.name,
            q.title,
            q.description,
            [p.name if p.default is None else f"{p.name}={p.default}" for p in q.params],
        )
        for q in queries
    ]
    result = engine.Result(columns, ["VARCHAR"] * 3 + ["VARCHAR[]"], rows)
    if format is OutputFormat.json:
        typer.echo(engine.as_json(result), nl=False)
    elif format is OutputFormat.csv:
        typer.echo(engine.as_csv(result), nl=False)
    elif not rows:
        typer.echo(t("sql.no_saved_queries"), err=True)
    else:
        console.make_console().print(engine.as_table(result))


def register(app: typer.Typer) -> None:
    app.command("query")(query)
