"""`nq57 report`: the monthly report (báo cáo tháng) in Markdown and Word."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import typer

from nq57.analysis.scope import select_kpis, select_tasks
from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    data_dirs,
    refuse_overwrite,
    warn_files_left_out,
    write_output,
)
from nq57.cli.options import DecisionOption
from nq57.config import ConfigError, load_report_config
from nq57.dataset import DataSet, load
from nq57.i18n import t
from nq57.templating import TemplateProblem

DOCX_SUFFIX = ".docx"
MD_SUFFIX = ".md"


class ReportFormat(StrEnum):
    md = "md"
    docx = "docx"
    both = "both"


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


def _strip_suffix(path: Path) -> Path:
    if path.suffix.lower() in (MD_SUFFIX, DOCX_SUFFIX):
        return path.with_name(path.name[: -len(path.suffix)])
    return path


def _plan(fmt: ReportFormat, month: str, output: Path | None, templates: list[Path]) -> Plan:
    plan = Plan(markdown=fmt is not ReportFormat.docx, word=fmt is not ReportFormat.md)
    if fmt is ReportFormat.both and output is not None:
        base = _strip_suffix(output)
        plan.md_path = base.with_name(base.name + MD_SUFFIX)
        plan.docx_path = base.with_name(base.name + DOCX_SUFFIX)
    elif fmt is ReportFormat.md:
        plan.md_path = output
    elif fmt is ReportFormat.docx:
        plan.docx_path = output
    if plan.word and plan.docx_path is None:
        plan.docx_path = Path("reports") / f"{month}{DOCX_SUFFIX}"
    for template in templates:
        if not template.is_file():
            raise UserError(t("cli.template_missing", template=template), 2)
        if template.suffix.lower() == DOCX_SUFFIX:
            if not plan.word:
                raise UserError(t("cli.template_is_word", template=template, format=fmt.value), 2)
            plan.docx_template = template
        else:
            if not plan.markdown:
                raise UserError(
                    t("cli.template_is_markdown", template=template, format=fmt.value), 2
                )
            plan.md_template = template
    return plan


def _check_scope(data: DataSet, org: str | None, decision: str | None) -> None:
    if decision and decision not in data.decisions:
        known = any(task.decision == decision for task in data.tasks.values()) or any(
            k.decision == decision for k in data.kpis.values()
        )
        if not known:
            raise UserError(t("cli.no_decision", decision=decision), 1)
    unknown = org and data.agencies.resolve(org) is None
    if unknown and not select_tasks(data, None, org) and not select_kpis(data, None, org):
        close = data.agencies.suggest(org)
        if close:
            names = ", ".join(f"'{c}'" for c in close)
            raise UserError(t("cli.no_agency_close", org=org, close=names), 1)
        raise UserError(t("cli.no_agency", org=org), 1)


def report(
    month: Annotated[
        str,
        typer.Option("--month", "-m", metavar="YYYY-MM", show_default=False),
    ],
    data: DataOption = None,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f"),
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            metavar="AGENCY",
            show_default=False,
        ),
    ] = None,
    decision: DecisionOption = None,
    template: Annotated[
        list[Path] | None,
        typer.Option(
            "--template",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    no_charts: Annotated[bool, typer.Option("--no-charts")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 report`: the monthly report (help text: help.report in the catalogue)."""
    from nq57.analysis.report import build_report, parse_month

    try:
        parse_month(month)
    except ValueError:
        raise UserError(t("cli.bad_month", value=month), 2) from None
    month = month.strip()
    plan = _plan(format, month, output, list(template or []))
    dirs = data_dirs(data)
    dataset = load(dirs, use_cache=not no_cache, warnings=False)
    _check_scope(dataset, org, decision)
    try:
        config = load_report_config(dirs)
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    warn_files_left_out(dataset)
    context = build_report(dataset, month, config, org=org, decision=decision)

    charts = []
    if not no_charts and (plan.word or plan.md_path is not None):
        from nq57.render.charts import report_charts  # matplotlib: only when drawing

        charts = report_charts(context)
    if plan.md_path is not None:
        stem = _strip_suffix(plan.md_path).name
        plan.chart_paths = {c.key: plan.md_path.with_name(f"{stem}-{c.key}.png") for c in charts}
    targets = [p for p in (plan.md_path, plan.docx_path) if p is not None]
    refuse_overwrite(targets + list(plan.chart_paths.values()), force)

    try:
        markdown = None
        if plan.markdown:
            from nq57.render.report_md import render_markdown

            md_context = dict(context)
            md_context["charts"] = dict(context["charts"])
            for chart in charts if plan.chart_paths else []:
                md_context["charts"][chart.key] = {
                    "title": chart.title,
                    "file": quote(plan.chart_paths[chart.key].name),
                }
            markdown = render_markdown(md_context, plan.md_template)
        document = None
        if plan.word:
            from nq57.render.report_docx import render_docx

            document = render_docx(context, plan.docx_template, charts)
    except TemplateProblem as exc:
        raise UserError(str(exc), 1) from None

    if markdown is not None:
        if plan.md_path is None:
            typer.echo(markdown, nl=False)
        else:
            write_output(plan.md_path, markdown.encode("utf-8"))
            for chart in charts:
                write_output(plan.chart_paths[chart.key], chart.png)
    if document is not None and plan.docx_path is not None:
        write_output(plan.docx_path, document)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
