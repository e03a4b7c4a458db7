"""`nq57 list` and `nq57 show`: browse decisions, tasks and KPIs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nq57.cli.common import DataOption, UserError, load_data, require_decision, resolve_agency
from nq57.cli.lazy import lazy
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    FormatOption,
    LeadOption,
    OutputFormat,
    WithinOption,
    parse_as_of,
)
from nq57.i18n import t

browse = lazy("nq57.analysis.browse")
render = lazy("nq57.render.browse")


class Kind(StrEnum):
    task = "task"
    kpi = "kpi"
    decision = "decision"


class ShowFormat(StrEnum):
    """What `show` can print: one record is a table or a JSON object, not CSV rows."""

    table = "table"
    json = "json"


class What(StrEnum):
    tasks = "tasks"
    kpis = "kpis"
    decisions = "decisions"


def list_(
    what: Annotated[What, typer.Argument()],
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    klass: Annotated[
        str | None,
        typer.Option(
            "--class",
            metavar="CLASS",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """`nq57 list`: tasks, KPIs or decisions (help text: help.list in the catalogue)."""

    when = parse_as_of(as_of)
    dataset = load_data(data, warnings=False)
    require_decision(dataset, decision)
    lead = resolve_agency(dataset, lead) if what is not What.decisions else lead
    if klass and klass not in browse.CLASSES:
        raise UserError(t("cli.unknown_class", klass=klass, known=", ".join(browse.CLASSES)), 2)
    console = render.make_console()
    if what is What.tasks:
        states = browse.task_states(dataset, when, within, decision, lead, klass)
        render.tasks(states, format, console)
    elif what is What.kpis:
        render.kpis(browse.kpi_states(dataset, when, decision, lead), format, console)
    else:
        render.decisions(sorted(dataset.decisions.values(), key=lambda d: d.id), format, console)


def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    data: DataOption = None,
    as_of: AsOfOption = None,
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.table,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            show_default=False,
        ),
    ] = None,
) -> None:
    """`nq57 show`: one task, KPI or decision (help text: help.show in the catalogue)."""

    when = parse_as_of(as_of)
    dataset = load_data(data, warnings=False)
    detail = browse.detail(dataset, entity_id, when, kind.value if kind else None)
    if detail is None:
        close = browse.close_ids(dataset, entity_id)
        if close:
            raise UserError(t("cli.no_such_id_close", id=entity_id, close=", ".join(close)), 1)
        raise UserError(t("cli.no_such_id", id=entity_id), 1)
    render.detail(detail, OutputFormat(format.value), render.make_console())
    if kind is None and entity_id in dataset.tasks and entity_id in dataset.kpis:
        typer.echo(t("cli.same_id_kpi", id=entity_id), err=True)


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command("show")(show)
