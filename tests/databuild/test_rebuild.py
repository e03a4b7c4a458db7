"""`make data` is reproducible: regenerating from data/sources gives the committed files.

This is the one test that reads the real data/ folder, on purpose: it guards that
nobody hand-edits imported files without a recorded correction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from databuild.build import DOCUMENTS, parse_document, write_records

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"

# Rows as printed in the appendix tables (../shared/seeds/INVENTORY.md).
TASK_COUNTS = {
    "1057-QD-BTC-2025": 41,
    "71-NQ-CP-2025": 329,
    "07-CT-TTg-2025": 112,
    "1754-QD-BTC-2025": 45 + 130 + 14,
    "3392-QD-BKHCN-2023": 65,
}
KPI_COUNTS = {
    "1057-QD-BTC-2025": 3,
    "71-NQ-CP-2025": 54,
    "1754-QD-BTC-2025": 12,
    "3392-QD-BKHCN-2023": 4,
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yaml")}


@pytest.mark.parametrize("decision_id", list(DOCUMENTS))
def test_regenerating_gives_the_committed_files(decision_id, tmp_path):
    records = parse_document(SOURCES, decision_id)
    write_records(tmp_path, decision_id, records)
    for folder in ("tasks", "kpis"):
        built = (
            _tree(tmp_path / folder / decision_id)
            if (tmp_path / folder / decision_id).exists()
            else {}
        )
        committed_dir = ROOT / "data" / folder / decision_id
        committed = _tree(committed_dir) if committed_dir.exists() else {}
        assert sorted(built) == sorted(committed), f"{folder}: files differ; run `make data`"
        changed = [name for name in built if built[name] != committed[name]]
        assert not changed, f"{folder}: {changed[:5]} differ from a rebuild; run `make data`"


@pytest.mark.parametrize("decision_id", list(DOCUMENTS))
def test_table_row_counts(decision_id):
    records = parse_document(SOURCES, decision_id)
    appendix_tasks = [r for r in records if r.kind == "task" and r.fields.get("section") != "body"]
    assert len(appendix_tasks) == TASK_COUNTS[decision_id]
    assert sum(r.kind == "kpi" for r in records) == KPI_COUNTS.get(decision_id, 0)


def test_no_progress_is_invented():
    for decision_id in DOCUMENTS:
        for record in parse_document(SOURCES, decision_id):
            assert not {"status", "completed", "updates", "measurements"} & set(record.fields)


def test_rebuild_keeps_recorded_progress(tmp_path):
    decision_id = "1057-QD-BTC-2025"
    records = parse_document(SOURCES, decision_id)
    write_records(tmp_path, decision_id, records)
    task = tmp_path / "tasks" / decision_id / "II-3.yaml"
    progress = (
        "status: in_progress\n"
        "updates:\n"
        "  - date: 2025-09-30  # báo cáo tháng 9\n"
        "    progress: 40\n"
        "    note: Đã trình Chính phủ\n"
    )
    task.write_text(task.read_text(encoding="utf-8") + progress, encoding="utf-8")
    orphan = tmp_path / "tasks" / decision_id / "gone.yaml"
    orphan.write_text("id: x\nupdates:\n  - date: 2025-01-01\n", encoding="utf-8")
    stale = tmp_path / "tasks" / decision_id / "stale.yaml"
    stale.write_text("id: y\n", encoding="utf-8")

    notes = write_records(tmp_path, decision_id, records)

    text = task.read_text(encoding="utf-8")
    assert "status: in_progress" in text
    assert "# báo cáo tháng 9" in text and "note: Đã trình Chính phủ" in text
    assert orphan.exists() and any("gone.yaml" in n for n in notes)
    assert not stale.exists()


def test_committed_data_is_in_the_canonical_style(capsys):
    from nq57.cli.app import run

    assert run(["fmt", "--check", "--data", str(ROOT / "data")]) == 0, capsys.readouterr().out
