"""The KPI chart of the site: measurements against the trajectory from analysis.pace."""

from __future__ import annotations

import datetime as dt

from nq57.analysis.kpis import assess
from nq57.model.entities import Kpi
from nq57.render.kpi_chart import HEIGHT, LEFT, WIDTH, pace_chart

from conftest import FIXTURES, invoke

D = dt.date


def _kpi(**extra) -> Kpi:
    fields = {
        "id": "DEC-A/1",
        "decision": "DEC-A",
        "ref": "1",
        "name": "Tỷ lệ dịch vụ công trực tuyến",
        "target": "≥ 80",
        "year": 2030,
        "baseline": {"value": 40, "date": "2024-12-31"},
        "measurements": [
            {"date": "2025-06-30", "value": 45},
            {"date": "2025-12-31", "value": 50},
        ],
    }
    return Kpi.model_validate({**fields, **extra})


def test_chart_draws_measurements_and_trajectory_inside_the_box():
    state = assess(_kpi(), D(2026, 1, 15))
    chart = pace_chart(state, D(2026, 1, 15))
    assert chart is not None and chart["pace"] == state.pace.status
    assert chart["trajectory"] and chart["measured"]
    assert [d["title"] for d in chart["dots"]] == ["30/06/2025: 45", "31/12/2025: 50"]
    for pair in (chart["trajectory"] + " " + chart["measured"]).split():
        x, y = (float(v) for v in pair.split(","))
        assert LEFT <= x <= WIDTH and 0 <= y <= HEIGHT
    assert (chart["first"], chart["last"], chart["low"], chart["high"]) == (
        "2024",
        "2030",
        "40",
        "80",
    )
    # the trajectory rises from the baseline (bottom left) to the target (top right)
    start, end = chart["trajectory"].split()[0], chart["trajectory"].split()[-1]
    assert float(start.split(",")[1]) > float(end.split(",")[1])


def test_no_chart_without_a_line_to_draw():
    kpi = _kpi(target="Hoàn thành", baseline=None, measurements=[])
    assert pace_chart(assess(kpi, D(2026, 1, 15)), D(2026, 1, 15)) is None


def test_kpis_page_has_a_pace_column_with_charts(tmp_path, capsys):
    out = tmp_path / "site"
    code, _, err = invoke(
        capsys, "site", "-d", str(FIXTURES / "status"), "--as-of", "2025-09-30", "-o", str(out)
    )
    assert code == 0, err
    page = (out / "kpis.html").read_text(encoding="utf-8")
    assert page.count('class="pace-chart"') >= 1 and "stroke-dasharray" in page
