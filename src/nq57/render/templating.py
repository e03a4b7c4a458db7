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

from nq57.i18n import t

MD_TEMPLATE = "report.md.j2"
DOCX_TEMPLATE = "report.docx"


class TemplateProblem(Exception):
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

# Characters with a meaning in (GitHub-flavoured) Markdown inline text and tables.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_LIST_MARK = re.compile(r"^([+\-])(?=\s|$)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def md_escape(value: object) -> Markup:
    """Text -> Markdown that shows it literally, on one line (safe in table cells).

    ``| * _ [ ] ` ~ # \\`` are backslash-escaped, ``& < >`` become entities, a
    line break becomes ``<br>``, and a line that would start a list or a
    heading is escaped.
    """
    text = "" if value is None else normalize_newlines(str(value))
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _ORDERED.sub(r"\1\\\2", _LIST_MARK.sub(r"\\\1", line))
        lines.append(line)
    return Markup("<br>".join(lines))


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
    env.filters["md"] = md_escape
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
