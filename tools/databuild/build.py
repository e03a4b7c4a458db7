"""Rebuild ``data/tasks`` and ``data/kpis`` from the source texts.

``python -m databuild.build [--sources data/sources] [--out data]``
(``make data``) parses each source document with its layout parser, applies the
recorded corrections in ``<sources>/corrections/<decision-id>.yaml`` and writes
one YAML file per task and KPI. Decisions and agencies are hand-kept files and
are not touched.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ruamel.yaml import YAML

from nq57.edit.fmt import canonical_order
from nq57.edit.tables.common import KPI_ORDER, TASK_ORDER, Record, apply_corrections, ordered
from nq57.io.yamlio import dump_mapping, round_trip_yaml

# decision id -> parser module (databuild.<module>); source = <id>.txt
DOCUMENTS: dict[str, str] = {
    "1057-QD-BTC-2025": "doc_1057",
    "71-NQ-CP-2025": "doc_71",
    "07-CT-TTg-2025": "doc_07",
    "1754-QD-BTC-2025": "doc_1754",
    "3392-QD-BKHCN-2023": "doc_3392",
}


def load_corrections(sources: Path, decision_id: str) -> list[dict]:
    path = sources / "corrections" / f"{decision_id}.yaml"
    if not path.exists():
        return []
    return YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []


def parse_document(sources: Path, decision_id: str) -> list[Record]:
    module = importlib.import_module(f"databuild.{DOCUMENTS[decision_id]}")
    text = (sources / f"{decision_id}.txt").read_text(encoding="utf-8")
    records = module.parse(text)
    return apply_corrections(records, load_corrections(sources, decision_id))


# Fields analysts record after import; a rebuild keeps them (no progress is ever lost).
TRACKING = ("due", "kpis", "status", "completed", "updates", "baseline", "measurements")


def _tracked(path: Path) -> dict:
    """The tracking fields of an existing file (values keep their inner comments)."""
    try:
        document = round_trip_yaml().load(path.read_text(encoding="utf-8"))
    except Exception:  # an unreadable file is kept as it is, see write_records
        return {"__unreadable__": True}
    if not isinstance(document, dict):
        return {"__unreadable__": True}
    return {k: document[k] for k in TRACKING if k in document}


class BuildError(ValueError):
    """The sources cannot be turned into data files (the message says why)."""


def write_records(out: Path, decision_id: str, records: list[Record]) -> list[str]:
    """Write one file per record; keep recorded progress; return notes for the user.

    Files of records that no longer exist are removed unless they hold progress.
    """
    notes: list[str] = []
    for kind, folder in (("task", "tasks"), ("kpi", "kpis")):
        target = out / folder / decision_id
        existing = {p.stem: p for p in target.glob("*.yaml")} if target.exists() else {}
        chosen = [r for r in records if r.kind == kind]
        seen: set[str] = set()
        for record in chosen:
            if record.key in seen:
                raise BuildError(f"{decision_id}: duplicate {kind} key {record.key!r}")
            seen.add(record.key)
        for stem, path in existing.items():
            if stem not in seen:
                if _tracked(path):
                    notes.append(f"kept {path}: it is no longer in the source but holds progress")
                else:
                    path.unlink()
        if chosen:
            target.mkdir(parents=True, exist_ok=True)
        for record in chosen:
            path = target / f"{record.key}.yaml"
            fields = ordered(record, decision_id)
            tracked = _tracked(path) if path.exists() else {}
            if tracked.pop("__unreadable__", False):
                notes.append(f"skipped {path}: it is not valid YAML; fix it and rebuild")
                continue
            if tracked:
                fields = _merge(fields, tracked, TASK_ORDER if kind == "task" else KPI_ORDER)
            path.write_text(dump_mapping(fields), encoding="utf-8")
    return notes


def _merge(fields: dict, tracked: dict, order: tuple[str, ...]) -> dict:
    merged = {**fields, **tracked}
    return {k: merged[k] for k in canonical_order(merged, order)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=Path("data/sources"))
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("documents", nargs="*", help="decision ids (default: all)")
    args = parser.parse_args(argv)
    for decision_id in args.documents or DOCUMENTS:
        records = parse_document(args.sources, decision_id)
        try:
            notes = write_records(args.out, decision_id, records)
        except BuildError as exc:  # the only place the build stops: the command line
            print(exc, file=sys.stderr)
            return 1
        for note in notes:
            print(f"{decision_id}: {note}", file=sys.stderr)
        tasks = sum(r.kind == "task" for r in records)
        kpis = sum(r.kind == "kpi" for r in records)
        print(f"{decision_id}: {tasks} tasks, {kpis} KPIs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
