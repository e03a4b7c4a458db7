"""KPI pace: judged against the straight line (or interim targets) to the target."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq57.analysis.kpis import assess
from nq57.analysis.pace import expected_on, kpi_pace
from nq57.model.entities import Kpi

from conftest import invoke

D = dt.date


def kpi(target: str, measurements: list[tuple[D, float]], year: int = 2030, **more) -> Kpi:
    return Kpi.model_validate(
        {
            "id": "K/1",
            "decision": "K",
            "ref": "1",
            "name": "Tỷ lệ dịch vụ công trực tuyến toàn trình",
            "target": target,
            "year": year,
            "measurements": [{"date": d, "value": v} for d, v in measurements],
            **more,
        }
    )


BASE = {"baseline": {"value": 40, "date": D(2024, 12, 31)}}


def test_on_the_line_between_baseline_and_target():
    # 40 at the end of 2024 to 80 at the end of 2030: 60 is due at the end of 2027.
    for value, pace in ((66, "ahead"), (61, "on_track"), (55, "behind")):
        p = kpi_pace(kpi("≥ 80", [(D(2027, 12, 31), value)], **BASE), D(2028, 1, 15))
        assert (p.status, p.target, p.target_year) == (pace, 80, 2030)
        assert p.expected == pytest.approx(60, abs=0.05)  # leap days make it 59.99


def test_a_2030_target_in_2025_is_not_judged_as_missed():
    state = assess(kpi("≥ 80", [(D(2025, 6, 30), 43)], **BASE), D(2025, 7, 1))
    assert state.meets is False
    assert state.pace.status == "on_track" and not state.off_track


def test_the_assessment_is_by_pace_until_the_target_year_is_over():
    """Never "Chưa đạt" (not met) for a 2030 target in 2025: on or behind its pace."""
    cases = [
        ([(D(2025, 6, 30), 47)], D(2025, 7, 1), "on_pace"),  # ahead of the line
        ([(D(2025, 6, 30), 43)], D(2025, 7, 1), "on_pace"),  # on it
        ([(D(2027, 12, 31), 55)], D(2028, 1, 15), "behind_pace"),
        ([(D(2030, 12, 1), 79)], D(2031, 1, 2), "not_met"),  # the year is over
        ([(D(2026, 3, 1), 81)], D(2026, 3, 2), "met"),
    ]
    for measurements, as_of, klass in cases:
        assert assess(kpi("≥ 80", measurements, **BASE), as_of).klass == klass, measurements
    no_line = kpi("≥ 80", [(D(2025, 6, 30), 43)])  # no dated baseline, one measurement
    assert assess(no_line, D(2025, 7, 1)).klass == "undecided"  # 2030: no verdict yet
    in_year = kpi("≥ 80", [(D(2025, 6, 30), 43)], year=2025)
    assert assess(in_year, D(2025, 7, 1)).klass == "not_met"  # not met yet, in its year


def test_after_the_target_year_a_shortfall_is_behind():
    state = assess(kpi("≥ 80", [(D(2030, 12, 1), 79)], **BASE), D(2031, 1, 2))
    assert state.pace.status == "behind" and state.off_track


def test_reaching_the_target_early_is_met():
    p = kpi_pace(kpi("≥ 80", [(D(2026, 3, 1), 81)], **BASE), D(2026, 3, 2))
    assert p.status == "met"


def test_interim_targets_shape_the_line():
    interim = {"targets": [{"year": 2026, "target": "≥ 70"}], **BASE}
    p = kpi_pace(kpi("≥ 80", [(D(2026, 12, 31), 65)], **interim), D(2027, 1, 1))
    assert p.expected == 70.0 and p.status == "behind"
    assert (p.target, p.target_year) == (70, 2026)
    assert [v for _, v in p.trajectory] == [40.0, 70.0, 80.0]


def test_targets_printed_per_year_are_interim_targets():
    p = kpi_pace(
        kpi(
            "2030: ≥ 3; 2045: ≥ 5",
            [(D(2030, 12, 31), 3.2)],
            year=2045,
            baseline={"value": 1, "date": D(2025, 12, 31)},
        ),
        D(2031, 1, 1),
    )
    assert [(d.year, v) for d, v in p.trajectory] == [(2025, 1.0), (2030, 3.0), (2045, 5.0)]
    assert p.expected == 3.0 and p.status == "ahead"


def test_a_rank_goes_down():
    rank = kpi("≤ 50", [(D(2027, 12, 31), 52)], baseline={"value": 60, "date": D(2024, 12, 31)})
    p = kpi_pace(rank, D(2028, 1, 1))
    assert p.expected == pytest.approx(55, abs=0.05) and p.status == "ahead"


def test_one_measurement_and_no_dated_baseline_is_unknown():
    p = kpi_pace(kpi("≥ 80", [(D(2025, 6, 30), 43)], baseline={"value": 40}), D(2025, 7, 1))
    assert p.status == "unknown" and p.expected is None


def test_trend_of_the_last_measurements():
    rows = [(D(2025, 3, 31), 41), (D(2025, 6, 30), 45), (D(2025, 9, 30), 44)]
    assert kpi_pace(kpi("≥ 80", rows, **BASE), D(2025, 10, 1)).trend == "up"
    assert kpi_pace(kpi("≥ 80", rows[1:], **BASE), D(2025, 10, 1)).trend == "down"


def test_qualitative_targets_have_no_pace():
    p = kpi_pace(kpi("Đạt mức trên trung bình của thế giới", [(D(2025, 6, 30), 1)]), D(2026, 1, 1))
    assert p.status == "unknown" and p.trajectory == ()


@given(
    start=st.floats(0, 1000, allow_nan=False),
    goal=st.floats(0, 1000, allow_nan=False),
    day=st.dates(D(2025, 1, 1), D(2030, 12, 31)),
)
def test_the_expected_value_lies_between_start_and_goal(start, goal, day):
    k = kpi(
        f"≥ {goal:.3f}".replace(".", ","), [], baseline={"value": start, "date": D(2024, 12, 31)}
    )
    p = kpi_pace(k, day)
    expected = expected_on(p, day)
    if len(p.trajectory) == 2:
        low, high = sorted((p.trajectory[0][1], p.trajectory[1][1]))
        assert expected is not None and low - 1e-4 <= expected <= high + 1e-4


def test_show_prints_measurements_beside_the_trajectory(in_fixtures, capsys):
    code, out, _ = invoke(
        capsys, "show", "NEW/share", "--kind", "kpi", "--data", "status", "--as-of", "2025-09-01"
    )
    assert code == 0
    assert "Lộ trình: Chậm so với lộ trình" in out
    assert "Số đo và lộ trình" in out and "30/08/2025" in out and "70" in out
    code, out, _ = invoke(
        capsys,
        "show",
        "NEW/share",
        "--kind",
        "kpi",
        "--data",
        "status",
        "--as-of",
        "2025-09-01",
        "--format",
        "json",
    )
    computed = json.loads(out)["computed"]
    assert computed["pace"] == "behind" and computed["trajectory"][0]["value"] == 85


def test_show_prints_nested_fields_as_text_not_python(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "show", "NEW/share", "--kind", "kpi", "--data", "status")
    assert code == 0
    assert "value: 40" in out and "{'value'" not in out
