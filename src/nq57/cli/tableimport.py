"""`nq57 import`: draft task files from a table copied from a decision (nq57.edit.tableimport)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import UserError, require_data_dir
from nq57.cli.lazy import lazy
from nq57.i18n import t

loader = lazy("nq57.io.loader")
tableimport = lazy("nq57.edit.tableimport")


def _data_dir(given: Path | None) -> Path:
    if given is None:
        return loader.find_data_dir()
    require_data_dir(given)
    return given


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" (UTF-16)
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except OSError as exc:
        raise UserError(t("import.cannot_read", file=file, reason=exc.strerror), 2) from None
    except UnicodeDecodeError:
        raise UserError(t("import.not_utf8", file=file), 2) from None


def import_table(
    file: Annotated[Path, typer.Argument(metavar="FILE")],
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            metavar="ID",
            show_default=False,
        ),
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    section_from_roman: Annotated[
        bool,
        typer.Option("--section-from-roman"),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
) -> None:
    """`nq57 import`: draft task files from a table (help text: help.import)."""

    folder = _data_dir(data)
    if tableimport.decision_file(folder, decision) is None:
        path = folder / "decisions" / f"{decision}.yaml"
        raise UserError(t("import.no_decision", decision=decision, path=path))
    text = _read(file)
    outcome = tableimport.import_table(
        text, folder, decision, file, sections=section_from_roman, dry_run=dry_run
    )
    skipped = set(outcome.skipped)
    for draft in outcome.drafts:
        path = folder / "tasks" / decision / f"{draft.key}.yaml"
        if dry_run and path not in skipped:
            typer.echo(t("import.would_write", path=path) + "\n" + draft.text, nl=False)
    for path in outcome.written:
        typer.echo(t("import.wrote", path=path))
    for path in outcome.skipped:
        typer.echo(t("import.skipped", path=path), err=True)
    for note in outcome.parsed.notes:
        typer.echo(t("import.note", note=note), err=True)
    for problem in outcome.parsed.problems:
        typer.echo(
            t("import.not_placed", file=file, line=problem.line, problem=problem.message),
            err=True,
        )
    count = len(outcome.drafts) - len(skipped)
    summary = t(
        "import.summary_dry_run" if dry_run else "import.summary",
        layout=outcome.parsed.layout,
        count=count,
        skipped=len(skipped),
        problems=len(outcome.parsed.problems),
    )
    typer.echo(summary, err=True)
    if outcome.parsed.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("import")(import_table)
