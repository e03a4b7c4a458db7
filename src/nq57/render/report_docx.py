"""The monthly report as a Word document (docxtpl), from the same context as Markdown.

The template (shipped ``report.docx`` or ``--template``) carries the layout;
this module only fills it. Text is made safe for XML first: characters XML
cannot hold are dropped, tabs become spaces, and line breaks stay "\\n", which
docxtpl turns into real line breaks (``<w:br/>``); autoescaping then escapes
``& < >``. Charts are embedded as inline PNG pictures, 16 cm wide.

The saved file is normalised (fixed zip entry times), so the same context and
template give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from nq57.i18n import language
from nq57.render.charts import Chart
from nq57.render.templating import (
    DOCX_TEMPLATE,
    TemplateProblem,
    describe_template_error,
    environment,
    normalize_newlines,
    shipped_template,
)

CHART_WIDTH = Mm(160)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def xml_text(text: str) -> str:
    """Text that Word can hold: valid XML characters, '\\n' line breaks, no tabs."""
    return _NOT_XML.sub("", normalize_newlines(text).replace("\t", " "))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def normalize_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and permissions (reproducible bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def open_template(template: Path | None = None) -> DocxTemplate:
    path = template or shipped_template(DOCX_TEMPLATE)
    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a non-.docx file
        raise TemplateProblem(f"cannot open Word template {path}: {exc}") from None
    return tpl


def render_docx(
    context: dict[str, Any], template: Path | None = None, charts: list[Chart] | None = None
) -> bytes:
    """The filled-in document as bytes of a .docx file."""
    tpl = open_template(template)
    values = _clean(context)
    values["charts"] = {key: None for key in context.get("charts", {})}
    for chart in charts or []:
        values["charts"][chart.key] = {
            "title": xml_text(chart.title),
            "image": InlineImage(tpl, io.BytesIO(chart.png), width=CHART_WIDTH),
        }
    try:
        with language("vi"):  # the report is Vietnamese whatever the interface language
            tpl.render(values, jinja_env=environment(markdown=False), autoescape=True)
    except TemplateError as exc:
        where = template or Path(DOCX_TEMPLATE)
        raise TemplateProblem(describe_template_error(where, exc)) from None
    buf = io.BytesIO()
    tpl.save(buf)
    return normalize_zip(buf.getvalue())
