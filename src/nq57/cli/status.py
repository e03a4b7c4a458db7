"""`nq57 status`: what is overdue, what is coming, who is behind."""

from __future__ import annotations

from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    data_dirs,
    load_data,
    require_decision,
    resolve_agency,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    FormatOption,
    LeadOption,
    OutputFormat,
    WithinOption,
    parse_as_of,
)
from nq57.cli.output import write_stdout
from nq57.i18n import get_language

analysis = lazy("nq57.analysis.status")
render = lazy("nq57.render.status")
results = lazy("nq57.io.resultcache")
indexed = lazy("nq57.render.status_index")
fromindex = lazy("nq57.render.status_day")


def status(
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    format: FormatOption = OutputFormat.table,
    limit: Annotated[int, typer.Option("--limit", metavar="N")] = 20,
    no_cache: NoCacheOption = False,
) -> None:
    """Overdue, due-soon, agencies, KPIs, filings (help text: help.status in the catalogue)."""
    when = parse_as_of(as_of)
    cache = index = None  # machine output is stored for the same command on unchanged data
    if not no_cache:
        request = ("status", when, within, lead, decision, format.value, get_language())
        cache = results.ResultCache(data_dirs(data), request)
        if format is not OutputFormat.table and (stored := cache.get()) is not None:
            return write_stdout(stored)
    if cache is not None and format is not OutputFormat.csv:  # any date: from the index
        index = cache.sibling(("status", lead, decision, get_language()), "index-")
        if format is OutputFormat.json:
            if (body := fromindex.json_from_index(index.get(), when, within)) is not None:
                return write_stdout(body)  # not stored: computing it again costs as much
        elif (day := fromindex.table_from_index(index.get(), when, within)) is not None:
            return render.render_table(day, render.make_console(), limit)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    require_decision(dataset, decision)
    agency = resolve_agency(dataset, lead)
    report = analysis.build_status(dataset, when, within, decision, agency)
    body = None
    if format is OutputFormat.json:
        body = render.as_json_bytes(report)
    elif format is OutputFormat.csv:
        body = render.as_csv(report).encode("utf-8", "surrogatepass")
    else:
        render.render_table(report, render.make_console(), limit)
    if cache is not None and agency == lead:  # nothing said on stderr
        if body is not None:
            cache.put(body)
        # the index for other dates: once the data is known to stay (a first load after
        # an edit does not pay for it: 0.5 s at 30,000 tasks)
        if index is not None and dataset.restored:
            columns = indexed.index_bytes(dataset, decision, lead)
            if columns is not None:  # (none when parent links form a cycle)
                index.put(columns)
    if body is not None:
        write_stdout(body)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
