"""`nq57 import`: draft task files from a task table copied from a decision (nq57.tableimport)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nq57.cli.common import UserError
from nq57.loader import DataFolderNotFound, find_data_dir


def _data_dir(given: Path | None) -> Path:
    if given is None:
        try:
            return find_data_dir()
        except DataFolderNotFound as exc:
            raise UserError(str(exc), exit_code=2) from None
    if not given.is_dir():
        raise UserError(f"data folder '{given}' does not exist or is not a folder", 2)
    return given


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" (UTF-16)
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read '{file}': {exc.strerror}", 2) from None
    except UnicodeDecodeError:
        raise UserError(f"'{file}' is not UTF-8 text; save it as UTF-8 and try again", 2) from None


def import_table(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Tệp bảng nhiệm vụ (table text).")],
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            help="Mã văn bản (decision id); data/decisions/<ID>.yaml must exist.",
            show_default=False,
        ),
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            help="Thư mục dữ liệu to write into. Default: ./data here or in a parent folder.",
            show_default=False,
        ),
    ] = None,
    section_from_roman: Annotated[
        bool,
        typer.Option(
            "--section-from-roman",
            help="Rows numbered I, II, … (or A, B, …) are section headings, not tasks.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; print the files it would write.")
    ] = False,
) -> None:
    """Nhập bảng nhiệm vụ — draft task files from a table copied from a decision.

    Reads tab-separated tables (pasted from Word/Excel), Markdown tables, or one
    cell per line (copied from a PDF); columns are found by their Vietnamese
    headers (TT, Nhiệm vụ, Cơ quan chủ trì, Cơ quan phối hợp, Kết quả, Thời gian).
    Writes data/tasks/<ID>/<number>.yaml; an existing file is never replaced.
    Rows it cannot place are listed with their line numbers (exit 1); the other
    rows are still written. Check the drafts, then run `nq57 validate`.

    Examples:

      nq57 import bang.txt --decision 01-KH-2025 --section-from-roman --dry-run

      nq57 import bang.txt --decision 01-KH-2025 --data ../bo-y-te/data
    """
    from nq57 import tableimport

    folder = _data_dir(data)
    if tableimport.decision_file(folder, decision) is None:
        raise UserError(
            f"không có văn bản '{decision}' (no decision file "
            f"{folder / 'decisions' / decision}.yaml); create it first, then import its tasks"
        )
    text = _read(file)
    try:
        outcome = tableimport.import_table(
            text, folder, decision, file, sections=section_from_roman, dry_run=dry_run
        )
    except tableimport.NoTable as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # not a decision id
        raise UserError(str(exc), 2) from None
    skipped = set(outcome.skipped)
    for draft in outcome.drafts:
        path = folder / "tasks" / decision / f"{draft.key}.yaml"
        if dry_run and path not in skipped:
            typer.echo(f"# --- sẽ ghi (would write) {path}\n{draft.text}", nl=False)
    for path in outcome.written:
        typer.echo(f"đã ghi (wrote) {path}")
    for path in outcome.skipped:
        typer.echo(f"nq57: bỏ qua (skipped) {path}: tệp đã có (exists; not overwritten)", err=True)
    for note in outcome.parsed.notes:
        typer.echo(f"nq57: lưu ý (note): {note}", err=True)
    for problem in outcome.parsed.problems:
        typer.echo(
            f"{file}:{problem.line}: không xếp được (not placed): {problem.message}", err=True
        )
    count = len(outcome.drafts) - len(skipped)
    verb = "sẽ ghi (would write)" if dry_run else "đã ghi (wrote)"
    typer.echo(
        f"nq57: bảng {outcome.parsed.layout}: {verb} {count} tệp, bỏ qua {len(skipped)}, "
        f"không xếp được {len(outcome.parsed.problems)} dòng",
        err=True,
    )
    if outcome.parsed.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("import")(import_table)
