"""`nq57 report`: the monthly report (báo cáo tháng) in Markdown and Word."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    data_dirs,
    refuse_overwrite,
    resolve_agency,
    warn_files_left_out,
    write_output,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import DecisionOption, check_month
from nq57.i18n import t
from nq57.render import AppendixMode, ReportFormat

pipeline = lazy("nq57.check.pipeline")
config_model = lazy("nq57.model.config")
reportjob = lazy("nq57.render.report_job")
analysis = lazy("nq57.analysis.report")
charts_module = lazy("nq57.render.charts")  # matplotlib: only when drawing


def report(
    month: Annotated[
        str,
        typer.Option("--month", "-m", metavar="YYYY-MM", show_default=False),
    ],
    data: DataOption = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", show_default=False),
    ] = None,
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
    appendix: Annotated[AppendixMode, typer.Option("--appendix")] = AppendixMode.xlsx,
    no_charts: Annotated[bool, typer.Option("--no-charts")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 report`: the monthly report (help text: help.report in the catalogue)."""
    try:
        first_day, _ = analysis.parse_month(month)
    except ValueError:
        raise UserError(t("cli.bad_month", value=month), 2) from None
    check_month(first_day, month)
    month = month.strip()
    plan = reportjob.plan_outputs(format, month, output, list(template or []), appendix)
    dirs = data_dirs(data)
    dataset = pipeline.load(dirs, use_cache=not no_cache, warnings=False)
    reportjob.check_scope(dataset, decision)
    org = resolve_agency(dataset, org, "--org")
    config = config_model.load_report_config(dirs)
    warn_files_left_out(dataset)
    history, changes = reportjob.movement(dirs[0], dataset, month, org, decision)
    context = analysis.build_report(
        dataset,
        month,
        config,
        org=org,
        decision=decision,
        appendix=plan.appendix.value,
        appendix_file=reportjob.shown_name(plan.xlsx_path),
        history=history,
        changes=changes,
    )
    charts = []
    if not no_charts and (plan.word or plan.md_path is not None):
        charts = charts_module.report_charts(context)
    reportjob.place_charts(plan, charts)
    refuse_overwrite(plan.targets(), force)
    markdown, document = reportjob.render_outputs(context, plan, charts)
    if markdown is not None:
        if plan.md_path is None:
            typer.echo(markdown, nl=False)
        else:
            write_output(plan.md_path, markdown.encode("utf-8"))
            for chart in charts:
                write_output(plan.chart_paths[chart.key], chart.png)
    if document is not None and plan.docx_path is not None:
        write_output(plan.docx_path, document)
    if plan.xlsx_path is not None:
        workbook = reportjob.appendix_workbook(dataset, month, org, decision)
        write_output(plan.xlsx_path, workbook)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
