"""Rebuild ``data/tasks`` and ``data/kpis`` from the source texts.

``python -m nq57.importer.build [--sources data/sources] [--out data]``
(``make data``) parses each source document with its layout parser, applies the
recorded corrections in ``<sources>/corrections/<decision-id>.yaml`` and writes
one YAML file per task and KPI. Decisions and agencies are hand-kept files and
are not touched.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
from pathlib import Path

from ruamel.yaml import YAML

from nq57.importer.common import Record, apply_corrections
from nq57.yamlio import dump_mapping

# decision id -> parser module (nq57.importer.<module>); source = <id>.txt
DOCUMENTS: dict[str, str] = {
    "1057-QD-BTC-2025": "doc_1057",
    "71-NQ-CP-2025": "doc_71",
    "07-CT-TTg-2025": "doc_07",
    "1754-QD-BTC-2025": "doc_1754",
    "3392-QD-BKHCN-2023": "doc_3392",
}

TASK_ORDER = [
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
    "kpis",
    "status",
    "completed",
]
KPI_ORDER = [
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
    "measurements",
]


def load_corrections(sources: Path, decision_id: str) -> list[dict]:
    path = sources / "corrections" / f"{decision_id}.yaml"
    if not path.exists():
        return []
    return YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []


def parse_document(sources: Path, decision_id: str) -> list[Record]:
    module = importlib.import_module(f"nq57.importer.{DOCUMENTS[decision_id]}")
    text = (sources / f"{decision_id}.txt").read_text(encoding="utf-8")
    records = module.parse(text)
    return apply_corrections(records, load_corrections(sources, decision_id))


def ordered(record: Record, decision_id: str) -> dict:
    base = {"id": f"{decision_id}/{record.key}", "decision": decision_id, **record.fields}
    order = TASK_ORDER if record.kind == "task" else KPI_ORDER
    known = [k for k in order if k in base]
    rest = [k for k in base if k not in order]
    return {k: base[k] for k in known + rest if base[k] not in (None, [], {})}


def write_records(out: Path, decision_id: str, records: list[Record]) -> None:
    for kind, folder in (("task", "tasks"), ("kpi", "kpis")):
        target = out / folder / decision_id
        if target.exists():
            shutil.rmtree(target)
        chosen = [r for r in records if r.kind == kind]
        if not chosen:
            continue
        target.mkdir(parents=True)
        seen: set[str] = set()
        for record in chosen:
            if record.key in seen:
                raise SystemExit(f"{decision_id}: duplicate {kind} key {record.key!r}")
            seen.add(record.key)
            text = dump_mapping(ordered(record, decision_id))
            (target / f"{record.key}.yaml").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=Path("data/sources"))
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("documents", nargs="*", help="decision ids (default: all)")
    args = parser.parse_args(argv)
    for decision_id in args.documents or DOCUMENTS:
        records = parse_document(args.sources, decision_id)
        write_records(args.out, decision_id, records)
        tasks = sum(r.kind == "task" for r in records)
        kpis = sum(r.kind == "kpi" for r in records)
        print(f"{decision_id}: {tasks} tasks, {kpis} KPIs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
