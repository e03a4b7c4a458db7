"""One `nq57 report` run: which files to write, whether the scope exists, the outputs.

The CLI parses options and writes files; the choices in between live here, as plain
functions that raise :class:`~nq57.errors.Nq57Error` (message, exit code) for the user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dateutil.relativedelta import relativedelta

from nq57.analysis.changes import list_changes
from nq57.analysis.history import history_points, period_ends
from nq57.analysis.report import parse_month, report_class_label
from nq57.errors import Nq57Error
from nq57.i18n import language, t
from nq57.model.dataset import DataSet
from nq57.render import AppendixMode as AppendixMode
from nq57.render import ReportFormat as ReportFormat
from nq57.render.export import collect
from nq57.render.report_docx import render_docx
from nq57.render.report_md import render_markdown
from nq57.render.xlsx import workbook_bytes

DOCX_SUFFIX = ".docx"
MD_SUFFIX = ".md"
XLSX_SUFFIX = "-phu-luc.xlsx"  # the appendix workbook beside the report


@dataclass
class Plan:
    """Where each output goes (None: Markdown to stdout) and which templates to use."""

    markdown: bool
    word: bool
    md_path: Path | None = None
    docx_path: Path | None = None
    md_template: Path | None = None
    docx_template: Path | None = None
    chart_paths: dict[str, Path] = field(default_factory=dict)
    appendix: AppendixMode = AppendixMode.none
    xlsx_path: Path | None = None

    def targets(self) -> list[Path]:
        """Every file this run writes (checked before anything is written)."""
        paths = [p for p in (self.md_path, self.docx_path, self.xlsx_path) if p is not None]
        return paths + list(self.chart_paths.values())


def strip_suffix(path: Path) -> Path:
    if path.suffix.lower() in (MD_SUFFIX, DOCX_SUFFIX):
        return path.with_name(path.name[: -len(path.suffix)])
    return path


def plan_outputs(
    fmt: ReportFormat | None,
    month: str,
    output: Path | None,
    templates: list[Path],
    appendix: AppendixMode = AppendixMode.none,
) -> Plan:
    """Output paths from --format/--output (Word defaults to reports/<month>.docx, both
    formats share the --output stem), the --template files, each of the right kind, and
    the appendix: ``xlsx`` is a workbook ``<stem>-phu-luc.xlsx`` beside the report (none
    when the report only goes to the screen)."""
    suffix = output.suffix.lower() if output is not None else ""
    if fmt is None:  # from the file name: `-o bao-cao.docx` means Word
        fmt = ReportFormat.docx if suffix == DOCX_SUFFIX else ReportFormat.md
    elif (fmt is ReportFormat.md and suffix == DOCX_SUFFIX) or (
        fmt is ReportFormat.docx and suffix not in ("", DOCX_SUFFIX)  # Word in "x.txt"
    ):
        raise Nq57Error(t("cli.format_mismatch", format=fmt.value, path=output), 2)
    plan = Plan(markdown=fmt is not ReportFormat.docx, word=fmt is not ReportFormat.md)
    if fmt is ReportFormat.both and output is not None:
        base = strip_suffix(output)
        plan.md_path = base.with_name(base.name + MD_SUFFIX)
        plan.docx_path = base.with_name(base.name + DOCX_SUFFIX)
    elif fmt is ReportFormat.md:
        plan.md_path = output
    elif fmt is ReportFormat.docx:
        plan.docx_path = output
    if plan.word and plan.docx_path is None:
        plan.docx_path = Path("reports") / f"{month}{DOCX_SUFFIX}"
    plan.appendix = appendix
    beside = plan.docx_path or plan.md_path
    if appendix is AppendixMode.xlsx:
        if beside is None:
            plan.appendix = AppendixMode.none  # Markdown on the screen: no file beside it
        else:
            stem = strip_suffix(beside).name
            plan.xlsx_path = beside.with_name(stem + XLSX_SUFFIX)
    for template in templates:
        if not template.is_file():
            raise Nq57Error(t("cli.template_missing", template=template), 2)
        if template.suffix.lower() == DOCX_SUFFIX:
            if not plan.word:
                message = t("cli.template_is_word", template=template, format=fmt.value)
                raise Nq57Error(message, 2)
            plan.docx_template = template
        else:
            if not plan.markdown:
                message = t("cli.template_is_markdown", template=template, format=fmt.value)
                raise Nq57Error(message, 2)
            plan.md_template = template
    return plan


def place_charts(plan: Plan, charts: list) -> None:
    """Charts go beside the Markdown file: <stem>-<chart>.png."""
    if plan.md_path is not None:
        stem = strip_suffix(plan.md_path).name
        plan.chart_paths = {c.key: plan.md_path.with_name(f"{stem}-{c.key}.png") for c in charts}


def shown_name(path: Path | None) -> str:
    """A file's name as text the report can hold (a name the locale could not decode is
    shown with '?' where its bytes are not UTF-8)."""
    if path is None:
        return ""
    return os.fsencode(path.name).decode("utf-8", "replace").replace("\ufffd", "?")


TREND_MONTHS = 12


def movement(
    data_dir: Path, data: DataSet, month: str, org: str | None, decision: str | None
) -> tuple[list, list | None]:
    """What moved: the month-end counts of the last :data:`TREND_MONTHS` months as
    committed then (today's data classified at each month end when git has none of
    them), and the changes of the month (None without git history)."""

    first, last = parse_month(month)
    start = first.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    dates = period_ends(f"{start:%Y-%m}", month, "month")
    leads = [org] if org else None
    points = history_points(data_dir, dates, leads=leads, decision=decision)
    if all(p.commit is None for p in points):
        points = history_points(data_dir, dates, as_now=True, leads=leads, decision=decision)
    changes, git = list_changes(data_dir, data, first, last, leads=leads, decision=decision)
    return points, changes if git else None


def appendix_workbook(data: DataSet, month: str, org: str | None, decision: str | None) -> bytes:
    """The appendix as a workbook: every task and KPI in scope as of the month's last day
    (the sheets of `nq57 export --format xlsx`, in Vietnamese like the report), its classes
    as the report counts and names them (due soon = due by the end of next month)."""

    _, last = parse_month(month)
    next_last = last + timedelta(days=1) + relativedelta(day=31)
    with language("vi"):
        export = collect(data, last, (next_last - last).days, decision, org)
        return workbook_bytes(export, report_class_label)


def check_scope(data: DataSet, decision: str | None) -> None:
    """--decision must name something in the data (--org is checked by the command)."""
    if decision and decision not in data.decisions:
        known = any(task.decision == decision for task in data.tasks.values()) or any(
            k.decision == decision for k in data.kpis.values()
        )
        if not known:
            raise Nq57Error(t("cli.no_decision", decision=decision), 1)


def render_outputs(
    context: dict[str, Any], plan: Plan, charts: list
) -> tuple[str | None, bytes | None]:
    """(Markdown text, DOCX bytes) as the plan asks; Markdown links the chart files."""
    markdown = None
    if plan.markdown:
        md_context = dict(context)
        md_context["charts"] = dict(context["charts"])
        for chart in charts if plan.chart_paths else []:
            md_context["charts"][chart.key] = {
                "title": chart.title,
                # the name's bytes on disk (os.fsencode: a file name the locale could
                # not decode is linked as it is, not as a crash)
                "file": quote(os.fsencode(plan.chart_paths[chart.key].name)),
            }
        markdown = render_markdown(md_context, plan.md_template)
    document = None
    if plan.word:
        document = render_docx(context, plan.docx_template, charts)
    return markdown, document
