"""Any filled form either ingests into data that validates, or is refused with nothing
written; an ingested form ingested again changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nq57.analysis.forms import build_form
from nq57.check.pipeline import load
from nq57.edit.ingest import Cell, ingest, parse_kind, parse_progress, parse_status, read_form
from nq57.render.form import form_csv

from conftest import FIXTURES

AS_OF = dt.date(2025, 9, 30)
CUC = "Cục Tin học và Thống kê tài chính"

_dates = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)).map(lambda d: f"{d:%d/%m/%Y}")
_note = st.text(
    st.characters(exclude_categories=("Cs",)), max_size=30
)  # control characters included: the edit refuses what YAML cannot hold
_bad = st.sampled_from
TASK_CELLS = {  # mostly values a clerk would type, sometimes not
    "status": st.one_of(
        st.sampled_from(["", "Đang thực hiện (in_progress)", "in_progress", "Hoàn thành"]),
        _bad(["done", "Đã hủy", "xong", "IN_PROGRESS"]),
    ),
    "progress": st.one_of(
        st.integers(0, 100).map(str),
        st.integers(0, 100).map(lambda n: f"{n}%"),
        _bad(["", "-5", "105", "12.5", "abc"]),
    ),
    "completed": st.one_of(st.just(""), _dates, _bad(["31/02/2025", "2025-09-30"])),
    "note": st.one_of(st.just(""), _note),
    "kind": st.sampled_from(["", "difficulty", "Kết quả", "rủi ro"]),
}
KPI_CELLS = {
    "value": st.one_of(
        st.integers(-1000, 1000).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
        _bad(["", "1.500", "0,7", "abc", "nan"]),
    ),
    "date": st.one_of(st.just(""), _dates),
    "source": st.one_of(st.just(""), _note),
}


@pytest.fixture(scope="module")
def blank_form() -> str:
    data = load([FIXTURES / "cycle"], use_cache=False)
    return form_csv(build_form(data, AS_OF, [CUC])).decode("utf-8-sig")


@st.composite
def fillings(draw) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for entity in ("KH-1/1.2", "KH-1/4", "KH-2/1", "KH-1/1"):
        if draw(st.integers(0, 2)) == 0:  # most rows of a real form stay empty
            rows[f"task:{entity}"] = {
                k: draw(v) for k, v in TASK_CELLS.items() if draw(st.booleans())
            }
    if draw(st.booleans()):
        rows["kpi:KH-1/1"] = {k: draw(v) for k, v in KPI_CELLS.items() if draw(st.booleans())}
    return rows


def _filled(blank: str, rows: dict[str, dict[str, str]]) -> str:
    lines = list(csv.reader(io.StringIO(blank)))
    header: list[str] = []
    for line in lines:
        if "id" in line and ("status" in line or "value" in line):
            header, table = line, ("kpi" if "value" in line else "task")
        elif header and line:
            for key, value in rows.get(f"{table}:{line[0]}", {}).items():
                line[header.index(key)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(lines)
    return buf.getvalue()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=fillings())
def test_a_filled_form_ingests_into_valid_data_or_changes_nothing(
    blank_form, tmp_path_factory, rows
):
    folder = tmp_path_factory.mktemp("ingest") / "data"
    shutil.copytree(FIXTURES / "cycle", folder)
    form_path = folder.parent / "form.csv"
    form_path.write_text(_filled(blank_form, rows), encoding="utf-8-sig")
    before = _snapshot(folder)
    result = ingest(load([folder], use_cache=False), [read_form(form_path)])
    event("refused" if result.errors else "ingested")
    if result.errors:
        assert _snapshot(folder) == before
        return
    after = load([folder], use_cache=False)
    assert [d.format() for d in after.diagnostics if d.is_error] == []
    again = ingest(after, [read_form(form_path)])
    assert again.errors == [] and again.changes == []


@pytest.mark.parametrize(
    "text, status",
    [
        ("done", "done"),
        ("Hoàn thành", "done"),
        ("hoan thanh", "done"),
        ("Đang thực hiện (in_progress)", "in_progress"),
        ("In progress", "in_progress"),
        ("  Đã hủy ", "cancelled"),
        ("xong", None),
        (5, None),
    ],
)
def test_statuses_are_read_as_codes_labels_or_both(text, status):
    assert parse_status(text) == status


def test_kinds_and_progress():
    assert parse_kind("Khó khăn, vướng mắc (difficulty)") == "difficulty"
    assert parse_kind("Đề xuất, kiến nghị") == "proposal"
    assert parse_progress(Cell("40%", "x")) == 40
    assert parse_progress(Cell(0.4, "x", "0%")) == 40
    assert parse_progress(Cell(40.0, "x")) == 40
    for bad in ("40.5", "101", "-1", "abc", True):
        with pytest.raises(ValueError):
            parse_progress(Cell(bad, "x"))
