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
    write_output,
)
from nq57.cli.options import DecisionOption
from nq57.config import ConfigError, load_report_config
from nq57.dataset import DataSet, load

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
            raise UserError(f"template '{template}' does not exist or is not a file", 2)
        if template.suffix.lower() == DOCX_SUFFIX:
            if not plan.word:
                raise UserError(
                    f"--template {template} is a Word template, but --format is {fmt.value}", 2
                )
            plan.docx_template = template
        else:
            if not plan.markdown:
                raise UserError(
                    f"--template {template} is a Markdown (Jinja) template, "
                    f"but --format is {fmt.value}; a Word template ends in .docx",
                    2,
                )
            plan.md_template = template
    return plan


def _check_scope(data: DataSet, org: str | None, decision: str | None) -> None:
    if decision and decision not in data.decisions:
        known = any(t.decision == decision for t in data.tasks.values()) or any(
            k.decision == decision for k in data.kpis.values()
        )
        if not known:
            raise UserError(f"no decision '{decision}'; see `nq57 list decisions`", 1)
    unknown = org and data.agencies.resolve(org) is None
    if unknown and not select_tasks(data, None, org) and not select_kpis(data, None, org):
        close = data.agencies.suggest(org)
        hint = f" — did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UserError(f"no agency '{org}' leads a task or owns a KPI{hint}", 1)


def report(
    month: Annotated[
        str,
        typer.Option(
            "--month", "-m", help="Tháng báo cáo (month reported), YYYY-MM.", show_default=False
        ),
    ],
    data: DataOption = None,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="md (Markdown), docx (Word) or both."),
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file. md: default stdout; docx: default reports/<YYYY-MM>.docx; "
            "both: PATH.md and PATH.docx.",
            show_default=False,
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Chỉ nhiệm vụ do cơ quan này chủ trì (aliases, merged predecessors and "
            "sub-units included).",
            show_default=False,
        ),
    ] = None,
    decision: DecisionOption = None,
    template: Annotated[
        list[Path] | None,
        typer.Option(
            "--template",
            help="Own template: a Jinja .j2 file for Markdown, a .docx for Word "
            "(repeat to give both).",
            show_default=False,
        ),
    ] = None,
    no_charts: Annotated[
        bool, typer.Option("--no-charts", help="Không vẽ biểu đồ (no charts).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Báo cáo tháng — the monthly report, as of the month's last day.

    Sections: I. Kết quả thực hiện, II. Nhiệm vụ chậm tiến độ, III. Chỉ tiêu (KPI),
    IV. Khó khăn, vướng mắc, V. Nhiệm vụ trọng tâm tháng tới, VI. Đề xuất, kiến nghị,
    and an appendix of every task in scope. The header (cơ quan, số, ký hiệu, người
    ký, nơi nhận) comes from `report:` in <data>/config.yaml; what is not set is
    left blank to fill in by hand.

    Examples:

      nq57 report --month 2025-09                        # Markdown to stdout

      nq57 report --month 2025-09 --format docx          # reports/2025-09.docx

      nq57 report -m 2025-09 -f both -o out/bao-cao-09   # out/bao-cao-09.md + .docx

      nq57 report -m 2025-09 --org "Bộ Tài chính" --decision 71-NQ-CP-2025 -f docx
    """
    from nq57.analysis.report import build_report, parse_month
    from nq57.templating import TemplateProblem

    try:
        parse_month(month)
    except ValueError as exc:
        raise UserError(f"--month: {exc}", 2) from None
    month = month.strip()
    plan = _plan(format, month, output, list(template or []))
    dirs = data_dirs(data)
    dataset = load(dirs, use_cache=not no_cache, warnings=False)
    _check_scope(dataset, org, decision)
    try:
        config = load_report_config(dirs)
    except ConfigError as exc:
        raise UserError(str(exc), 1) from None
    if dataset.invalid_files:
        typer.echo(
            f"nq57: cảnh báo (warning): {len(dataset.invalid_files)} tệp lỗi bị bỏ qua "
            "(files with errors left out); run `nq57 validate`",
            err=True,
        )
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
