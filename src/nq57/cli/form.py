"""`nq57 form`: the monthly form (xlsx or csv) a unit fills in and mails back."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import (
    DataOption,
    NoCacheOption,
    UserError,
    load_data,
    refuse_overwrite,
    require_decision,
    resolve_agency,
    warn_files_left_out,
    write_output,
)
from nq57.cli.lazy import lazy
from nq57.cli.options import AsOfOption, DecisionOption, check_month, parse_as_of
from nq57.i18n import t

forms = lazy("nq57.analysis.forms")
report = lazy("nq57.analysis.report")
writer = lazy("nq57.render.form")  # openpyxl: only when needed

DEFAULT_FOLDER = Path("forms")
FILE_SUFFIXES = (".xlsx", ".csv")  # one form in one file; a name without suffix is a folder


class FormFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def form(
    lead: Annotated[
        list[str] | None, typer.Option("--lead", metavar="AGENCY", show_default=False)
    ] = None,
    decision: DecisionOption = None,
    as_of: AsOfOption = None,
    month: Annotated[
        str | None, typer.Option("--month", "-m", metavar="YYYY-MM", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="PATH", show_default=False)
    ] = None,
    format: Annotated[FormFormat | None, typer.Option("--format", "-f", show_default=False)] = None,
    data: DataOption = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """`nq57 form`: the monthly form of one or more units (help text: help.form)."""
    if month is not None:
        if as_of is not None:
            raise UserError(t("cycle.form.month_and_as_of"), 2)
        try:
            period_start, when = report.parse_month(month)
        except ValueError:
            raise UserError(t("cli.bad_month", value=month), 2) from None
        check_month(period_start, month)
    else:
        when = parse_as_of(as_of)
    target = output if output is not None else DEFAULT_FOLDER
    suffix = target.suffix.lower()
    single = suffix in FILE_SUFFIXES and not target.is_dir()
    if suffix and not single and not target.is_dir():  # `-o x.txt`: not a form, no folder
        raise UserError(t("cycle.form.not_a_form_file", path=target), 2)
    if single:
        if format is not None and format.value != suffix[1:]:
            raise UserError(t("cli.format_mismatch", path=target, format=format), 2)
        kind = FormFormat(suffix[1:])
        if not lead:
            raise UserError(t("cycle.form.file_needs_lead", path=target), 2)
    else:
        kind = format or FormFormat.xlsx
    dataset = load_data(data, no_cache=no_cache, warnings=False)
    require_decision(dataset, decision)
    chosen = [resolve_agency(dataset, given) for given in lead or []]
    leads = list(dict.fromkeys(dataset.agencies.current(name) for name in chosen if name))
    warn_files_left_out(dataset)
    render = writer.form_xlsx if kind is FormFormat.xlsx else writer.form_csv
    if single:
        jobs = [(target, forms.build_form(dataset, when, leads, decision))]
    else:
        exact = not leads
        agencies, collective = (
            (leads, []) if leads else forms.form_recipients(dataset, when, decision)
        )
        if collective:
            shown = "; ".join(collective[:3]) + ("; …" if len(collective) > 3 else "")
            message = t("cycle.form.collective_left_out", count=len(collective), leads=shown)
            typer.echo(t("cli.warning", message=message), err=True)
        jobs, used = [], set()
        for agency in agencies:
            stem = writer.file_stem(agency)
            while stem in used:
                stem += "-1"
            used.add(stem)
            built = forms.build_form(dataset, when, [agency], decision, exact=exact)
            jobs.append((target / f"{stem}.{kind.value}", built))
    refuse_overwrite([path for path, _ in jobs], force)
    for path, built in jobs:
        if not built.tasks and not built.kpis:
            message = t("cycle.form.empty", leads="; ".join(built.leads))
            typer.echo(t("cli.warning", message=message), err=True)
        write_output(path, render(built))
    typer.echo(t("cycle.form.done", count=len(jobs), date=f"{when:%d/%m/%Y}"), err=True)


def register(app: typer.Typer) -> None:
    app.command("form")(form)
