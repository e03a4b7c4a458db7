"""Put the catalogue's texts into the command tree: help of commands, options, arguments.

Help texts are not written in the command modules; each command and parameter takes its
help from the catalogue key ``help.<command path>`` / ``help.<command path>.<param>``, or
``help.option.<param>`` for options shared by many commands (``--data``, ``--format``).
The words typer and click print around them (Usage, Options, default) are translated too.
"""

from __future__ import annotations

import re

import typer.core
from typer._click import core as click_core
from typer._click import exceptions as errors
from typer._click.formatting import HelpFormatter

from nq57.i18n import has, t, template

# typer's own words (passed through gettext) -> catalogue keys
FRAMEWORK_KEYS = {
    "Options": "framework.options",
    "Arguments": "framework.arguments",
    "Commands": "framework.commands",
    "default: {default}": "framework.default",
    "required": "framework.required",
    "Aborted!": "framework.aborted",
    "Missing command.": "framework.missing_command",
    "No such command {name!r}.": "framework.no_such_command",
}

_original_write_usage = HelpFormatter.write_usage


def _gettext(message: str) -> str:
    key = FRAMEWORK_KEYS.get(message)
    return template(key) if key else message  # typer fills the fields itself


def _write_usage(self: HelpFormatter, prog: str, args: str = "", prefix: str | None = None):
    if prefix is None:
        prefix = t("framework.usage") + " "
    return _original_write_usage(self, prog, args, prefix)


def install_framework_texts() -> None:
    """Route typer's gettext calls and click's usage prefix through the catalogue."""
    typer.core._ = _gettext  # typer calls the module's `_` (gettext) for these words
    HelpFormatter.write_usage = _write_usage


def help_key(path: tuple[str, ...], param: str | None = None) -> str:
    """The catalogue key holding the help of a command (or of one of its parameters)."""
    base = "help." + (".".join(path) if path else "nq57")
    if param is None:
        return base
    own = f"{base}.{param}"
    return own if has(own) or not has(f"help.option.{param}") else f"help.option.{param}"


def _choices_only(argument: typer.core.TyperArgument) -> None:
    """typer prints an argument's Python type after its name ("ID <str>", "paths...
    <list[Path]>"); the name (its metavar) says what to give, so only choices are kept
    ("what <tasks|kpis|decisions>")."""
    shown = type(argument).display_type_rich

    def display(ctx: click_core.Context) -> str | None:
        text = shown(argument, ctx)
        return text if text and "|" in text else None

    argument.display_type_rich = display  # type: ignore[method-assign]  # this argument only


def localize(command: click_core.Command, path: tuple[str, ...] = ()) -> list[str]:
    """Set every help text of the tree from the catalogue; return keys not found."""
    missing: list[str] = []

    def put(obj: object, key: str) -> None:
        if has(key):
            obj.help = t(key)
        else:
            missing.append(key)

    put(command, help_key(path))
    command.options_metavar = t("framework.options_metavar")
    context = click_core.Context(command, help_option_names=["-h", "--help"])
    help_option = command.get_help_option(context)
    if help_option is not None:
        help_option.help = t("help.option.help")
    for param in command.params:
        if param.name and hasattr(param, "help"):
            put(param, help_key(path, param.name))
        if isinstance(param, typer.core.TyperArgument):
            _choices_only(param)
    for name, sub in getattr(command, "commands", {}).items():
        missing.extend(localize(sub, (*path, name)))
    return missing


# typer's English wording of bad values and command suggestions -> catalogue keys
VALUE_PROBLEMS = (
    (re.compile(r"Input should be a valid integer"), "framework.not_integer"),
    (re.compile(r"Input should be a valid number"), "framework.not_number"),
    (re.compile(r"Input should be greater than or equal to (?P<limit>\S+)"), "framework.at_least"),
    (re.compile(r"Input should be less than or equal to (?P<limit>\S+)"), "framework.at_most"),
    (
        re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.*)\.$"),
        "framework.not_one_of",
    ),
)
SUGGESTION = re.compile(r"^(?P<problem>.*)\. Did you mean (?P<names>.*)\?$", re.S)


def _value_problem(message: str) -> str:
    for pattern, key in VALUE_PROBLEMS:
        found = pattern.search(message)
        if found:
            return t(key, **found.groupdict())
    return message


def _with_suggestion(message: str) -> str:
    found = SUGGESTION.match(message)
    if not found:
        return message
    return f"{found['problem']}. " + t("framework.did_you_mean_command", names=found["names"])


def usage_error_text(exc: Exception) -> str:
    """A usage error as the user sees it: usage line, where to get help, the problem."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                t("framework.try_help", command=ctx.command_path, option=ctx.help_option_names[0])
            )
        lines.append("")
    if isinstance(exc, errors.NoSuchOption):
        problem = t("framework.no_such_option", name=exc.option_name)
        if exc.possibilities:
            problem += " " + t("framework.did_you_mean", names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, errors.MissingParameter) and exc.param is not None and not exc.message:
        problem = t("framework.missing", name=exc.param.get_error_hint())
    elif isinstance(exc, errors.BadParameter) and exc.param is not None:
        problem = t(
            "framework.bad_value",
            name=exc.param.get_error_hint(),
            problem=_value_problem(exc.message),
        )
    else:
        problem = _with_suggestion(exc.format_message())
    lines.append(t("framework.error", problem=problem))
    return "\n".join(lines)
