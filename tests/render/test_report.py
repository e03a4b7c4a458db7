"""`nq57 report`: the figures of the monthly report, Markdown output, scoping, files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest
from jinja2 import meta
from openpyxl import load_workbook

from nq57.analysis.report import BLANK, build_report, fmt_number, parse_month, signing_line
from nq57.analysis.scope import unit_of
from nq57.check.pipeline import load
from nq57.i18n import DEFAULT_LANGUAGE, get_language, language, set_language, t
from nq57.model.config import ConfigError, ReportConfig, load_report_config
from nq57.render.report_job import appendix_workbook
from nq57.render.report_md import render_markdown
from nq57.render.templating import (
    MD_TEMPLATE,
    TemplateProblem,
    environment,
    md_escape,
    md_inline,
    shipped_template,
)

from conftest import FIXTURES, GOLDEN, check_golden, invoke

REPORT = FIXTURES / "report"
TRICKY = (
    "Hoàn thiện thể chế | cơ chế *thử nghiệm* có kiểm soát (sandbox_v2) cho <AI> & dữ liệu"
    "\nGiai đoạn 1"
)


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """`run(["--lang", "en", ...])` sets the language of the process: back to the default."""
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(scope="module")
def data():
    return load([REPORT])


@pytest.fixture(scope="module")
def context(data):
    return build_report(data, "2025-09", load_report_config([REPORT]))


def ids(rows):
    return [r["id"] for r in rows]


# --- the figures --------------------------------------------------------------


def test_counts_as_of_the_last_day_of_the_month(context):
    c = context["counts"]
    assert context["as_of"] == "30/09/2025"
    assert c["total"] == 15
    assert (c["done_on_time"], c["done_late"], c["overdue"], c["cancelled"]) == (1, 2, 3, 1)
    assert c["no_deadline"] == 1
    assert c["done_in_month"] == 3
    assert sum(r["count"] for r in context["class_rows"]) == c["total"]
    assert context["by_agency_total"]["total"] == context["by_plan_total"]["total"] == 15


def test_tasks_completed_in_the_month_on_time_and_late(context):
    assert ids(context["completed_on_time"]) == ["DEC-P/1"]
    late = context["completed_late"]
    assert ids(late) == ["DEC-P/2", "DEC-M/2"]  # by completion date
    assert [r["days_late"] for r in late] == [72, 5]
    assert late[0]["completed"] == "10/09/2025"
    assert late[0]["lead"] == "Bộ Kế hoạch và Đầu tư"  # as printed


def test_completion_after_the_month_is_not_counted(context):
    # DEC-P/8 was completed on 03/10/2025: at 30/09 it was still overdue.
    assert "DEC-P/8" not in ids(context["completed_on_time"] + context["completed_late"])
    assert "DEC-P/8" in ids(context["overdue"])


def test_overdue_at_month_end_with_days_late(context):
    rows = context["overdue"]
    assert ids(rows) == ["DEC-M/4", "DEC-P/3", "DEC-P/8"]  # most days late first
    assert [r["days_overdue"] for r in rows] == [92, 30, 30]
    # A recurring report never sent: due at the end of the first period missed.
    assert rows[0]["due_text"] == "30/06/2025 (hằng quý)"


def test_due_on_the_last_day_and_still_open_is_listed_apart(context):
    # Not overdue on 30/09 (due that very day), but due within the month reported.
    assert ids(context["due_last_day"]) == ["DEC-X/I-3"]
    assert "DEC-X/I-3" not in ids(context["overdue"])
    # DEC-M/3 (monthly) also ends a period on 30/09, but has an update in September.
    assert context["counts"]["due_last_day"] == 1


def test_due_next_month_includes_recurring_periods(context):
    rows = context["next_month"]
    assert ids(rows) == ["DEC-M/1", "DEC-M/3", "DEC-P/4"]
    assert context["next_month_label"] == "10/2025"
    assert rows[1]["due_text"] == "31/10/2025 (hằng tháng)"


def test_difficulties_are_updates_marked_as_such_in_the_month(context):
    notes = [(d["id"], d["date"], d["note"]) for d in context["difficulties"]]
    assert notes == [
        ("DEC-P/3", "12/09/2025", "Vướng mắc: chưa có hướng dẫn về tiêu chí phân loại dữ liệu."),
        (
            "DEC-M/1",
            "25/09/2025",
            "Khó khăn: thiếu nhân lực công nghệ thông tin;\nđề nghị bổ sung biên chế.",
        ),
    ]  # not: notes without `kind: difficulty` (DEC-P/1, DEC-M/3), nor the August one


def test_proposals_from_config_and_updates_marked_proposal(data):
    config = ReportConfig(proposals=["Đề nghị A."])
    context = build_report(data, "2025-09", config)
    assert context["proposals"] == [
        "Đề nghị A.",
        "Đề nghị Bộ bố trí kinh phí mua sắm máy chủ năm 2026. (200/QĐ-BTC, nhiệm vụ 1; Cục Thuế)",
    ]


def test_task_references_name_the_plan_and_printed_numbers(context):
    rows = {r["id"]: r["reference"] for r in context["overdue"]}
    assert rows == {
        "DEC-M/4": "200/QĐ-BTC, nhiệm vụ 4",
        "DEC-P/3": "10/NQ-CP, nhiệm vụ 3",
        "DEC-P/8": "10/NQ-CP, nhiệm vụ 8",
    }
    every = [r["reference"] for plan in context["appendix"] for r in plan["rows"]]
    assert all(every) and len(set(every)) == len(every)


def test_kpis_latest_figure_up_to_the_month(context):
    kpis = {k["id"]: k for k in context["kpis"]}
    assert set(kpis) == {"DEC-P/1", "DEC-P/2", "DEC-P/3", "DEC-X/1"}  # DEC-M/1: no figure
    # met before the year is over: judged by pace
    assert (kpis["DEC-P/1"]["value"], kpis["DEC-P/1"]["label"]) == ("82,5%", "Đã đạt mục tiêu")
    assert kpis["DEC-P/1"]["target_text"] == "≥ 80% (năm 2025)"  # the unit with the target
    assert (kpis["DEC-P/2"]["value"], kpis["DEC-P/2"]["label"]) == (
        "1.200 doanh nghiệp",
        "Chưa đạt",
    )
    assert kpis["DEC-P/3"]["label"] == "Chưa đánh giá được"
    assert kpis["DEC-X/1"]["value"] == "Thế giới: 44"
    assert {r["label"]: r["count"] for r in context["kpi_rows"]} == {
        "Đạt": 2,
        "Đạt lộ trình": 0,
        "Chậm so với lộ trình": 0,
        "Chưa đạt": 1,
        "Chưa đánh giá được": 1,
        "Chưa có số liệu": 1,
    }


def test_per_agency_uses_current_names_and_units(context):
    agencies = {r["name"]: r for r in context["by_agency"]}
    assert agencies["Bộ Tài chính"]["done_late"] == 1  # DEC-P/2 of the merged Bộ KH&ĐT
    assert agencies["Vụ Pháp chế (Bộ Tài chính)"]["total"] == 1  # resolved by issuer
    assert agencies["Vụ Pháp chế (Bộ Khoa học và Công nghệ)"]["total"] == 1
    plans = [r["label"] for r in context["by_plan"]]
    assert plans == [
        "Quyết định số 300/QĐ-BKHCN",
        "Nghị quyết số 10/NQ-CP",
        "Quyết định số 200/QĐ-BTC",
    ]


def test_appendix_lists_every_task_in_printed_order(context):
    rows = [r for plan in context["appendix"] for r in plan["rows"]]
    assert len(rows) == 15
    assert ids(context["appendix"][1]["rows"])[:3] == ["DEC-P/1", "DEC-P/2", "DEC-P/3"]


def test_header_from_config_blanks_where_not_given(context):
    h = context["header"]
    assert h["parent_body"] == "Bộ Tài chính"
    assert h["number_line"] == "Số: …/BC-PC"
    assert h["place_date"] == "Hà Nội, ngày … tháng … năm …"
    assert h["signer_name"] == BLANK
    assert h["recipients"] == ["Như trên;", "Lãnh đạo Bộ (để b/c);", "Lưu: VT, PC."]
    assert context["proposals"] == [
        "Đề nghị Bộ bố trí kinh phí mua sắm máy chủ năm 2026. (200/QĐ-BTC, nhiệm vụ 1; Cục Thuế)"
    ]
    assert context["subject"].startswith("Kết quả thực hiện Nghị quyết số 57-NQ/TW")
    assert context["subject"].endswith("tháng 09/2025")


def test_defaults_invent_nothing():
    data = load([FIXTURES / "minimal"])
    context = build_report(data, "2025-08", load_report_config([FIXTURES / "minimal"]))
    h = context["header"]
    assert h["parent_body"] == h["issuing_body"] == h["signer_title"] == BLANK
    assert h["number_line"] == "Số: …/BC-…"
    assert h["place_date"] == "……, ngày … tháng … năm …"
    assert h["recipients"] == [BLANK]
    assert context["difficulties"] == []  # the only note is dated in September
    text = render_markdown(context)
    section = text.split("## V. KHÓ KHĂN, VƯỚNG MẮC")[1].split("Trên đây là báo cáo")[0]
    assert section.strip() == "Không có khó khăn, vướng mắc nào được báo cáo trong tháng."
    assert "tháng 08/2025 của ……./." in text  # the closing sentence, blank where not given
    proposals = text.split("### 5. Đề xuất, kiến nghị")[1].split("## II.")[0]
    assert proposals.strip() == BLANK


def test_empty_parent_body_leaves_the_line_out(data):
    config = ReportConfig(parent_body="", issuing_body="Bộ Tài chính", proposals=["Đề nghị A."])
    context = build_report(data, "2025-09", config)
    assert context["header"]["parent_body"] == ""
    text = render_markdown(context)
    assert text.splitlines()[0] == "| **BỘ TÀI CHÍNH** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |"
    assert "Đề nghị A." in text.split("### 5. Đề xuất, kiến nghị")[1].split("## II.")[0]


def test_signing_date_follows_decree_30():
    assert signing_line("Hà Nội", dt.date(2025, 7, 5)) == "Hà Nội, ngày 05 tháng 7 năm 2025"
    assert signing_line("Hà Nội", dt.date(2025, 2, 13)) == "Hà Nội, ngày 13 tháng 02 năm 2025"
    assert signing_line(None, None) == "……, ngày … tháng … năm …"


def test_numbers_and_months():
    assert [fmt_number(v) for v in (1200, 82.5, 0.25, 1234567.5)] == [
        "1.200",
        "82,5",
        "0,25",
        "1.234.567,5",
    ]
    assert parse_month("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    for bad in ("2025-9", "2025-13", "09/2025", ""):
        with pytest.raises(ValueError):
            parse_month(bad)


# --- config.yaml ----------------------------------------------------------------


def test_config_errors_name_the_key(tmp_path):
    (tmp_path / "config.yaml").write_text(
        "report:\n  signer: {titel: x}\n  recipients:\n    - Lưu: VT\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_report_config([tmp_path])
    message = str(err.value)
    assert "khoá 'report.signer.titel' không được hỗ trợ" in message
    assert "report.recipients[0]: cần văn bản nhưng gặp một bảng khoá: giá trị" in message
    assert "hãy đặt văn bản trong dấu nháy" in message


def test_config_date_and_number(tmp_path):
    (tmp_path / "config.yaml").write_text(
        "report:\n  number: 125\n  code: BC-BTC\n  place: Hà Nội\n  date: 2025-10-03\n"
        "other_tool: {x: 1}\n",
        encoding="utf-8",
    )
    config = load_report_config([tmp_path])
    assert config.number == "125" and config.date == dt.date(2025, 10, 3)
    context = build_report(load([FIXTURES / "minimal"]), "2025-09", config)
    assert context["header"]["number_line"] == "Số: 125/BC-BTC"
    assert context["header"]["place_date"] == "Hà Nội, ngày 03 tháng 10 năm 2025"


def test_bad_config_is_a_user_error(tmp_path, capsys):
    (tmp_path / "decisions").mkdir()
    (tmp_path / "config.yaml").write_text("report: [1, 2]\n", encoding="utf-8")
    code, _, err = invoke(capsys, "report", "--month", "2025-09", "--data", str(tmp_path))
    assert code == 1
    assert "'report' phải là một bảng khoá: giá trị" in err
    assert "Traceback" not in err


# --- Markdown -------------------------------------------------------------------


def test_markdown_golden(in_fixtures, capsys):
    code, out, err = invoke(capsys, "report", "--month", "2025-09", "--data", "report")
    assert code == 0, err
    check_golden("report_2025-09.md", out)


def test_markdown_golden_for_one_agency(in_fixtures, capsys):
    # "BTC" is the short name: its merged predecessor and its units are included.
    code, out, err = invoke(
        capsys, "report", "--month", "2025-09", "--data", "report", "--org", "BTC"
    )
    assert code == 0, err
    check_golden("report_2025-09_btc.md", out)


def test_a_leading_dash_is_escaped_only_where_markdown_would_read_a_list(copy_fixture, capsys):
    """'- 04 địa phương …' (as the 07/CT-TTg tasks are written) stays as typed in a table
    cell or after other text; it is escaped only where it starts a paragraph or a list
    item's text, where Markdown would read a list."""
    folder = copy_fixture("report")
    task = folder / "tasks" / "DEC-P" / "3.yaml"
    text = task.read_text(encoding="utf-8")
    text = text.replace("title: Ban hành quy chế", "title: '- 04 địa phương ban hành quy chế")
    text = text.replace("dữ liệu tài chính\n", "dữ liệu tài chính'\n")
    text = text.replace('note: "Vướng mắc: chưa', 'note: "- Vướng mắc: chưa')
    task.write_text(text, encoding="utf-8")
    config = folder / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  proposals:\n    - '- 1. Bổ sung kinh phí'\n",
        encoding="utf-8",
    )
    code, out, err = invoke(capsys, "report", "-m", "2025-09", "--data", str(folder))
    assert code == 0, err
    lines = [
        line for line in out.splitlines() if "04 địa phương" in line or "Bổ sung kinh phí" in line
    ]
    check_golden("report_leading_dash.md", "\n".join(lines) + "\n")
    cells = [line for line in lines if line.startswith("| ")]
    assert len(cells) == 2 and not any("\\-" in line for line in cells)
    assert "| - 04 địa phương ban hành quy chế" in cells[0]
    assert any(line.startswith("- \\- 04 địa phương") for line in lines)  # a list item's text
    assert "\\- 1. Bổ sung kinh phí" in lines  # a paragraph of its own


def test_markdown_report_stays_vietnamese_with_the_english_interface(in_fixtures, capsys):
    # The report is an administrative document (Decree 30): --lang en changes nothing in it.
    golden = (GOLDEN / "report_2025-09.md").read_text(encoding="utf-8")
    code, out, err = invoke(
        capsys, "--lang", "en", "report", "--month", "2025-09", "--data", "report"
    )
    assert code == 0, err
    assert out.encode("utf-8") == golden.encode("utf-8")


def test_report_context_and_charts_are_the_same_in_every_language(data):
    from nq57.render.charts import report_charts

    config = load_report_config([REPORT])
    vietnamese = build_report(data, "2025-09", config)
    with language("en"):
        english = build_report(data, "2025-09", config)
        assert get_language() == "en"  # restored after the report
        charts = report_charts(english)
        assert render_markdown(english) == render_markdown(vietnamese)
    assert english == vietnamese
    assert [r["label"] for r in english["class_rows"]][:3] == [
        "Quá hạn",
        "Đến hạn đến hết tháng sau",  # the report's meaning, not the site's 30 days
        "Trong hạn",
    ]
    assert [(c.key, c.title, c.png) for c in charts] == [
        (c.key, c.title, c.png) for c in report_charts(vietnamese)
    ]


def test_same_data_same_bytes(in_fixtures, capsys):
    outputs = set()
    for _ in range(2):
        _, out, _ = invoke(capsys, "report", "--month", "2025-09", "--data", "report")
        outputs.add(out.encode("utf-8"))
    assert len(outputs) == 1


def test_markdown_structure(context):
    text = render_markdown(context)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## I. TÓM TẮT",
        "## II. NHIỆM VỤ QUÁ HẠN, ĐẾN HẠN ĐẾN HẾT THÁNG SAU THEO ĐƠN VỊ CHỦ TRÌ",
        "## III. CHUYỂN BIẾN TRONG THÁNG",
        "## IV. CHỈ TIÊU",
        "## V. KHÓ KHĂN, VƯỚNG MẮC",
    ]
    assert "# BÁO CÁO" in text.splitlines()
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert not any(line != line.rstrip() for line in text.splitlines())


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def test_markdown_tables_keep_their_shape_with_tricky_titles(context):
    """Every row of every table has as many cells as its header row."""
    lines = render_markdown(context).splitlines()
    width = None
    for line in lines:
        if not line.startswith("|"):
            width = None
            continue
        cells = len(_CELL_SPLIT.split(line)) - 2
        if width is None:
            width = cells
        assert cells == width, line
    row = next(line for line in lines if "10/NQ-CP, nhiệm vụ 1)" in line)
    assert (
        r"Hoàn thiện thể chế \| cơ chế \*thử nghiệm\* có kiểm soát (sandbox_v2) cho "
        r"\<AI> & dữ liệu Giai đoạn 1" in row
    )


def test_md_escape():
    """Only what Markdown would misread is escaped: no entities, no <br>, no stray '\\'."""
    assert md_escape("a|b") == r"a\|b"
    assert md_escape("*x* _y_ `z` [l](u) ~s~ #h") == r"\*x\* \_y\_ \`z\` \[l](u) ~s~ #h"
    assert md_escape("sandbox_v2, ~~gạch~~") == r"sandbox_v2, \~\~gạch\~\~"
    assert md_escape("<b> & c, 3 < 5 &amp;") == r"\<b> & c, 3 < 5 \&amp;"
    assert md_escape("one\r\ntwo\nthree") == "one two three"
    assert md_escape("- item") == r"\- item"
    assert md_escape("1. item") == r"1\. item"
    assert md_escape("1. item", line_start=False) == "1. item"
    assert md_inline("- 04 địa phương | x") == r"- 04 địa phương \| x"  # a table cell
    assert md_escape("1.200 người (Bộ Tài chính)") == "1.200 người (Bộ Tài chính)"
    assert md_escape(r"a\b") == r"a\\b"
    assert md_escape(None) == ""


def test_markdown_reads_cleanly(in_fixtures, capsys):
    code, out, _ = invoke(capsys, "report", "--month", "2025-09", "--data", "report")
    assert code == 0
    assert "&amp;" not in out and "&lt;" not in out and "<br>" not in out
    assert r"\." not in out and r"\(" not in out


def test_template_uses_only_context_keys(context):
    source = shipped_template(MD_TEMPLATE).read_text(encoding="utf-8")
    used = meta.find_undeclared_variables(environment().parse(source))
    assert used <= set(context), used - set(context)


# --- scope ------------------------------------------------------------------------


def test_org_scope_follows_aliases_successors_and_units(data):
    context = build_report(data, "2025-09", org="Bộ Tài chính")
    tasks = {r["id"] for plan in context["appendix"] for r in plan["rows"]}
    assert tasks == {
        "DEC-P/2",  # Bộ Kế hoạch và Đầu tư, merged into Bộ Tài chính
        "DEC-P/3",
        "DEC-P/6",
        "DEC-P/7",
        "DEC-M/1",  # Cục Thuế, a unit of Bộ Tài chính
        "DEC-M/2",  # "Vụ Pháp chế" of a Bộ Tài chính plan
        "DEC-M/3",
        "DEC-M/4",
    }  # not DEC-X/I-1: "Vụ Pháp chế" of Bộ Khoa học và Công nghệ
    assert {k["id"] for k in context["kpis"]} == {"DEC-P/2"}
    assert context["counts"]["kpis"] == 2  # DEC-P/2 and DEC-M/1 (Cục Thuế)
    assert "do Bộ Tài chính chủ trì" in context["scope"]["text"]


def test_an_org_report_ranks_the_orgs_units_never_the_org_itself(data):
    """ "Đơn vị chậm nhất" of an --org report: the org is the scope, its units are ranked
    (a task counts under its first lead below the org; the org's own tasks, and those of a
    body merged into it, count for no unit)."""
    whole = build_report(data, "2025-09")
    assert "Bộ Tài chính" in [r["name"] for r in whole["most_behind"]]
    context = build_report(data, "2025-09", org="BTC")
    assert [r["name"] for r in context["most_behind"]] == ["Cục Thuế"]
    tasks = {task.id: task for task in data.tasks.values()}
    assert unit_of(data, tasks["DEC-M/1"], "BTC") == "Cục Thuế"
    assert unit_of(data, tasks["DEC-M/2"], "Bộ Tài chính") == "Vụ Pháp chế (Bộ Tài chính)"
    assert unit_of(data, tasks["DEC-P/2"], "Bộ Tài chính") is None  # Bộ Kế hoạch và Đầu tư
    both = tasks["DEC-P/3"].model_copy(update={"lead": ["Bộ Tài chính", "Cục Thuế"]})
    assert unit_of(data, both, "Bộ Tài chính") == "Cục Thuế"


def test_an_org_without_units_says_so_in_the_slowest_units(in_fixtures, capsys):
    context = build_report(load([REPORT]), "2025-09", org="Cục Thuế")
    assert context["most_behind"] == [] and context["counts"]["overdue"] == 1
    code, out, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", "report", "--org", "Cục Thuế"
    )
    assert code == 0, err
    section = out[out.index("Đơn vị chậm nhất") : out.index("Chỉ tiêu chậm so với lộ trình")]
    assert (
        "Trong phạm vi báo cáo không có nhiệm vụ nào do đơn vị trực thuộc Cục Thuế chủ trì."
        in section
    )
    assert "| Cục Thuế |" not in section


def test_decision_scope_takes_the_plan_family(data):
    family = build_report(data, "2025-09", decision="DEC-P")
    plans = [p["decision"] for p in family["appendix"]]
    assert plans == ["DEC-P", "DEC-M"]  # DEC-M implements DEC-P
    assert {k["id"] for k in family["kpis"]} == {"DEC-P/1", "DEC-P/2", "DEC-P/3"}
    assert "thuộc Nghị quyết số 10/NQ-CP và các kế hoạch triển khai" in family["scope"]["text"]
    one = build_report(data, "2025-09", decision="DEC-X")
    assert [p["decision"] for p in one["appendix"]] == ["DEC-X"]
    assert one["counts"]["total"] == 3


def test_cli_scoping_and_unknown_names(in_fixtures, capsys):
    code, out, _ = invoke(
        capsys, "report", "-m", "2025-09", "--data", "report", "--decision", "DEC-X"
    )
    assert code == 0
    assert "300/QĐ-BKHCN" in out and "10/NQ-CP, nhiệm vụ" not in out
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", "report", "--org", "Bộ Tài chánh"
    )
    assert code == 2 and "có phải là 'Bộ Tài chính'?" in err
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", "report", "--decision", "NOPE"
    )
    assert code == 1 and "không có văn bản 'NOPE'" in err
    code, _, err = invoke(capsys, "report", "-m", "2025-9", "--data", "report")
    assert code == 2 and "YYYY-MM" in err


# --- files ------------------------------------------------------------------------


def test_markdown_file_with_charts_beside_it(tmp_path, capsys):
    target = tmp_path / "out" / "bao cao.md"
    code, out, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(target)
    )
    assert code == 0, err
    assert out == ""
    text = target.read_text(encoding="utf-8")
    for key in ("classes", "kpis"):
        png = target.with_name(f"bao cao-{key}.png")
        assert png.read_bytes().startswith(b"\x89PNG")
        assert f"](bao%20cao-{key}.png)" in text
    assert "![" not in invoke(capsys, "report", "-m", "2025-09", "--data", str(REPORT))[1]


def test_no_charts(tmp_path, capsys):
    target = tmp_path / "r.md"
    invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(target), "--no-charts"
    )
    assert "![" not in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-phu-luc.xlsx", "r.md"]


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "r.md"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(target)
    )
    assert code == 1
    assert "đã có; không ghi đè" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "r-classes.png").exists()  # nothing written at all
    code, _, _ = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(target), "--force"
    )
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("| BỘ TÀI CHÍNH |")


def test_docx_default_path_and_refusal(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-f", "docx")
    assert code == 0, err
    target = tmp_path / "reports" / "2025-09.docx"
    first = target.read_bytes()
    code, _, err = invoke(capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-f", "docx")
    assert code == 1 and "reports/2025-09.docx, reports/2025-09-phu-luc.xlsx đã có" in err
    code, _, _ = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-f", "docx", "--force"
    )
    assert code == 0
    assert target.read_bytes() == first  # same data, same bytes


def test_both_formats(tmp_path, capsys):
    base = tmp_path / "bc-09"
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-f", "both", "-o", str(base)
    )
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "bc-09-classes.png",
        "bc-09-kpis.png",
        "bc-09-phu-luc.xlsx",
        "bc-09-trend.png",
        "bc-09.docx",
        "bc-09.md",
    ]
    text = (tmp_path / "bc-09.md").read_text(encoding="utf-8")
    assert "tại tệp bc-09-phu-luc.xlsx kèm theo" in text


def test_charts_are_deterministic(tmp_path, capsys):
    digests = []
    for run in range(2):
        target = tmp_path / str(run) / "r.md"
        invoke(capsys, "report", "-m", "2025-09", "--data", str(REPORT), "-o", str(target))
        digests.append(
            [
                hashlib.sha256(target.with_name(f"r-{k}.png").read_bytes()).hexdigest()
                for k in ("classes", "kpis")
            ]
        )
    assert digests[0] == digests[1]
    png = (tmp_path / "0" / "r-classes.png").read_bytes()
    assert b"Software" not in png and b"tIME" not in png


# --- user templates ---------------------------------------------------------------


def test_user_markdown_template(tmp_path, capsys):
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ month_label }}: {{ counts.overdue }} | {{ subject|md }}\n", encoding="utf-8"
    )
    code, out, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "--template", str(template)
    )
    assert code == 0, err
    assert out.startswith("09/2025: 3 | Kết quả thực hiện Nghị quyết")


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{ no_such_key }}", "'no_such_key' is undefined"),
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("{% if %}", "template"),
    ],
)
def test_user_template_errors_are_user_errors(tmp_path, capsys, source, message):
    template = tmp_path / "bad.j2"
    template.write_text(source, encoding="utf-8")
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "--template", str(template)
    )
    assert code == 1
    assert message in err and str(template) in err
    assert "Traceback" not in err


def test_template_kind_must_match_format(tmp_path, capsys):
    template = tmp_path / "x.docx"
    template.write_bytes(b"not a zip")
    code, _, err = invoke(
        capsys, "report", "-m", "2025-09", "--data", str(REPORT), "--template", str(template)
    )
    assert code == 2 and "là mẫu Word" in err
    code, _, err = invoke(
        capsys,
        "report",
        "-m",
        "2025-09",
        "--data",
        str(REPORT),
        "-f",
        "docx",
        "-o",
        str(tmp_path / "o.docx"),
        "--template",
        str(template),
    )
    assert code == 1 and "cannot open Word template" in err


def test_markdown_template_problem_names_the_file(tmp_path):
    bad = tmp_path / "t.j2"
    bad.write_text("{% for %}", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=str(bad)):
        render_markdown({}, bad)


def test_no_template_dir_surprises():
    assert shipped_template(MD_TEMPLATE).is_file()
    assert Path(shipped_template("report.docx")).suffix == ".docx"


def test_markdown_golden_with_recorded_progress(in_fixtures, capsys):
    # tests/fixtures/cycle records progress (reported, rolled up from children, done).
    code, out, err = invoke(capsys, "report", "--month", "2025-09", "--data", "cycle")
    assert code == 0, err
    check_golden("report_2025-09_cycle.md", out)
    # mean progress of Cục Tin học's tasks, roll-ups included (docs/data-format.md §9)
    assert "| Cục Tin học và Thống kê tài chính | 6 | 0 | 2 | 56% |" in out


def test_only_the_agencies_most_behind_are_listed_the_others_one_row_each(data, context):
    config = load_report_config([REPORT]).model_copy(
        update={"agencies_listed": 1, "rows_per_list": 1}
    )
    short = build_report(data, "2025-09", config)
    every = context["groups"]  # all agencies listed with the defaults (4 of them)
    assert [g["name"] for g in short["groups"]] == [every[0]["name"]]
    # Ranked as the summary ranks agencies: overdue, then not updated.
    assert [(g["overdue"], g["stale"]) for g in every] == sorted(
        ((g["overdue"], g["stale"]) for g in every), key=lambda p: (-p[0], -p[1])
    )
    others = short["other_groups"]
    assert [r["name"] for r in others] == [g["name"] for g in every[1:]]  # nothing dropped
    counts = [(g["overdue"], g["due"]) for g in every[1:]]
    assert [(r["overdue"], r["due"]) for r in others] == counts
    assert short["sentences"]["others"].startswith("Các đơn vị khác có nhiệm vụ quá hạn")
    assert len(short["completed_listed"]) == 1
    assert short["completed_more"] == f"… và {len(short['completed']) - 1} nhiệm vụ khác."
    text = render_markdown(short)
    assert "**Các đơn vị khác**" in text
    assert f"| {others[0]['name']} | {others[0]['overdue']} | {others[0]['due']} |" in text
    assert "| Đơn vị chủ trì | Quá hạn | Đến hạn đến hết tháng sau |" in text


def test_the_reports_due_label_says_what_it_counts(context):
    # "Sắp đến hạn" means within 30 days on the site and in `status`; not in the report.
    text = render_markdown(context)
    assert "Sắp đến hạn" not in text and "Sắp hạn" not in text
    assert context["group_labels"]["due_soon"] == "Đến hạn đến hết tháng sau"


def test_appendix_workbook_counts_and_names_classes_as_the_report(data, context):
    """One meaning per label: the appendix's "due soon" is the report's (due by the end of
    next month), under the report's label, not the export's 30 days."""
    sheet = load_workbook(io.BytesIO(appendix_workbook(data, "2025-09", None, None))).active
    header = [cell.value for cell in sheet[1]]
    label, klass = (
        header.index(t("export.xlsx.task.class_label")),
        header.index(t("export.xlsx.task.class")),
    )
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    due_soon = [row for row in rows if row[klass] == "due_soon"]
    assert {row[label] for row in due_soon} == {"Đến hạn đến hết tháng sau"}
    assert len(due_soon) == context["counts"]["due_soon"] > 0
