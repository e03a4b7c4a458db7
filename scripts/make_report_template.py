"""Generate templates/report.docx, the Word template of the monthly report.

    .venv/bin/python scripts/make_report_template.py [OUTPUT]

The template is an ordinary Word document with docxtpl (Jinja) tags, laid out
as Decree 30/2020/NĐ-CP, Phụ lục I asks of an administrative report: A4
portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman
14 pt body, justified, first-line indent 1 cm; a borderless two-column header
(cơ quan chủ quản / cơ quan ban hành / số, ký hiệu — Quốc hiệu, Tiêu ngữ, địa
danh và ngày); "BÁO CÁO" and the subject centred; "Nơi nhận" and the signature
at the end; page numbers centred in the header from page 2. Tables repeat their
header row on every page.

Analysts may restyle the generated file in Word (styles "NQ57 …", "Heading 1-3")
and pass it with ``nq57 report --template``; keep the {{ … }} / {%… %} tags.
The context keys are documented in nq57.analysis.report.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
import unicodedata
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from nq57.render.report_docx import normalize_zip

FONT = "Times New Roman"
BODY_PT = 13  # Decree 30/2020: 13 to 14 pt; 13 keeps the summary on one page
TABLE_PT = 12
APPENDIX_PT = 11
PAGE_W, PAGE_H = Mm(210), Mm(297)


def _mm_up(mm: float) -> Twips:
    """Word stores twips: round up so 15 mm is not saved as 14.99 mm."""
    return Twips(math.ceil(mm / 25.4 * 1440))


TOP, BOTTOM, LEFT, RIGHT = _mm_up(20), _mm_up(20), _mm_up(30), _mm_up(15)
TEXT_W = 210 - 30 - 15  # mm
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "templates" / "report.docx"


# --- low-level helpers -------------------------------------------------------

# Word rejects a file whose property elements are out of schema order, so every
# element added by hand goes before the first of its successors (ECMA-376 order).
PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
TBLPR_AFTER = {
    "w:tblBorders": ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange"),
    "w:tblCellMar": ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"),
}  # fmt: skip
RPR_AFTER_SZCS = (
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
    "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_font(rpr_owner, size: float | None = None, bold=None, italic=None, caps=None) -> None:
    """Times New Roman on every script slot (no theme fonts), size, weight."""
    font = rpr_owner.font
    font.name = FONT
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    if size is not None:
        font.size = Pt(size)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.insert_element_before(szcs, *RPR_AFTER_SZCS)
        szcs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if caps is not None:
        font.all_caps = caps
    font.color.rgb = RGBColor(0, 0, 0)


def border_element(tag: str, edges: dict[str, str]) -> OxmlElement:
    """<w:tblBorders>/<w:pBdr> with the given edges: 'single' or 'nil'."""
    element = OxmlElement(tag)
    for edge, kind in edges.items():
        child = OxmlElement(f"w:{edge}")
        child.set(qn("w:val"), kind)
        if kind != "nil":
            child.set(qn("w:sz"), "6")
            child.set(qn("w:space"), "0")
            child.set(qn("w:color"), "000000")
        element.append(child)
    return element


def set_table_borders(table, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    kind = "single" if visible else "nil"
    edges = {e: kind for e in ("top", "left", "bottom", "right", "insideH", "insideV")}
    tbl_pr.insert_element_before(
        border_element("w:tblBorders", edges), *TBLPR_AFTER["w:tblBorders"]
    )
    if visible:  # narrow cell margins (1.2 mm) leave room for the text of narrow columns
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            child = OxmlElement(f"w:{edge}")
            child.set(qn("w:w"), str(round(1.2 / 25.4 * 1440)))
            child.set(qn("w:type"), "dxa")
            margins.append(child)
        tbl_pr.insert_element_before(margins, *TBLPR_AFTER["w:tblCellMar"])


def set_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in place
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def keep_row(row, header: bool = False) -> None:
    """Keep a row on one page (w:cantSplit); a header row also repeats on every
    page the table runs over (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def cell_text(cell, text: str, style: str) -> None:
    """Put one paragraph of text (one run) in a cell."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)


def add_par(cell_or_doc, text: str, style: str, **run_format):
    paragraph = cell_or_doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        for key, value in run_format.items():
            setattr(run.font, key, value)
    return paragraph


def rule(cell_or_doc, indent_mm: float):
    """A short centred horizontal rule: an empty paragraph 7 pt high with a bottom border
    (the height keeps the rule clear of the descenders of the line above)."""
    paragraph = cell_or_doc.add_paragraph(style="NQ57 Đầu văn bản")
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(indent_mm)
    fmt.right_indent = Mm(indent_mm)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = Pt(7)
    paragraph._p.get_or_add_pPr().insert_element_before(
        border_element("w:pBdr", {"bottom": "single"}), *PPR_AFTER_PBDR
    )
    return paragraph


def first_paragraph(cell, text: str, style: str, **run_format):
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    run = paragraph.add_run(text)
    for key, value in run_format.items():
        setattr(run.font, key, value)
    return paragraph


# --- styles -----------------------------------------------------------------


def paragraph_style(doc, name: str, base: str = "Normal", **fmt):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base] if base and name != base else None
    set_font(
        style,
        fmt.pop("size", None),
        fmt.pop("bold", None),
        fmt.pop("italic", None),
        fmt.pop("caps", None),
    )
    pf = style.paragraph_format
    for key, value in fmt.items():
        setattr(pf, key, value)
    if name.startswith("NQ57"):  # an ASCII style id, whatever the (Vietnamese) name
        plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
        style.style_id = "".join(c for c in plain if c.isascii() and c.isalnum())
    style.quick_style = True
    return style


def define_styles(doc) -> None:
    # Defaults for everything (also table text and headers): Times New Roman, Vietnamese.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *RPR_AFTER_LANG)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    lang.set(qn("w:bidi"), "ar-SA")

    paragraph_style(
        doc,
        "Normal",
        base=None,
        size=BODY_PT,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Mm(10),
        space_before=Pt(6),
        space_after=Pt(0),
        line_spacing=1.0,
        widow_control=True,
    )
    heading = {"first_line_indent": Mm(10), "space_before": Pt(6), "space_after": Pt(0)}
    paragraph_style(
        doc,
        "Heading 1",
        size=BODY_PT,
        bold=True,
        italic=False,
        caps=True,
        keep_with_next=True,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        **heading,
    )
    paragraph_style(
        doc,
        "Heading 2",
        size=BODY_PT,
        bold=True,
        italic=False,
        keep_with_next=True,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        **heading,
    )
    paragraph_style(
        doc,
        "Heading 3",
        size=BODY_PT,
        bold=True,
        italic=True,
        keep_with_next=True,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Mm(10),
        space_before=Pt(6),
        space_after=Pt(0),
    )
    centred = {
        "alignment": WD_ALIGN_PARAGRAPH.CENTER,
        "first_line_indent": Mm(0),
        "space_before": Pt(0),
        "space_after": Pt(0),
        "line_spacing": 1.0,
    }
    paragraph_style(doc, "NQ57 Đầu văn bản", size=13, **centred)
    paragraph_style(
        doc,
        "NQ57 Tên loại",
        size=BODY_PT,
        bold=True,
        keep_with_next=True,
        **{**centred, "space_before": Pt(12)},
    )
    paragraph_style(doc, "NQ57 Trích yếu", size=BODY_PT, bold=True, keep_with_next=True, **centred)
    paragraph_style(
        doc, "NQ57 Hình", size=BODY_PT, keep_with_next=True, **{**centred, "space_before": Pt(6)}
    )
    paragraph_style(
        doc, "NQ57 Chú thích hình", size=TABLE_PT, italic=True, **{**centred, "space_after": Pt(6)}
    )
    paragraph_style(doc, "NQ57 Chữ ký", size=BODY_PT, bold=True, **centred)
    paragraph_style(
        doc,
        "NQ57 Nơi nhận",
        size=11,
        alignment=WD_ALIGN_PARAGRAPH.LEFT,
        first_line_indent=Mm(0),
        space_before=Pt(0),
        space_after=Pt(0),
    )
    paragraph_style(
        doc,
        "NQ57 Tiêu đề phụ lục",
        size=BODY_PT,
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.LEFT,
        first_line_indent=Mm(0),
        space_before=Pt(12),
        space_after=Pt(6),
        keep_with_next=True,
    )
    cell = {
        "first_line_indent": Mm(0),
        "space_before": Pt(2),
        "space_after": Pt(2),
        "line_spacing": 1.0,
    }
    paragraph_style(doc, "NQ57 Bảng", size=TABLE_PT, alignment=WD_ALIGN_PARAGRAPH.LEFT, **cell)
    paragraph_style(
        doc, "NQ57 Bảng giữa", size=TABLE_PT, alignment=WD_ALIGN_PARAGRAPH.CENTER, **cell
    )
    paragraph_style(doc, "NQ57 Bảng số", size=TABLE_PT, alignment=WD_ALIGN_PARAGRAPH.RIGHT, **cell)
    paragraph_style(
        doc,
        "NQ57 Bảng tiêu đề",
        size=TABLE_PT,
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        **cell,
    )
    paragraph_style(
        doc,
        "NQ57 Bảng ghi chú",
        size=10,
        italic=True,
        alignment=WD_ALIGN_PARAGRAPH.LEFT,
        **{**cell, "space_before": Pt(0)},
    )
    paragraph_style(
        doc,
        "NQ57 Ghi chú bảng",
        size=TABLE_PT,
        italic=True,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Mm(0),
        space_before=Pt(3),
        space_after=Pt(0),
    )
    # The summary's tables: the appendix's size with tighter rows, so that section I
    # (counts, agencies behind, KPIs, filings, proposals) holds on its one page.
    tight = {**cell, "space_before": Pt(1), "space_after": Pt(1)}
    paragraph_style(
        doc, "NQ57 Tóm tắt", size=APPENDIX_PT, alignment=WD_ALIGN_PARAGRAPH.LEFT, **tight
    )
    paragraph_style(
        doc, "NQ57 Tóm tắt giữa", size=APPENDIX_PT, alignment=WD_ALIGN_PARAGRAPH.CENTER, **tight
    )
    paragraph_style(
        doc,
        "NQ57 Tóm tắt tiêu đề",
        size=APPENDIX_PT,
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        **tight,
    )
    paragraph_style(
        doc, "NQ57 Phụ lục", size=APPENDIX_PT, alignment=WD_ALIGN_PARAGRAPH.LEFT, **cell
    )
    paragraph_style(
        doc, "NQ57 Phụ lục giữa", size=APPENDIX_PT, alignment=WD_ALIGN_PARAGRAPH.CENTER, **cell
    )
    paragraph_style(
        doc,
        "NQ57 Phụ lục tiêu đề",
        size=APPENDIX_PT,
        bold=True,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        **cell,
    )


# --- page setup, page numbers -----------------------------------------------


def compatibility(doc) -> None:
    """A justified line that ends in a line break is not stretched (Word and LibreOffice)."""
    compat = doc.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        doc.settings.element.append(compat)
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    paragraph = section.header.paragraphs[0]
    paragraph.style = "NQ57 Đầu văn bản"
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        set_font(run, BODY_PT)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    section.first_page_header.paragraphs[0].style = "NQ57 Đầu văn bản"


# --- the document -------------------------------------------------------------


def header_block(doc) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_borders(table, visible=False)
    left_w, right_w = 68, TEXT_W - 68
    set_widths(table, [left_w, right_w])
    left, right = table.cell(0, 0), table.cell(0, 1)
    first_paragraph(left, "{%p if header.parent_body %}", "NQ57 Đầu văn bản")
    add_par(left, "{{ header.parent_body_block }}", "NQ57 Đầu văn bản")
    add_par(left, "{%p endif %}", "NQ57 Đầu văn bản")
    add_par(left, "{{ header.issuing_body_block }}", "NQ57 Đầu văn bản", bold=True)
    rule(left, (left_w - 24) / 2)
    first_paragraph(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "NQ57 Đầu văn bản", bold=True, size=Pt(12.5)
    )
    add_par(right, "Độc lập - Tự do - Hạnh phúc", "NQ57 Đầu văn bản", bold=True, size=Pt(13.5))
    rule(right, (right_w - 60) / 2)
    first_paragraph(table.cell(1, 0), "{{ header.number_line }}", "NQ57 Đầu văn bản")
    first_paragraph(
        table.cell(1, 1),
        "{{ header.place_date }}",
        "NQ57 Đầu văn bản",
        italic=True,
        size=Pt(BODY_PT),
    )


def data_table(
    doc,
    columns,
    loop: str,
    cells,
    total=None,
    style="NQ57 Bảng",
    head_style="NQ57 Bảng tiêu đề",
    centre_style="NQ57 Bảng giữa",
):
    """A bordered table: header row (repeated on each page), a docxtpl row loop
    (``loop`` is the Jinja ``for`` clause), optionally a total row.

    ``columns``: [(header, width_mm)]; ``cells``: per column a list of
    (text, style) paragraphs of the data row; ``total``: per column text.
    """
    rows = 4 + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_borders(table, visible=True)
    set_widths(table, [w for _, w in columns])
    header = table.rows[0]
    keep_row(header, header=True)
    keep_row(table.rows[2])
    for i, (label, _) in enumerate(columns):
        cell_text(header.cells[i], label, head_style)
    cell_text(table.cell(1, 0), "{%tr for " + loop + " %}", style)
    for i, paragraphs in enumerate(cells):
        cell = table.cell(2, i)
        for j, (text, par_style) in enumerate(paragraphs):
            if j == 0:
                cell_text(cell, text, par_style or style)
            else:
                add_par(cell, text, par_style or style)
    cell_text(table.cell(3, 0), "{%tr endfor %}", style)
    if total:
        for i, text in enumerate(total):
            cell = table.cell(4, i)
            cell_text(cell, text, head_style if i == 0 else centre_style)
            for run in cell.paragraphs[0].runs:
                run.font.bold = True
    return table


def task_table(doc, rows_var: str, extra: list[tuple[str, float, str]]):
    """Tasks: STT, Nhiệm vụ (title + plan/ref), Đơn vị chủ trì, then ``extra`` columns."""
    fixed = 11 + 42 + sum(w for _, w, _ in extra)
    columns = [("STT", 11), ("Nhiệm vụ", TEXT_W - fixed), ("Đơn vị chủ trì", 42)]
    columns += [(label, w) for label, w, _ in extra]
    cells = [
        [("{{ loop.index }}", "NQ57 Phụ lục giữa")],
        [("{{ r.short_title }}", None), ("{{ r.source }}", "NQ57 Bảng ghi chú")],
        [("{{ r.lead }}", None)],
    ] + [[(text, "NQ57 Phụ lục giữa")] for _, _, text in extra]
    return data_table(
        doc, columns, f"r in {rows_var}", cells,
        style="NQ57 Phụ lục", head_style="NQ57 Phụ lục tiêu đề",
    )  # fmt: skip


def more(doc, var: str) -> None:
    """The count of a list's rows not listed ("… và N nhiệm vụ khác"), when there are any."""
    add_par(doc, "{%p if " + var + " %}", "Normal")
    add_par(doc, "{{ " + var + " }}", "NQ57 Ghi chú bảng")
    add_par(doc, "{%p endif %}", "Normal")


def task_section(doc, var: str, empty: str, extra) -> None:
    add_par(doc, "{%p if " + var + " %}", "Normal")
    task_table(doc, var, extra)
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, empty, "Normal")
    add_par(doc, "{%p endif %}", "Normal")


GROUP_LABELS = [
    ("done_on_time", "HT đúng hạn"),
    ("done_late", "HT quá hạn"),
    ("overdue", "Quá hạn"),
    ("due_soon", "{{ group_labels.due_soon }}"),
    ("on_track", "Trong hạn"),
    ("no_deadline", "Thường xuyên"),
    ("cancelled", "Đã hủy"),
]


def group_table(doc, rows_var: str, total_var: str, first_label: str, name_expr: str) -> None:
    """Counts per agency or plan: one column per class (the labels of the class table)."""
    num_w = 13.5
    widths = {"no_deadline": 16.0, "due_soon": 19.0, "done_on_time": 14.5, "done_late": 14.5}
    first_w = TEXT_W - num_w - sum(widths.get(key, num_w) for key, _ in GROUP_LABELS)
    columns = [(first_label, first_w), ("{{ text['col.total'] }}", num_w)]
    columns += [(lab, widths.get(key, num_w)) for key, lab in GROUP_LABELS]
    cells = [[("{{ " + name_expr + " }}", None)], [("{{ r.total }}", "NQ57 Bảng giữa")]]
    cells += [[("{{ r." + key + " }}", "NQ57 Bảng giữa")] for key, _ in GROUP_LABELS]
    total = ["{{ " + total_var + ".name }}", "{{ " + total_var + ".total }}"]
    total += ["{{ " + total_var + "." + key + " }}" for key, _ in GROUP_LABELS]
    data_table(
        doc, columns, f"r in {rows_var}", cells, total=total,
        style="NQ57 Phụ lục", head_style="NQ57 Phụ lục tiêu đề",
    )  # fmt: skip
    add_par(
        doc,
        "Ghi chú: HT - hoàn thành; {{ text.table_note|replace('Ghi chú: ', '') }}",
        "NQ57 Ghi chú bảng",
    )


def chart(doc, key: str, number: int) -> None:
    add_par(doc, "{%p if charts." + key + " %}", "Normal")
    add_par(doc, "{{ charts." + key + ".image }}", "NQ57 Hình")
    add_par(doc, f"Hình {number}. " + "{{ charts." + key + ".title }}", "NQ57 Chú thích hình")
    add_par(doc, "{%p endif %}", "Normal")


def agency_groups(doc, var: str) -> None:
    """Section II: per agency a bold line, then its overdue and due tasks (11 pt)."""
    add_par(doc, "{%p for g in " + var + " %}", "Normal")
    head = add_par(doc, "{{ g.number }}. {{ g.head }}", "Heading 3")
    head.paragraph_format.space_before = Pt(8)
    widths = [("{{ text['col.no'] }}", 11), ("{{ text['col.task'] }}", 0),
              ("{{ text['col.due'] }}", 25), ("{{ text['col.task_progress'] }}", 14),
              ("{{ text['col.latest'] }}", 36)]  # fmt: skip
    widths[1] = (widths[1][0], TEXT_W - sum(w for _, w in widths))
    small = "NQ57 Phụ lục"
    data_table(
        doc,
        widths,
        "r in g.rows",
        [
            [("{{ loop.index }}", "NQ57 Phụ lục giữa")],
            [("{{ r.short_title }}", small), ("{{ r.reference }}", "NQ57 Bảng ghi chú")],
            [("{{ r.due_text }}", small), ("{{ r.late_text }}", "NQ57 Bảng ghi chú")],
            [("{{ r.progress }}", "NQ57 Phụ lục giữa")],
            [("{% if r.note %}{{ r.note_date }}: {{ r.note }}{% endif %}", small)],
        ],
        style=small,
        head_style="NQ57 Phụ lục tiêu đề",
    )
    add_par(doc, "{%p if g.more %}", "Normal")
    add_par(doc, "{{ g.more_text }}", "NQ57 Ghi chú bảng")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{%p endfor %}", "Normal")


def other_groups(doc, var: str, heading: str, sentence: str) -> None:
    """Section II: the agencies not listed in full, one row each (nothing dropped)."""
    add_par(doc, "{%p if " + var + " %}", "Normal")
    head = add_par(doc, heading, "Heading 3")
    head.paragraph_format.space_before = Pt(8)
    add_par(doc, sentence, "Normal").paragraph_format.keep_with_next = True
    columns = [("{{ text['col.agency'] }}", 0), ("{{ text['col.overdue'] }}", 20),
               ("{{ text['col.due_next'] }}", 26), ("{{ text['col.progress'] }}", 24),
               ("{{ text['col.stale'] }}", 28)]  # fmt: skip
    columns[0] = (columns[0][0], TEXT_W - sum(w for _, w in columns))
    data_table(
        doc,
        columns,
        "r in " + var,
        [
            [("{{ r.name }}", None)],
            [("{{ r.overdue }}", "NQ57 Phụ lục giữa")],
            [("{{ r.due }}", "NQ57 Phụ lục giữa")],
            [("{{ r.progress }}", "NQ57 Phụ lục giữa")],
            [("{{ r.stale }}", "NQ57 Phụ lục giữa")],
        ],
        style="NQ57 Phụ lục",
        head_style="NQ57 Phụ lục tiêu đề",
    )
    add_par(doc, "{%p endif %}", "Normal")


def body(doc) -> None:
    header_block(doc)
    add_par(doc, "{{ title }}", "NQ57 Tên loại")
    add_par(doc, "{{ subject }}", "NQ57 Trích yếu")
    rule(doc, (TEXT_W - 50) / 2)

    # I. Summary: one page.
    add_par(doc, "{{ text.summary }}", "Heading 1")
    add_par(doc, "{{ text.classes }}", "Heading 2")
    add_par(
        doc, "Phạm vi: {{ scope.text }}. {{ sentences.overview }}", "Normal"
    ).paragraph_format.keep_with_next = True
    data_table(
        doc,
        [
            ("{{ text['col.status'] }}", TEXT_W - 4 * 25),
            ("{{ text['col.count'] }}", 25),
            ("{{ text['col.share'] }}", 25),
            ("{{ previous_as_of }}", 25),
            ("{{ text['col.change'] }}", 25),
        ],  # fmt: skip
        "r in class_rows",
        [
            [("{{ r.label }}", None)],
            [("{{ r.count }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.share }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.before }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.change }}", "NQ57 Tóm tắt giữa")],
        ],
        total=["{{ text.total }}", "{{ counts.total }}", "", "", ""],
        style="NQ57 Tóm tắt",
        head_style="NQ57 Tóm tắt tiêu đề",
        centre_style="NQ57 Tóm tắt giữa",
    )
    add_par(doc, "{{ text.most_behind }}", "Heading 2")
    add_par(doc, "{%p if most_behind %}", "Normal")
    data_table(
        doc,
        [
            ("{{ text['col.agency'] }}", TEXT_W - 4 * 24 - 14),
            ("{{ text['col.tasks'] }}", 24),
            ("{{ text['col.overdue'] }}", 24),
            ("{{ text['col.stale'] }}", 38),
            ("{{ text['col.progress'] }}", 24),
        ],  # fmt: skip
        "r in most_behind",
        [
            [("{{ r.name }}", None)],
            [("{{ r.total }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.overdue }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.stale }}", "NQ57 Tóm tắt giữa")],
            [("{{ r.progress }}", "NQ57 Tóm tắt giữa")],
        ],
        style="NQ57 Tóm tắt",
        head_style="NQ57 Tóm tắt tiêu đề",
        centre_style="NQ57 Tóm tắt giữa",
    )
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_behind }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{{ text.kpis_behind }}", "Heading 2")
    add_par(doc, "{%p for k in kpis_behind %}", "Normal")
    add_par(
        doc,
        "- {{ k.name }} ({{ k.source_ref }}): {{ k.value }} ({{ k.date }}); "
        "{{ text['col.target']|lower }} {{ k.target_text }}.",
        "Normal",
    )
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_kpis_behind }}", "Normal")
    add_par(doc, "{%p endfor %}", "Normal")
    add_par(doc, "{{ text.filings }}", "Heading 2")
    add_par(doc, "{%p if filings %}", "Normal")
    data_table(
        doc,
        [
            ("{{ text['col.document'] }}", 28),
            ("{{ text['col.frequency'] }}", 20),
            ("{{ text['col.to'] }}", TEXT_W - 28 - 20 - 22 - 42),
            ("{{ text['col.next_due'] }}", 22),
            ("{{ text['col.previous'] }}", 42),
        ],  # fmt: skip
        "f in filings",
        [
            [("{{ f.plan }}", None)],
            [("{{ f.frequency }}", None)],
            [("{{ f.to }}", None)],
            [("{{ f.next_due }}", "NQ57 Tóm tắt giữa")],
            [("{% if f.late %}{{ text.not_sent }} ({{ f.last_due }}){% endif %}", None)],
        ],
        style="NQ57 Tóm tắt",
        head_style="NQ57 Tóm tắt tiêu đề",
        centre_style="NQ57 Tóm tắt giữa",
    )
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_filings }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{{ text.proposals }}", "Heading 2")
    add_par(doc, "{%p for p in proposals %}", "Normal")
    add_par(doc, "{{ p }}", "Normal")
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ blank }}", "Normal")
    add_par(doc, "{%p endfor %}", "Normal")

    # II. Overdue and due tasks by agency. No page break before it: when the summary runs
    # a few lines past its page, a break would leave the rest of that page blank.
    add_par(doc, "{{ text.by_agency }}", "Heading 1")
    add_par(doc, "{%p if groups or collective_groups %}", "Normal")
    add_par(doc, "{{ sentences.groups }}", "Normal")
    chart(doc, "classes", 1)
    agency_groups(doc, "groups")
    other_groups(doc, "other_groups", "{{ text.others }}", "{{ sentences.others }}")
    add_par(doc, "{%p if collective_groups %}", "Normal")
    add_par(doc, "{{ text.collective }}", "Heading 2")
    agency_groups(doc, "collective_groups")
    other_groups(
        doc,
        "other_collective_groups",
        "{{ text.others_collective }}",
        "{{ sentences.others_collective }}",
    )
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_tasks }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")

    # III. Movement.
    add_par(doc, "{{ text.movement }}", "Heading 1")
    add_par(doc, "{{ text.completed }}", "Heading 2")
    add_par(doc, "{%p if completed %}", "Normal")
    add_par(doc, "{{ sentences.completed }}", "Normal").paragraph_format.keep_with_next = True
    task_table(
        doc,
        "completed_listed",
        [
            ("{{ text['col.due'] }}", 26, "{{ r.due_text }}"),
            ("{{ text['col.completed'] }}", 26, "{{ r.completed }}"),
        ],  # fmt: skip
    )
    more(doc, "completed_more")
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_completed }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{{ text.newly_overdue }}", "Heading 2")
    add_par(doc, "{{ sentences.newly_overdue }}", "Normal")
    add_par(doc, "{%p if newly_overdue %}", "Normal")
    task_table(doc, "newly_overdue_listed", [("{{ text['col.due'] }}", 30, "{{ r.due_text }}")])
    more(doc, "newly_overdue_more")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{{ text.extended }}", "Heading 2")
    add_par(doc, "{%p if extended %}", "Normal")
    task_table(
        doc,
        "extended",
        [
            ("{{ text['col.old_due'] }}", 24, "{{ r.old }}"),
            ("{{ text['col.new_due'] }}", 24, "{{ r.new }}"),
        ],  # fmt: skip
    )
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ extended_note }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")
    add_par(doc, "{{ text.by_plan }}", "Heading 2")
    group_table(doc, "by_plan", "by_plan_total", "{{ text['col.plan'] }}", "r.label")
    chart(doc, "trend", 2)

    # IV. KPIs.
    add_par(doc, "{{ text.kpis }}", "Heading 1")
    add_par(doc, "{{ sentences.kpis }}", "Normal").paragraph_format.keep_with_next = True
    add_par(doc, "{%p if kpis %}", "Normal")
    data_table(
        doc,
        [
            ("{{ text['col.no'] }}", 10),
            ("{{ text['col.kpi'] }}", TEXT_W - 10 - 40 - 36 - 26),
            ("{{ text['col.target'] }}", 40),
            ("{{ text['col.value'] }}", 36),
            ("{{ text['col.assessment'] }}", 26),
        ],
        "k in kpis",
        [
            [("{{ loop.index }}", "NQ57 Phụ lục giữa")],
            [("{{ k.name }}", None), ("{{ k.source_ref }}", "NQ57 Bảng ghi chú")],
            [("{{ k.target_text }}", None)],
            [("{{ k.value }}", None), ("({{ k.date }})", "NQ57 Bảng ghi chú")],
            [("{{ k.label }}", "NQ57 Phụ lục giữa")],
        ],
        style="NQ57 Phụ lục",
        head_style="NQ57 Phụ lục tiêu đề",
    )
    add_par(doc, "{%p endif %}", "Normal")
    chart(doc, "kpis", 3)

    # V. Difficulties (updates marked as such), then the attachment and the signature.
    add_par(doc, "{{ text.difficulties }}", "Heading 1")
    add_par(doc, "{%p for d in difficulties %}", "Normal")
    add_par(
        doc,
        "- {{ d.title }} ({{ d.reference }}; {{ d.lead }}), ngày {{ d.date }}: {{ d.note }}",
        "Normal",
    )
    add_par(doc, "{%p else %}", "Normal")
    add_par(doc, "{{ text.no_difficulties }}", "Normal")
    add_par(doc, "{%p endfor %}", "Normal")
    add_par(doc, "{%p if appendix_mode == 'xlsx' and appendix_file %}", "Normal")
    add_par(doc, "{{ sentences.appendix_xlsx }}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")

    signature(doc)
    appendix(doc)


def signature(doc) -> None:
    """The closing sentence, "Nơi nhận" and the signer in one borderless table of one row
    that cannot split: the signature never stands alone at the top of a page."""
    outer = doc.add_table(rows=1, cols=1)
    outer.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_borders(outer, visible=False)
    set_widths(outer, [TEXT_W])
    keep_row(outer.rows[0])
    box = outer.cell(0, 0)
    first_paragraph(box, "{{ sentences.closing }}", "Normal")
    table = box.add_table(rows=1, cols=2)
    set_table_borders(table, visible=False)
    set_widths(table, [TEXT_W / 2 - 2, TEXT_W / 2 - 2])
    keep_row(table.rows[0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    first_paragraph(
        left, "{{ text.recipients }}", "NQ57 Nơi nhận", bold=True, italic=True, size=Pt(12)
    )
    add_par(left, "{%p for r in header.recipients %}", "NQ57 Nơi nhận")
    add_par(left, "- {{ r }}", "NQ57 Nơi nhận")
    add_par(left, "{%p endfor %}", "NQ57 Nơi nhận")
    first_paragraph(right, "{{ header.signer_title|upper }}", "NQ57 Chữ ký")
    for _ in range(4):
        add_par(right, "", "NQ57 Chữ ký")
    add_par(right, "{{ header.signer_name }}", "NQ57 Chữ ký")
    add_par(box, "", "NQ57 Nơi nhận")  # Word needs a paragraph after a nested table


def appendix(doc) -> None:
    add_par(doc, "{%p if appendix_mode == 'docx' %}", "Normal")
    title = add_par(doc, "{{ text.appendix }}", "NQ57 Tên loại")
    title.paragraph_format.page_break_before = True
    add_par(doc, "{{ text.appendix_title }}", "NQ57 Trích yếu")
    add_par(doc, "{{ sentences.appendix_intro }}", "NQ57 Hình", italic=True)
    add_par(doc, "{{ text.appendix_by_agency }}", "NQ57 Tiêu đề phụ lục")
    group_table(doc, "by_agency", "by_agency_total", "{{ text['col.agency'] }}", "r.name")
    add_par(doc, "{{ text.appendix_tasks }}", "NQ57 Tiêu đề phụ lục")
    add_par(doc, "{%p for plan in appendix %}", "Normal")
    add_par(
        doc,
        "{{ plan.label }}{% if plan.title %}: {{ plan.title }}{% endif %}",
        "NQ57 Tiêu đề phụ lục",
    )
    data_table(
        doc,
        [
            ("{{ text['col.ref'] }}", 13),
            ("{{ text['col.task'] }}", TEXT_W - 13 - 38 - 26 - 24),
            ("{{ text['col.agency'] }}", 38),
            ("{{ text['col.deadline'] }}", 26),
            ("{{ text['col.status'] }}", 24),
        ],
        "r in plan.rows",
        [
            [("{{ r.ref }}", "NQ57 Phụ lục")],
            [("{{ r.title }}", "NQ57 Phụ lục")],
            [("{{ r.lead }}", "NQ57 Phụ lục")],
            [("{{ r.due_text }}", "NQ57 Phụ lục")],
            [("{{ r.class_label }}", "NQ57 Phụ lục")],
        ],
        style="NQ57 Phụ lục",
        head_style="NQ57 Phụ lục tiêu đề",
    )
    add_par(doc, "{%p endfor %}", "Normal")
    add_par(doc, "{%p endif %}", "Normal")


def properties(doc) -> None:
    core = doc.core_properties
    core.title = "Báo cáo tháng - Nghị quyết 57-NQ/TW"
    core.subject = ""
    core.author = "nq57"
    core.last_modified_by = "nq57"
    core.comments = "Mẫu báo cáo tháng (docxtpl); tạo bởi scripts/make_report_template.py"
    core.keywords = ""
    core.revision = 1
    core.created = FIXED_TIME
    core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME
    core.language = "vi-VN"


def build(output: Path) -> None:
    doc = Document()
    # The default document starts with one empty paragraph: drop it.
    for paragraph in list(doc.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    define_styles(doc)
    compatibility(doc)
    page_setup(doc)
    body(doc)
    properties(doc)
    output.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    output.write_bytes(normalize_zip(buf.getvalue()))  # same script -> same bytes


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    build(output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
