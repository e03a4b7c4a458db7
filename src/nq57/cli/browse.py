"""`nq57 list` and `nq57 show`: browse decisions, tasks and KPIs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nq57.cli.common import DataOption, UserError, load_data
from nq57.cli.options import (
    AsOfOption,
    DecisionOption,
    FormatOption,
    LeadOption,
    OutputFormat,
    WithinOption,
    parse_as_of,
)


class Kind(StrEnum):
    task = "task"
    kpi = "kpi"
    decision = "decision"


class What(StrEnum):
    tasks = "tasks"
    kpis = "kpis"
    decisions = "decisions"


def list_(
    what: Annotated[What, typer.Argument(help="tasks, kpis or decisions")],
    data: DataOption = None,
    as_of: AsOfOption = None,
    within: WithinOption = 30,
    lead: LeadOption = None,
    decision: DecisionOption = None,
    klass: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="Only tasks of this class (overdue, due_soon, on_track, no_deadline, "
            "done_on_time, done_late, cancelled).",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Danh sách — list tasks, KPIs or decisions (with computed due dates and classes).

    Examples:

      nq57 list tasks --decision 1057-QD-BTC-2025

      nq57 list tasks --lead "Cục Thuế" --class overdue --format csv > qua-han.csv

      nq57 list kpis --format json
    """
    from rich.console import Console

    from nq57.analysis import browse
    from nq57.render import browse as render

    when = parse_as_of(as_of)
    dataset = load_data(data, warnings=False)
    if decision and decision not in dataset.decisions:
        raise UserError(f"no decision '{decision}'; see `nq57 list decisions`", 1)
    if klass and klass not in browse.CLASSES:
        raise UserError(f"unknown class '{klass}'; one of {', '.join(browse.CLASSES)}", 2)
    console = Console(width=render.WIDTH, highlight=False)
    if what is What.tasks:
        states = browse.task_states(dataset, when, within, decision, lead, klass)
        render.tasks(states, format, console)
    elif what is What.kpis:
        render.kpis(browse.kpi_states(dataset, when, decision, lead), format, console)
    else:
        render.decisions(sorted(dataset.decisions.values(), key=lambda d: d.id), format, console)


def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="A task, KPI or decision id.")],
    data: DataOption = None,
    as_of: AsOfOption = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            help="task, kpi or decision, when a task and a KPI share an id "
            "(71/NQ-CP numbers both from 1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Chi tiết — everything about one task, KPI or decision.

    Fields, computed due date and class, update history, the parent chain up to
    the resolution, children and linked KPIs.

      nq57 show 71-NQ-CP-2025/89

      nq57 show 1057-QD-BTC-2025
    """
    from rich.console import Console

    from nq57.analysis import browse
    from nq57.render import browse as render

    when = parse_as_of(as_of)
    dataset = load_data(data, warnings=False)
    detail = browse.detail(dataset, entity_id, when, kind.value if kind else None)
    if detail is None:
        close = browse.close_ids(dataset, entity_id)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"no task, KPI or decision with id '{entity_id}'{hint}", 1)
    render.detail(detail, format, Console(width=render.WIDTH, highlight=False))
    if kind is None and entity_id in dataset.tasks and entity_id in dataset.kpis:
        typer.echo(f"(a KPI has the same id: nq57 show {entity_id} --kind kpi)", err=True)


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command("show")(show)
