"""`nq57 search TEXT`: find tasks, KPIs and decisions by words, accents optional."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from nq57.cli.common import DataOption, NoCacheOption, UserError, load_data

WIDTH = 100
KIND_LABELS = {"task": "Nhiệm vụ", "kpi": "Chỉ tiêu", "decision": "Văn bản"}


class SearchFormat(StrEnum):
    table = "table"
    json = "json"


def search(
    text: Annotated[
        str, typer.Argument(help="Từ cần tìm (words to find; accents and case are ignored).")
    ],
    data: DataOption = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Results shown (0 = all).")] = 20,
    format: Annotated[
        SearchFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SearchFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Tìm kiếm — find tasks, KPIs and decisions by words in any text field.

    Accents and case do not matter ("chuyen doi so" finds "chuyển đổi số", "d" finds
    "đ"); every word must occur, each at the start of a word. Matches in the title or
    name come first, then the rest, by id.

    Examples:

      nq57 search "chuyen doi so"

      nq57 search "hoa don dien tu" --limit 0

      nq57 search "cuc thue" --format json
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from nq57 import search as logic

    if not logic.query_words(text):
        raise UserError("give at least one word to search for", 2)
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    hits = logic.search(dataset, text)
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
        typer.echo(f"Không tìm thấy kết quả cho “{text}” (no match).")
        return
    table = Table(
        title=f"{len(hits)} kết quả cho “{text}”",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("Loại", no_wrap=True)
    table.add_column("Mã", no_wrap=True, max_width=28)
    table.add_column("Trường", no_wrap=True, max_width=16)
    table.add_column("Đoạn khớp (snippet)")
    for h in shown:
        table.add_row(KIND_LABELS[h.kind], h.id, h.field, h.snippet)
    if len(shown) < len(hits):
        table.caption = f"… và {len(hits) - len(shown)} kết quả khác (--limit 0: xem tất cả)"
    Console(width=WIDTH, highlight=False).print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
