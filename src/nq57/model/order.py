"""The house key order of data files, as plain tuples (what `nq57 fmt` writes).

`nq57 fmt` needs only these names, not the models: importing pydantic and building the
models would be most of the time `fmt --check` takes on a few thousand files. The
order is the models' (`nq57.model.entities`: the contract order, the documented optional
fields in model order, the growing logs last); `tests/model/test_order.py` checks that
these tuples are exactly what the models give, so a new field fails there until it is
added here.
"""

from __future__ import annotations

# kind of file -> its top-level keys in order
TOP_ORDER: dict[str, tuple[str, ...]] = {
    "task": (
        "id",
        "decision",
        "ref",
        "section",
        "title",
        "lead",
        "support",
        "output",
        "approver",
        "deadline",
        "due",
        "parent",
        "weight",
        "kpis",
        "status",
        "completed",
        "ref_derived",
        "section_title",
        "appendix",
        "title_raw_html",
        "lead_note",
        "transferred_from",
        "focal",
        "focal_note",
        "objective",
        "approval",
        "project_kind",
        "group",
        "note",
        "source_line",
        "body_ref",
        "updates",
    ),
    "kpi": (
        "id",
        "decision",
        "ref",
        "section",
        "name",
        "unit",
        "target",
        "year",
        "owner",
        "owner_note",
        "support",
        "parent",
        "baseline",
        "targets",
        "section_title",
        "appendix",
        "note",
        "source_line",
        "measurements",
    ),
    "decision": (
        "id",
        "number",
        "type",
        "issuer",
        "issued",
        "title",
        "signer",
        "signer_title",
        "implements",
        "supersedes",
        "amends",
        "based_on",
        "reporting",
        "effective",
        "period",
        "source",
        "references",
        "notes",
    ),
    "agencies": ("agencies",),
}
# (kind, top-level key) -> field order of the mappings found there
NESTED_ORDER: dict[tuple[str, str], tuple[str, ...]] = {
    ("task", "updates"): ("date", "status", "progress", "note", "kind"),
    ("kpi", "measurements"): ("date", "value", "source", "label", "note"),
    ("kpi", "baseline"): ("value", "date", "source"),
    ("kpi", "targets"): ("year", "target"),
    ("decision", "reporting"): (
        "frequency",
        "due_day",
        "for_period",
        "month_of_quarter",
        "dates",
        "to",
        "via",
        "scope",
        "text",
        "filed",
    ),
    ("decision", "period"): ("start", "end"),
    ("agencies", "agencies"): ("name", "short", "aliases", "kind", "parent", "successor", "note"),
}
