"""`nq57 search`'s results as a rich table or a JSON document."""

from __future__ import annotations

import json

from rich import box
from rich.table import Table

from nq57.analysis.search import Hit
from nq57.i18n import t

KIND_LABELS = {
    "task": "search.kind.task",
    "kpi": "search.kind.kpi",
    "decision": "search.kind.decision",
}


def hits_json(text: str, hits: list[Hit], shown: list[Hit]) -> str:
    """The query, how many entities match, and the ones shown."""
    payload = {"query": text, "total": len(hits), "results": [h.record() for h in shown]}
    return json.dumps(payload, ensure_ascii=False, indent=2)


def hits_table(text: str, hits: list[Hit], shown: list[Hit]) -> Table:
    """The hits shown, one row each, with how many more there are as the caption."""
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
    return table
