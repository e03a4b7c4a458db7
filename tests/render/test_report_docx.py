"""The Word report: page layout of Decree 30/2020/NĐ-CP, header, tables, escaping."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from nq57.analysis.report import build_report
from nq57.check.pipeline import load
from nq57.i18n import language
from nq57.model.config import load_report_config
from nq57.render.report_docx import render_docx, xml_text
from nq57.render.templating import DOCX_TEMPLATE, environment, shipped_template

from conftest import FIXTURES, invoke

REPORT = FIXTURES / "report"
TRICKY = (
    "Hoàn thiện thể chế | cơ chế *thử nghiệm* có kiểm soát (sandbox_v2) cho <AI> & dữ liệu"
    "\nGiai đoạn 1"
)


@pytest.fixture(scope="module")
def context():
    return build_report(load([REPORT]), "2025-09", load_report_config([REPORT]))


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory):
    target = tmp_path_factory.mktemp("docx") / "bc.docx"
    from nq57.cli.app import run

    assert (
        run(["report", "-m", "2025-09", "--data", str(REPORT), "-f", "docx", "-o", str(target)])
        == 0
    )
    return target


@pytest.fixture(scope="module")
def doc(docx_path):
    return Document(str(docx_path))


def all_paragraphs(doc):
    """Body paragraphs and the paragraphs inside tables, in document order."""
    yield from doc.element.body.iter(qn("w:p"))


def texts(doc) -> list[str]:
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, doc).text for p in all_paragraphs(doc)]


def close(length, expected_mm: float) -> bool:
    return abs(length - Mm(expected_mm)) < Mm(0.5)


def test_page_is_a4_portrait_with_decree_margins(doc):
    for section in doc.sections:
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert close(section.page_width, 210) and close(section.page_height, 297)
        assert Mm(20) <= section.top_margin <= Mm(25)
        assert Mm(20) <= section.bottom_margin <= Mm(25)
        assert Mm(30) <= section.left_margin <= Mm(35)
        assert Mm(15) <= section.right_margin <= Mm(20)


def test_body_font_and_paragraphs(doc):
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.first_line_indent > 0
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert doc.styles[name].font.name == "Times New Roman"


def test_page_numbers_from_page_two(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(section.header._element.itertext())
    assert "PAGE" not in "".join(section.first_page_header._element.itertext())


def test_header_block(doc):
    table = doc.tables[0]
    left, right = table.cell(0, 0), table.cell(0, 1)
    left_texts = [p.text for p in left.paragraphs if p.text]
    assert left_texts == ["BỘ TÀI CHÍNH", "VỤ PHÁP CHẾ"]
    issuing = next(p for p in left.paragraphs if p.text == "VỤ PHÁP CHẾ")
    assert all(r.bold for r in issuing.runs)
    parent = next(p for p in left.paragraphs if p.text == "BỘ TÀI CHÍNH")
    assert not any(r.bold for r in parent.runs)
    right_texts = [p.text for p in right.paragraphs if p.text]
    assert right_texts == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.bold for p in right.paragraphs for r in p.runs)
    # Short rules under the issuing body and under the motto: paragraph bottom borders.
    for cell in (left, right):
        assert any(
            p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
            for p in cell.paragraphs
        )
    assert table.cell(1, 0).text == "Số: …/BC-PC"
    date = table.cell(1, 1).paragraphs[0]
    assert date.text == "Hà Nội, ngày … tháng … năm …"
    assert all(r.italic for r in date.runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_subject_and_sections_in_order(doc):
    body = [p for p in doc.paragraphs if p.text]
    title = next(p for p in body if p.text == "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    )
    assert title.style.font.bold
    subject = body[body.index(title) + 1]
    assert subject.text.startswith("Kết quả thực hiện Nghị quyết số 57-NQ/TW")
    assert subject.text.endswith("tháng 09/2025")
    headings = [p.text for p in body if p.style.name == "Heading 1"]
    assert headings == [
        "I. TÓM TẮT",
        "II. NHIỆM VỤ QUÁ HẠN, ĐẾN HẠN ĐẾN HẾT THÁNG SAU THEO ĐƠN VỊ CHỦ TRÌ",
        "III. CHUYỂN BIẾN TRONG THÁNG",
        "IV. CHỈ TIÊU",
        "V. KHÓ KHĂN, VƯỚNG MẮC",
    ]
    assert doc.styles["Heading 1"].font.all_caps


def test_no_template_tags_left(docx_path):
    with zipfile.ZipFile(docx_path) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                xml = package.read(name).decode("utf-8")
                assert "{{" not in xml and "{%" not in xml, name


def find_table(doc, header: list[str]):
    for table in doc.tables:
        if [c.text for c in table.rows[0].cells][: len(header)] == header:
            yield table


def test_completed_table_holds_the_title_on_one_line_escaped(doc):
    # Section III shows the title on one line (shortened when long; verbatim in the appendix).
    table = next(find_table(doc, ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn", "Ngày hoàn thành"]))
    assert len(table.rows) == 4
    cells = table.rows[2].cells
    assert cells[1].paragraphs[0].text == TRICKY.replace("\n", " ")
    assert cells[1].paragraphs[1].text == "10/NQ-CP, nhiệm vụ 1"
    assert [c.text for c in (cells[0], cells[2], cells[3], cells[4])] == [
        "2",
        "Bộ Khoa học và Công nghệ",
        "30/09/2025",
        "15/09/2025",
    ]


def test_tables_contents(doc):
    groups = list(find_table(doc, ["STT", "Nhiệm vụ", "Hạn", "Tiến độ", "Cập nhật gần nhất"]))
    tables = [[[c.text for c in r.cells] for r in g.rows[1:]] for g in groups]
    first = next(rows for rows in tables if rows[0][2].startswith("30/06/2025 (hằng quý)"))
    assert first[0][2] == "30/06/2025 (hằng quý)\nquá hạn 92 ngày"
    assert first[1][3:] == [
        "70%",
        "26/09/2025: Đề nghị Bộ bố trí kinh phí mua sắm máy chủ năm 2026.",
    ]
    classes = next(find_table(doc, ["Tình trạng", "Số nhiệm vụ", "Tỷ lệ", "31/08/2025"]))
    assert [c.text for c in classes.rows[1].cells] == ["Quá hạn", "3", "20%", "2", "+1"]
    plans = next(find_table(doc, ["Kế hoạch", "Tổng số"]))
    assert [c.text for c in plans.rows[-1].cells][:2] == ["Tổng cộng", "15"]
    kpis = next(find_table(doc, ["STT", "Chỉ tiêu", "Mục tiêu"]))
    assert [r.cells[4].text for r in kpis.rows[1:]] == [
        "Đã đạt mục tiêu",  # before the year is over: judged by pace
        "Chưa đạt",
        "Chưa đánh giá được",
        "Đã đạt mục tiêu",
    ]
    assert not list(find_table(doc, ["Số TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]))


def test_docx_appendix(tmp_path, capsys):
    target = tmp_path / "a.docx"
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-f", "docx",
        "-o", str(target), "--appendix", "docx",
    )  # fmt: skip
    assert code == 0, err
    doc = Document(str(target))
    appendix = list(find_table(doc, ["Số TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]))
    assert sum(len(t.rows) - 1 for t in appendix) == 15
    assert any(r.cells[1].text == TRICKY for t in appendix for r in t.rows)
    agencies = next(find_table(doc, ["Đơn vị chủ trì", "Tổng số"]))
    assert [c.text for c in agencies.rows[-1].cells][:2] == ["Tổng cộng", "15"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_every_data_table_repeats_its_header_row(doc):
    data_tables = [t for t in doc.tables if not borderless(t)]  # not header nor signature
    assert len(data_tables) >= 8
    for table in data_tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None


def test_difficulties_and_placeholders(doc):
    paragraphs = texts(doc)
    start = paragraphs.index("V. KHÓ KHĂN, VƯỚNG MẮC")
    end = paragraphs.index("Nơi nhận:")
    notes = [t for t in paragraphs[start + 1 : end] if t.startswith("- ")]
    assert len(notes) == 2  # only updates marked `kind: difficulty`
    assert notes[0].endswith(
        "ngày 12/09/2025: Vướng mắc: chưa có hướng dẫn về tiêu chí phân loại dữ liệu."
    )
    proposals = paragraphs.index("5. Đề xuất, kiến nghị")
    assert [t for t in paragraphs[proposals + 1 : proposals + 3] if t][0].startswith(
        "Đề nghị Bộ bố trí kinh phí"
    )


def test_signature_and_recipients(doc):
    outer = next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text.startswith("Trên đây"))
    assert outer.cell(0, 0).paragraphs[0].text.endswith("tháng 09/2025 của Vụ Pháp chế./.")
    tr_pr = outer.rows[0]._tr.trPr  # closing sentence and signature never part
    assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
    table = outer.cell(0, 0).tables[0]
    left, right = table.cell(0, 0), table.cell(0, 1)
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert all(r.bold and r.italic for r in label.runs)
    recipients = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in recipients] == [
        "- Như trên;",
        "- Lãnh đạo Bộ (để b/c);",
        "- Lưu: VT, PC.",
    ]
    assert all(p.style.font.size == Pt(11) for p in recipients)
    title = right.paragraphs[0]
    assert title.text == "KT. VỤ TRƯỞNG\nPHÓ VỤ TRƯỞNG"
    assert title.style.font.bold
    assert [p.text for p in right.paragraphs if p.text][-1] == "……"
    assert borderless(table)


def borderless(table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_charts_embedded_unless_disabled(doc, tmp_path, capsys):
    assert len(doc.inline_shapes) == 3  # trend, classes per agency, KPIs
    target = tmp_path / "n.docx"
    invoke(
        capsys,
        "report",
        "-m",
        "2025-09",
        "--data",
        str(REPORT),
        "-f",
        "docx",
        "-o",
        str(target),
        "--no-charts",
    )
    assert len(Document(str(target)).inline_shapes) == 0


def test_same_context_same_bytes(context):
    assert render_docx(context) == render_docx(context)
    with zipfile.ZipFile(io.BytesIO(render_docx(context))) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_word_report_stays_vietnamese_with_the_english_interface(context):
    with language("en"):
        english = build_report(load([REPORT]), "2025-09", load_report_config([REPORT]))
        assert render_docx(english) == render_docx(context)


def test_text_that_xml_cannot_hold_is_cleaned(context):
    odd = dict(context)
    odd["subject"] = 'A\x0bB\x07C\tD <&> "q"\r\nE'
    document = Document(io.BytesIO(render_docx(odd)))
    subject = next(p for p in document.paragraphs if p.text.startswith("AB"))
    assert subject.text == 'ABC D <&> "q"\nE'
    assert xml_text("x\x00y\x1f") == "xy"


def test_word_template_uses_only_context_keys(context):
    template = DocxTemplate(str(shipped_template(DOCX_TEMPLATE)))
    used = template.get_undeclared_template_variables(environment(markdown=False))
    assert used <= set(context), used - set(context)


def test_blank_header_without_config(tmp_path, capsys):
    target = tmp_path / "m.docx"
    code, _, err = invoke(
        capsys,
        "report",
        "-m",
        "2025-09",
        "--data",
        str(FIXTURES / "minimal"),
        "-f",
        "docx",
        "-o",
        str(target),
    )
    assert code == 0, err
    table = Document(str(target)).tables[0]
    assert [p.text for p in table.cell(0, 0).paragraphs if p.text] == ["……", "……"]
    assert table.cell(1, 0).text == "Số: …/BC-…"
    assert table.cell(1, 1).text == "……, ngày … tháng … năm …"


# ECMA-376 order of the property elements the template sets (Word rejects a file
# whose properties are out of order, even where LibreOffice does not mind).
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
    "oMath",
}


def test_property_elements_in_schema_order(docx_path):
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    order = {kind: names.split() for kind, names in SCHEMA_ORDER.items()}
    with zipfile.ZipFile(docx_path) as package:
        parts = [n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
        assert "word/styles.xml" in parts and "word/header1.xml" in parts
        for part in parts:
            root = etree.fromstring(package.read(part))
            for kind, names in order.items():
                for element in root.iter(f"{w}{kind}"):
                    seen = [c.tag[len(w) :] for c in element if c.tag.startswith(w)]
                    positions = [names.index(n) for n in seen if n in names]
                    assert positions == sorted(positions), (part, kind, seen)


def test_an_output_named_docx_gets_word_unless_the_format_says_otherwise(tmp_path, capsys):
    """`-o bao-cao.docx` alone writes Word, never Markdown into a .docx file; a --format
    that contradicts the file name is a usage error and writes nothing."""
    word = tmp_path / "bao-cao.docx"
    code, _, err = invoke(capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(word))
    assert code == 0, err
    assert zipfile.is_zipfile(word)
    for fmt, name in (("md", "x.docx"), ("docx", "x.md")):
        target = tmp_path / name
        args = ("report", "-m", "2025-09", "--data", str(REPORT), "-f", fmt, "-o", str(target))
        code, _, err = invoke(capsys, *args)
        assert code == 2 and "--format" in err and name in err
        assert not target.exists()
