"""Report templates: where the shipped ones are, the Jinja environment, escaping.

Shipped templates live in the package resource ``nq57/templates`` when nq57 is
installed from a wheel (pyproject force-includes the repository's top-level
``templates/`` there); in a source checkout or editable install they are read
from the repository's ``templates/`` folder.

Every template, shipped or given with ``--template``, is rendered in a
:class:`~jinja2.sandbox.SandboxedEnvironment` with autoescaping and strict
undefined variables: a user template cannot reach Python internals, and a
misspelt variable is an error, not an empty string.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from jinja2 import DictLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from nq57.errors import Nq57Error
from nq57.i18n import t

MD_TEMPLATE = "report.md.j2"
DOCX_TEMPLATE = "report.docx"


class TemplateProblem(Nq57Error):
    """A template cannot be found, read or rendered (message names the file)."""


def templates_dir() -> Path:
    """The folder of the shipped templates (package resource, else the repository's)."""
    packaged = resources.files("nq57") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "templates"  # src/nq57/render/ -> repo


def shipped_template(name: str) -> Path:
    path = templates_dir() / name
    if not path.is_file():
        raise TemplateProblem(t("template.not_shipped", name=name, folder=templates_dir()))
    return path


# --- Markdown escaping -------------------------------------------------------

# What Markdown (GitHub-flavoured) would read as markup in inline text and table cells;
# everything else is left as typed, so the text reads cleanly as plain text too.
_ALWAYS = re.compile(r"([\\`*|])")  # backslash, code, emphasis, table cell
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-zÀ-ỹ])_|_(?![0-9A-Za-zÀ-ỹ])")  # not inside a word
_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # what could open an HTML tag or comment
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # what would be read as an entity
_LINK = re.compile(r"\[(?=[^\]]*\])")  # a bracket that a later ']' closes
_STRIKE = re.compile(r"~(?=~)|(?<=~)~")
_LINE_START = re.compile(r"^([+\-#>]|\d+[.)])(?=\s|$)")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def md_escape(value: object, line_start: bool = True) -> Markup:
    """Text -> Markdown that shows it literally, on one line (safe in table cells).

    Only what Markdown would misread is escaped with a backslash: ``\\ ` * |``, an
    underscore at a word edge, ``[`` before a ``]``, ``~~``, ``<`` that could open a tag,
    ``&`` that could start an entity, and -- only with ``line_start``, for text that
    begins a block -- a list, heading or quote mark at the start ('- ', '1.', '#', '>').
    Line breaks become spaces. No HTML entities, no ``<br>``.
    """
    text = "" if value is None else normalize_newlines(str(value))
    line = " ".join(part.strip() for part in text.split("\n") if part.strip())
    line = _ALWAYS.sub(r"\\\1", line)
    line = _UNDERSCORE.sub(r"\\_", line)
    line = _TAG.sub(r"\\<", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _LINK.sub(r"\\[", line)
    line = _STRIKE.sub(r"\\~", line)
    match = _LINE_START.match(line) if line_start else None
    if match:
        mark = match.group(1)
        line = (mark[:-1] + "\\" + mark[-1] if mark[-1] in ".)" else "\\" + mark) + line[
            len(mark) :
        ]
    return Markup(line)


def md_inline(value: object) -> Markup:
    """:func:`md_escape` for text inside a line (a table cell, after other text, a heading's
    text): a leading '- ' or '1.' is not a mark there and stays as typed."""
    return md_escape(value, line_start=False)


def environment(markdown: bool = True) -> SandboxedEnvironment:
    """The Jinja environment of the report templates.

    Markdown: block tags eat their line end (``trim_blocks``/``lstrip_blocks``)
    so a template reads like the document. Word: docxtpl's own conventions
    (``{%p %}``, ``{%tr %}``), no whitespace control.
    """
    options = {"trim_blocks": True, "lstrip_blocks": True} if markdown else {}
    env = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        loader=DictLoader({}),  # {% include %} / {% import %} find nothing: no file reads
        **options,
    )
    # `md` for text that starts a block (a paragraph, a list item's text): a leading
    # '- ', '1.', '#', '>' is escaped there; `mdi` for text inside a line (a table cell,
    # after other text, a heading's text), where Markdown never reads them as marks.
    env.filters["md"] = md_escape
    env.filters["mdi"] = md_inline
    env.filters["mdh"] = md_inline  # the older name of `mdi`, for templates that use it
    return env


def load_markdown_template(path: Path | None = None):
    """The Markdown template (a Jinja ``.j2`` file): the shipped one or ``path``."""
    path = path or shipped_template(MD_TEMPLATE)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateProblem(t("template.unreadable", path=path, problem=exc)) from None
    try:
        return environment().from_string(source)
    except TemplateError as exc:
        raise TemplateProblem(describe_template_error(path, exc)) from None


def describe_template_error(path: Path, exc: TemplateError) -> str:
    line = getattr(exc, "lineno", None)
    where = f"{path}:{line}" if line else str(path)
    return t("template.error", where=where, problem=exc.message or exc)
