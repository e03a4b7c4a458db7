"""The monthly report as Markdown, from the context of :mod:`nq57.analysis.report`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from nq57.i18n import language
from nq57.render.templating import TemplateProblem, describe_template_error, load_markdown_template


def render_markdown(context: dict[str, Any], template: Path | None = None) -> str:
    """Render with the shipped template or ``template`` (a Jinja .j2 file).

    The result ends with exactly one newline and has no trailing spaces, so
    the same data always gives the same bytes.
    """
    compiled = load_markdown_template(template)
    try:
        with language("vi"):  # the report is Vietnamese whatever the interface language
            text = compiled.render(context)
    except TemplateError as exc:
        raise TemplateProblem(
            describe_template_error(template or Path("report.md.j2"), exc)
        ) from None
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
