"""The index's trend chart: one line per series, scaled to the largest count."""

from __future__ import annotations

from nq57.render.trend_chart import trend_chart

from conftest import FIXTURES, invoke


def rows(*counts: tuple[int, int, int]) -> list[dict]:
    return [
        {"date": f"3{i}/01/2025", "overdue": o, "open": p, "done": d}
        for i, (o, p, d) in enumerate(counts)
    ]


def test_lines_span_the_plot_and_scale_to_the_highest_count():
    chart = trend_chart(rows((0, 10, 0), (5, 5, 0)))
    assert chart is not None and chart["high"] == 10
    lines = {line["key"]: line["points"].split() for line in chart["lines"]}
    plot = chart["plot"]
    bottom = plot["y"] + plot["h"]
    assert lines["open"] == [
        f"{plot['x']},{plot['y']}",
        f"{plot['x'] + plot['w']},{(plot['y'] + bottom) / 2:g}",
    ]
    assert lines["done"][0].endswith(f",{bottom}")


def test_one_month_end_draws_nothing():
    assert trend_chart(rows((1, 2, 3))) is None


def test_the_index_shows_the_chart(tmp_path, capsys):
    out = tmp_path / "site"
    code, _, err = invoke(
        capsys, "site", "--data", str(FIXTURES / "cycle"), "--as-of", "2025-09-15", "-o", str(out)
    )
    assert code == 0, err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="trend-chart"' in page and page.count("<polyline") == 3
