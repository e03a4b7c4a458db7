"""The `nq57` command: wiring of command groups and exit-code policy.

Exit codes: 0 success, 1 problems found (validation errors, refused edits),
2 usage errors, 3 a bug in nq57 (the traceback is written to a file).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import traceback
from datetime import datetime

import typer
from typer.exceptions import Abort, Exit, TyperException

from nq57 import __version__
from nq57.cli import schema, validate
from nq57.cli.common import UserError

ISSUES_URL = "https://github.com/nq57/nq57/issues"

app = typer.Typer(
    name="nq57",
    help="Theo dõi thực hiện Nghị quyết 57-NQ/TW — track decisions, tasks and KPIs kept as YAML.",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nq57 {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Theo dõi thực hiện Nghị quyết 57-NQ/TW — track decisions, tasks and KPIs kept as YAML."""


app.command("validate")(validate.validate)
app.command("schema")(schema.schema)


def _register_optional() -> None:
    """Command groups that live in their own modules."""
    from nq57.cli import register

    register.register(app)


_register_optional()


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every outcome into an exit code."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="nq57")
        return result if isinstance(result, int) else 0
    except Exit as exc:
        return exc.exit_code
    except Abort:
        typer.echo("Aborted.", err=True)
        return 1
    except TyperException as exc:  # usage errors (bad option, missing argument)
        if hasattr(exc, "show"):
            exc.show()
        else:
            typer.echo(f"nq57: {exc.format_message()}", err=True)
        return exc.exit_code
    except UserError as exc:
        typer.echo(f"nq57: lỗi (error): {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        return 130
    except Exception:  # a bug: say so, keep the traceback for the report
        return _crash()
    finally:
        gc.unfreeze()  # see load_data


def _crash() -> int:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"nq57-crash-{stamp}-", suffix=".txt", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(f"nq57 {__version__}\nargv: {sys.argv}\n\n")
        traceback.print_exc(file=handle)
        where = handle.name
    kind = sys.exc_info()[0].__name__ if sys.exc_info()[0] else "Error"
    typer.echo(
        f"nq57: internal error ({kind}). This is a bug in nq57, not in your data.\n"
        f"The traceback was written to {where}\n"
        f"Please report it at {ISSUES_URL} and attach that file.",
        err=True,
    )
    return 3


def main() -> None:
    sys.exit(run())
