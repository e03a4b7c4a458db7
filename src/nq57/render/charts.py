"""Charts of the monthly report as PNG bytes: task classes per agency, KPI attainment.

Deterministic: matplotlib's Agg canvas used directly (no pyplot, no global
backend switch), a fixed figure size and resolution, and no "Software" or date
entry in the PNG metadata — the same context gives the same bytes on one machine.
The font is the document's (Times New Roman), else its metric twin Liberation Serif,
else DejaVu Serif, which ships with matplotlib (all have every Vietnamese letter).
Agencies are named as in the report's tables (registry names).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; harmless when pyplot is never imported

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nq57.analysis.labels import group_label  # noqa: E402
from nq57.analysis.report import GROUP_COLUMNS  # noqa: E402
from nq57.i18n import language, t  # noqa: E402

WIDTH_IN, HEIGHT_IN, DPI = 6.3, 4.2, 150  # 16 cm wide: the text width of an A4 report
MAX_AGENCIES = 12
COLORS = {
    "done_on_time": "#1a9850",
    "done_late": "#a6d96a",
    "overdue": "#d73027",
    "due_soon": "#fdae61",
    "on_track": "#4575b4",
    "no_deadline": "#bdbdbd",
    "cancelled": "#e0e0e0",
    "met": "#1a9850",
    "on_pace": "#91cf60",
    "behind_pace": "#fc8d59",
    "not_met": "#d73027",
    "undecided": "#fdae61",
    "no_data": "#bdbdbd",
}
FONTS = ("Times New Roman", "Liberation Serif", "DejaVu Serif")


def _font() -> str:
    """The first of :data:`FONTS` that is installed (DejaVu Serif ships with matplotlib)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in FONTS if name in installed), "DejaVu Serif")


STYLE = {
    "font.family": _font(),
    "font.size": 8,
    "axes.titlesize": 9,
    "svg.hashsalt": "nq57",
}


@dataclass(frozen=True)
class Chart:
    key: str  # "classes" | "kpis"
    title: str
    png: bytes


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _wrap(name: str, width: int = 34) -> str:
    lines = textwrap.wrap(name, width) or [""]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def classes_chart(context: dict[str, Any]) -> Chart | None:
    """Stacked bars: for each lead agency, its tasks by class (the largest first)."""
    rows = [r for r in context["by_agency"] if r["total"] and not r.get("collective")]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: (-r["total"], r["name"]))
    title = t("filing.chart.classes", as_of=context["as_of"])
    if len(rows) > MAX_AGENCIES:
        # The others are in the table; one "others" bar would dwarf every agency.
        title = t(
            "filing.chart.classes_top", shown=MAX_AGENCIES, total=len(rows), as_of=context["as_of"]
        )
        rows = rows[:MAX_AGENCIES]
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
        ax = figure.add_subplot()
        labels = [_wrap(r["name"]) for r in rows]
        positions = list(range(len(rows)))[::-1]
        left = [0] * len(rows)
        for column in GROUP_COLUMNS:
            values = [r[column] for r in rows]
            if not any(values):
                continue
            label = context.get("group_labels", {}).get(column) or group_label(column)
            ax.barh(positions, values, left=left, color=COLORS[column], label=label, height=0.65)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, labels)
        ax.set_xlabel(t("filing.chart.tasks"))
        figure.suptitle(textwrap.fill(title, 90), fontsize=9)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        figure.legend(loc="outside lower center", ncols=3, fontsize=7, frameon=False)
        return Chart("classes", title, _png(figure))


def kpi_chart(context: dict[str, Any]) -> Chart | None:
    """Bars: KPIs by attainment (Đạt / Chưa đạt / Chưa đánh giá được / Chưa có số liệu)."""
    rows = context["kpi_rows"]
    if not sum(r["count"] for r in rows if r["class"] != "no_data"):
        return None  # no KPI has a figure yet: nothing to compare
    title = t("filing.chart.kpis", as_of=context["as_of"])
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN * 0.75), dpi=DPI, layout="constrained")
        ax = figure.add_subplot()
        positions = list(range(len(rows)))
        bars = ax.bar(
            positions,
            [r["count"] for r in rows],
            color=[COLORS[r["class"]] for r in rows],
            width=0.6,
        )
        ax.bar_label(bars, padding=2)
        ax.set_xticks(positions, [r["label"] for r in rows])
        ax.set_ylabel(t("filing.chart.kpi_count"))
        figure.suptitle(textwrap.fill(title, 90), fontsize=9)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.margins(y=0.15)
        ax.spines[["top", "right"]].set_visible(False)
        return Chart("kpis", title, _png(figure))


TREND_LINES = (  # (colour, catalogue key of the label, classes summed)
    ("overdue", "label.class.overdue", ("overdue",)),
    ("on_track", "filing.chart.open", ("due_soon", "on_track")),
    ("done_on_time", "filing.chart.done", ("done_on_time", "done_late")),
)


def trend_chart(context: dict[str, Any]) -> Chart | None:
    """Lines: tasks overdue, due soon, on track and done at each month end (two or more)."""
    rows = context.get("trend") or []
    if len(rows) < 2:
        return None
    key = "filing.chart.trend_as_now" if context.get("trend_as_now") else "filing.chart.trend"
    title = t(key)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN * 0.7), dpi=DPI, layout="constrained")
        ax = figure.add_subplot()
        positions = list(range(len(rows)))
        for colour, key, members in TREND_LINES:
            values = [sum(r[m] for m in members) for r in rows]
            ax.plot(positions, values, marker="o", markersize=3, color=COLORS[colour], label=t(key))
        ax.set_xticks(positions, [r["label"] for r in rows])
        ax.set_ylabel(t("filing.chart.tasks"))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        figure.suptitle(textwrap.fill(title, 90), fontsize=9)
        figure.legend(loc="outside lower center", ncols=4, fontsize=7, frameon=False)
        return Chart("trend", title, _png(figure))


def report_charts(context: dict[str, Any]) -> list[Chart]:
    """The charts that have something to show, in the report's order (in Vietnamese,
    like the report itself, whatever the interface language)."""
    with language("vi"):
        charts = (trend_chart(context), classes_chart(context), kpi_chart(context))
        return [c for c in charts if c is not None]
