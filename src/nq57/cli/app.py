"""The `nq57` command: wiring of command groups and exit-code policy.

Exit codes: 0 success, 1 problems found (validation errors, refused edits),
2 usage errors, 3 a bug in nq57 (the traceback is written to a file).
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import functools
import gc
import os
import sys
import traceback
from datetime import datetime

import typer
import typer.main
from typer.exceptions import Abort, Exit, TyperException

from nq57 import __version__
from nq57.cli import register, schema, validate
from nq57.cli.coercion import install_light_coercion
from nq57.cli.language import choose_language
from nq57.cli.lazy import lazy
from nq57.cli.localize import install_framework_texts, localize, usage_error_text
from nq57.cli.pipes import guard_stdout
from nq57.cli.terminal import NotUtf8Argument, command_line, path_options, prepare_streams
from nq57.errors import Nq57Error
from nq57.i18n import set_language, t

tempfile = lazy("tempfile")  # only when a crash is written down

ISSUES_URL = "https://github.com/nq57/nq57/issues"

app = typer.Typer(
    name="nq57",
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
        False, "--version", callback=_version, is_eager=True, show_default=False
    ),
    lang: str = typer.Option(
        None, "--lang", metavar="vi|en", show_default=False
    ),  # taken out of the arguments by run() and applied before parsing; listed for --help
) -> None:
    """Theo dõi thực hiện Nghị quyết 57-NQ/TW — track decisions, tasks and KPIs kept as YAML."""


app.command("validate")(validate.validate)
app.command("schema")(schema.schema)


register.register(app)  # the command groups that live in their own modules
install_framework_texts()
install_light_coercion()
# typer reads each command's signature twice while it builds the command tree (for the
# parameters, then for the callback), evaluating every annotation each time (~8 ms).
typer.main.get_params_from_function = functools.cache(typer.main.get_params_from_function)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every outcome into an exit code."""
    if argv is None:
        prepare_streams()
    try:
        lang, args = choose_language(sys.argv[1:] if argv is None else list(argv))
        set_language(lang)
        command = typer.main.get_command(app)
        if argv is None:
            args = command_line(args, path_options(command))
        localize(command)
        result = command.main(args=args, prog_name="nq57", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except Exit as exc:
        return exc.exit_code
    except Abort:
        typer.echo(t("core.aborted"), err=True)
        return 1
    except TyperException as exc:  # usage errors (bad option, missing argument)
        typer.echo(usage_error_text(exc), err=True)
        return exc.exit_code
    except Nq57Error as exc:  # the one place a user-facing failure becomes an exit code
        typer.echo(t("core.user_error", message=exc.describe()), err=True)
        return exc.exit_code
    except NotUtf8Argument as exc:
        typer.echo(
            t("core.user_error", message=t("cli.argument_not_utf8", shown=exc.shown)), err=True
        )
        return 2
    except UnicodeEncodeError as exc:
        if not _file_name_problem(exc):
            return _crash()
        name = exc.object if isinstance(exc.object, str) else ""
        message = t("cli.name_not_encodable", name=name, encoding=exc.encoding)
        typer.echo(t("core.user_error", message=message), err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo(t("core.interrupted"), err=True)
        return 130
    except Exception:  # a bug: say so, keep the traceback for the report
        return _crash()
    finally:
        gc.unfreeze()  # see load_data


def _file_name_problem(exc: UnicodeEncodeError) -> bool:
    """A file name the system's (non-UTF-8) file-name encoding cannot hold."""
    system = codecs.lookup(sys.getfilesystemencoding()).name
    return system != "utf-8" and codecs.lookup(exc.encoding).name == system


def _crash() -> int:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"nq57-crash-{stamp}-", suffix=".txt", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(f"nq57 {__version__}\nargv: {sys.argv}\n\n")
        traceback.print_exc(file=handle)
        where = handle.name
    kind = sys.exc_info()[0].__name__ if sys.exc_info()[0] else "Error"
    typer.echo(t("core.crash", kind=kind, where=where, url=ISSUES_URL), err=True)
    return 3


def main() -> None:
    guard_stdout()
    code = run()
    sys.stdout.flush()  # before exit: a closed pipe is dropped here, not at shutdown
    # End without the interpreter's teardown: freeing a large data set object by object
    # (~0.1 s at 30,000 tasks) buys nothing when the system reclaims the memory at once.
    # What shutdown would still do is done here: the exit handlers, the last flushes.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
    os._exit(code)
