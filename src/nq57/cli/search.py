"""`nq57 search TEXT`: find tasks, KPIs and decisions by words, accents optional."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, UserError, load_data
from nq57.cli.lazy import lazy
from nq57.i18n import t

logic = lazy("nq57.analysis.search")
render = lazy("nq57.render.search")
console = lazy("nq57.render.status")


class Kind(StrEnum):
    task = "task"
    kpi = "kpi"
    decision = "decision"


class SearchFormat(StrEnum):
    table = "table"
    json = "json"


def search(
    text: Annotated[str, typer.Argument(metavar="TEXT")],
    data: DataOption = None,
    kind: Annotated[
        list[Kind] | None, typer.Option("--kind", "-k", metavar="task|kpi|decision")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, metavar="N")] = 20,
    format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 search`: find entities by words (help text: help.search in the catalogue)."""
    if not logic.query_words(text):
        raise UserError(t("search.no_words"), 2)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    kinds = tuple(k for k in logic.KINDS if not kind or k in kind)
    hits = logic.search(dataset, text, kinds)
    shown = hits if limit == 0 else hits[:limit]
    if format is SearchFormat.json:
        typer.echo(render.hits_json(text, hits, shown))
    elif not hits:
        typer.echo(t("search.no_match", text=text))
    else:
        console.make_console().print(render.hits_table(text, hits, shown))


def register(app: typer.Typer) -> None:
    app.command("search")(search)
