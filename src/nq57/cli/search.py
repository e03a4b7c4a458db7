"""`nq57 search TEXT`: find tasks, KPIs and decisions by words, accents optional."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, UserError, load_data
from nq57.cli.lazy import lazy
from nq57.i18n import t

json = lazy("json")
logic = lazy("nq57.analysis.search")
console = lazy("nq57.render.status")

KIND_LABELS = {
    "task": "search.kind.task",
    "kpi": "search.kind.kpi",
    "decision": "search.kind.decision",
}


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
    from rich import box
    from rich.table import Table

    if not logic.query_words(text):
        raise UserError(t("search.no_words"), 2)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    kinds = tuple(k for k in logic.KINDS if not kind or k in kind)
    hits = logic.search(dataset, text, kinds)
    shown = hits if limit == 0 else hits[:limit]
    if format is SearchFormat.json:
        payload = {
            "query": text,
            "total": len(hits),
            "results": [h.record() for h in shown],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo(t("search.no_match", text=text))
        return
    table = Table(
        title=t("search.title", count=len(hits), text=text),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column(t("search.column.kind"), no_wrap=True)
    table.add_column(t("search.column.id"), no_wrap=True, max_width=28)
    table.add_column(t("search.column.field"), no_wrap=True, max_width=16)
    table.add_column(t("search.column.snippet"))
    for h in shown:
        table.add_row(t(KIND_LABELS[h.kind]), h.id, h.field, h.snippet)
    if len(shown) < len(hits):
        table.caption = t("search.more", count=len(hits) - len(shown))
    console.make_console().print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
