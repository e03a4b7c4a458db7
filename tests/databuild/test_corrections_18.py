"""Row fixes and cross-plan links recorded for issue #18, as `make data` rebuilds them
from data/sources (each one a correction with its reason, or a parser rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from databuild.build import parse_document

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


@pytest.fixture(scope="module")
def built():
    def rows(decision_id: str) -> dict[tuple[str, str], dict]:
        return {(r.kind, r.key): r.fields for r in parse_document(SOURCES, decision_id)}

    return {d: rows(d) for d in ("1057-QD-BTC-2025", "1754-QD-BTC-2025")}


def test_1057_ii_4_lead_alone_the_units_it_works_with_support(built):
    row = built["1057-QD-BTC-2025"][("task", "II-4")]
    assert row["lead"] == ["Vụ Tài chính - Kinh tế ngành"]
    assert row["support"] == ["Vụ I", "Vụ NSNN", "Các đơn vị liên quan"]
    assert row["lead_note"].startswith("Vụ Tài chính - Kinh tế ngành chủ trì, phối hợp với")


def test_1754_7_9_2_names_the_foreign_investment_department(built):
    rows = built["1754-QD-BTC-2025"]
    assert "Cục ĐTNN" in rows[("task", "pl02-7.9-2")]["lead"]
    assert "Cục DTNN" not in rows[("task", "pl02-7.9-2")]["lead"]
    # elsewhere "Cục DTNN" is the state reserve and stays as printed
    others = [r for k, r in rows.items() if k[1] != "pl02-7.9-2"]
    assert any("Cục DTNN" in r.get("lead", []) for r in others)


def test_1754_budget_share_kpi_is_71_kpi_17(built):
    kpi = built["1754-QD-BTC-2025"][("kpi", "III.2-1")]
    assert kpi["parent"] == "71-NQ-CP-2025/17"
    assert kpi["unit"] == "% tổng chi ngân sách"


def test_cross_plan_link_decisions(built):
    t1057 = {k[1]: r for k, r in built["1057-QD-BTC-2025"].items() if k[0] == "task"}
    t1754 = {k[1]: r for k, r in built["1754-QD-BTC-2025"].items() if k[0] == "task"}
    assert t1057["II-18"]["parent"] == "07-CT-TTg-2025/B-65"  # Bộ Tài chính leads there
    assert t1057["II-2"]["parent"] == "71-NQ-CP-2025/23"
    assert t1057["III-17"]["parent"] == "71-NQ-CP-2025/165"
    assert t1754["pl02-1.5"]["parent"] == "71-NQ-CP-2025/3"  # kept
    for key in ("pl02-5.10", "pl01-I-14"):
        assert t1754[key]["parent"] == "71-NQ-CP-2025/89-37"
    for key in ("pl02-5.18", "pl01-I-13"):
        assert t1754[key]["parent"] == "71-NQ-CP-2025/89-33"


def test_rows_printed_without_a_number_get_a_derived_ref(built):
    tasks = [r for k, r in built["1754-QD-BTC-2025"].items() if k[0] == "task"]
    derived = [r for r in tasks if r.get("ref_derived")]
    assert len(derived) == 66
    assert all(r["ref"] for r in tasks)
    assert {r["ref"] for r in derived} >= {"7.9 (2)", "X (1)", "18 (1)"}
