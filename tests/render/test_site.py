"""`nq57 site`: the static dashboard's pages, links, escaping, determinism, refusals."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from nq57.i18n import DEFAULT_LANGUAGE, set_language
from nq57.render.site import page_stems, safe_stem

from conftest import FIXTURES, invoke

STATUS = FIXTURES / "status"
AS_OF = "2025-07-15"
PAGES = ["index.html", "agencies.html", "plans.html", "kpis.html"]


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """`run(["--lang", "en", ...])` sets the language of the process: back to the default."""
    yield
    set_language(DEFAULT_LANGUAGE)


class Page(HTMLParser):
    """Links, anchors, scripts and visible text of one HTML file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict] = []
        self.html_attrs: dict = {}
        self.rows: list[list[str]] = []  # rows of the table being read
        self._table: str | None = None
        self.tables: dict[str, list[list[str]]] = {}
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.links.append(a[key])
        if tag == "script":
            self.scripts.append(a)
        if tag == "table":
            self._table = a.get("id", "")
            self.tables[self._table] = []
        if tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        if tag in ("td", "th") and self._table is not None:
            self._cell = []
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def build(capsys, out: Path, data: Path = STATUS, *extra: str) -> tuple[int, str, str]:
    return invoke(
        capsys, "site", "--data", str(data), "--as-of", AS_OF, "--output", str(out), *extra
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path, capsys) -> Path:
    out = tmp_path / "site"
    code, _, err = build(capsys, out)
    assert code == 0, err
    return out


# --- structure ------------------------------------------------------------------


def test_every_page_exists_one_per_task(site):
    tasks = sorted(p.stem for p in (STATUS / "tasks").rglob("*.yaml"))
    for name in [*PAGES, "assets/style.css", "assets/app.js"]:
        assert (site / name).is_file(), name
    pages = sorted(p.name for p in (site / "tasks").iterdir())
    assert len(pages) == len(tasks) == 19
    assert "NEW~overdue.html" in pages and "OLD~annual-missed.html" in pages


def test_every_link_resolves_to_a_file_and_anchor_in_the_folder(site):
    checked = 0
    for html in sorted(site.rglob("*.html")):
        page = parse(html)
        assert page.html_attrs.get("lang") == "vi", html
        assert '<meta charset="utf-8">' in html.read_text(encoding="utf-8")
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{html}: external link {link}"
            assert not link.startswith("/"), f"{html}: absolute link {link}"
            target = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            assert target.is_file(), f"{html.relative_to(site)} -> {link}"
            assert site.resolve() in target.parents
            if parts.fragment:
                assert unquote(parts.fragment) in parse(target).ids, f"{html} -> {link}"
            checked += 1
    assert checked > 200


def test_every_task_page_is_reachable_from_the_plans_page(site):
    links = {Path(link).name for link in parse(site / "plans.html").links}
    assert {p.name for p in (site / "tasks").iterdir()} <= links


def test_overview_lists_overdue_tasks_by_days_late_as_status_does(site, capsys):
    code, out, _ = invoke(capsys, "status", "--data", str(STATUS), "--as-of", AS_OF, "-f", "json")
    assert code == 0
    status = json.loads(out)
    tables = parse(site / "index.html").tables
    groups = [tables[k][1:] for k in sorted(tables, key=str) if k.startswith("overdue-")]
    keys = [row[1] for rows in groups for row in rows]  # grouped by agency
    # the printed reference within the plan (the plan has its own column), never an id
    assert sorted(keys) == sorted(f"nhiệm vụ {t['ref']}" for t in status["overdue"])
    for rows in groups:  # most days late first within each agency
        days = [int(row[-1]) for row in rows]
        assert days == sorted(days, reverse=True)
    assert max(int(row[-1]) for rows in groups for row in rows) == 196
    assert len(groups[0]) >= len(groups[-1])  # the agency with most overdue tasks first
    text = (site / "index.html").read_text(encoding="utf-8")
    for klass, count in status["counts"].items():
        if klass in ("overdue", "due_soon", "cancelled"):
            assert f'class="card c-{klass}"><span class="n">{count}</span>' in text


def test_agency_table_counts_per_class(site):
    rows = parse(site / "agencies.html").tables["agencies"]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[0] == "Cơ quan chủ trì" and header[1] == "Quá hạn" and header[-3] == "Tổng"
    assert list(header[-2:]) == ["Chưa cập nhật", "Tiến độ"]
    by_name = {r[0]: r for r in body}
    # Bộ Kế hoạch và Đầu tư's task counts under its successor, Bộ Tài chính, and so do
    # the tasks of its units (the rule of `report --org`): a ministry's row holds them.
    assert int(by_name["Bộ Tài chính (BTC)"][1]) >= int(by_name["Cục Thuế"][1]) >= 1
    assert total[0] == "Tổng cộng" and total[-3] == "19"
    assert sum(int(r[-3]) for r in body) >= 19  # a task counts for each body it falls under


def test_each_agency_has_a_page_with_its_tasks_overdue_first(site):
    agencies = parse(site / "agencies.html")
    pages = sorted(p.name for p in (site / "agencies").iterdir())
    assert {f"agencies/{name}" for name in pages} <= set(agencies.links)
    assert len(pages) == len(agencies.tables["agencies"]) - 2  # header and total rows
    btc = parse(site / "agencies" / "bo-tai-chinh.html")
    assert "../agencies.html" in btc.links
    assert btc.tables["agency-counts"][1][-1] == str(len(parse_rows(site, "bo-tai-chinh")))
    every_task = 0
    for name in pages:
        rows = parse_rows(site, name.removesuffix(".html"))
        classes = [r[-1] for r in rows]
        overdue = [c for c in classes if c == "Quá hạn"]
        assert classes[: len(overdue)] == overdue, name  # what needs attention comes first
        every_task += len(rows)
    assert every_task >= 19  # each task on the page of every body it falls under


def parse_rows(site: Path, stem: str) -> list[list[str]]:
    """Task rows of an agency page (without the header row)."""
    return parse(site / "agencies" / f"{stem}.html").tables.get("agency-tasks", [[]])[1:]


def test_kpi_table_shows_target_latest_value_attainment_and_bar(site):
    rows = parse(site / "kpis.html").tables["kpis"][1:]
    share = next(r for r in rows if r[2].startswith("Tỷ lệ dịch vụ công"))
    assert share[3] == "≥ 80% (năm 2030)"  # with its unit
    assert share[5] == "85% 30/06/2025"  # the 2025-08-30 figure is after the as-of date
    assert share[6] == "Đạt" and share[7] == "112%"
    text = (site / "kpis.html").read_text(encoding="utf-8")
    assert text.count('<svg class="bar"') == 2
    assert '<rect class="fill k-met" width="100"' in text  # 112% is drawn full, not beyond


def test_task_page_shows_fields_updates_parent_chain_and_children(tmp_path, capsys):
    out = tmp_path / "site"
    code, _, err = build(capsys, out, FIXTURES / "minimal")
    assert code == 0, err
    child = out / "tasks" / "DEC-B~1.html"
    page = parse(child)
    text = child.read_text(encoding="utf-8")
    assert "../tasks/DEC-A~2.html" in page.links  # parent
    assert "../plans.html#plan-DEC-A" in page.links  # the parent's plan, top of the chain
    assert "Đã vận hành" in text and "100%" in text  # the update
    assert "Triển khai hệ thống hóa đơn điện tử" in text
    parent = parse(out / "tasks" / "DEC-A~2.html")
    assert "../tasks/DEC-B~1.html" in parent.links  # child
    assert "../kpis.html#kpi-DEC-A~1" in parent.links  # the KPI it serves


# --- escaping -------------------------------------------------------------------

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def test_text_from_the_data_is_escaped_everywhere(copy_fixture, tmp_path, capsys):
    data = copy_fixture("status")
    task = data / "tasks" / "NEW" / "overdue.yaml"
    text = task.read_text(encoding="utf-8")
    text = text.replace("title: Nhiệm vụ overdue", f"title: '{EVIL}'")
    text = text.replace("lead: [Cục Thuế]", "lead: ['<b>Cục</b> \"Thuế\"']")
    task.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = build(capsys, out, data)
    assert code == 0, err
    for html in sorted(out.rglob("*.html")):
        body = html.read_text(encoding="utf-8")
        assert "<script>alert" not in body and "<img" not in body and "<b>" not in body
        assert [s.get("src") for s in parse(html).scripts] == [
            ("../" if html.parent.name in ("tasks", "agencies") else "") + "assets/app.js"
        ]
    page = (out / "tasks" / "NEW~overdue.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in page
    assert "&lt;b&gt;Cục&lt;/b&gt;" in (out / "agencies.html").read_text(encoding="utf-8")


# --- determinism ----------------------------------------------------------------


def test_same_data_and_date_give_the_same_bytes(tmp_path, capsys, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(capsys, first)[0] == 0
    copy = tmp_path / "data"
    shutil.copytree(STATUS, copy)
    monkeypatch.chdir(tmp_path)  # another working folder, a relative --data, no cache
    code, _, _ = invoke(capsys, "site", "--data", "data", "--as-of", AS_OF, "-o", "b", "--no-cache")
    assert code == 0
    assert tree(first) == tree(second)
    assert str(tmp_path) not in "".join(v.decode("utf-8") for v in tree(first).values())


def test_another_date_gives_another_site(tmp_path, capsys):
    assert build(capsys, tmp_path / "a")[0] == 0
    code, _, _ = invoke(
        capsys, "site", "-d", str(STATUS), "--as-of", "2025-09-01", "-o", str(tmp_path / "b")
    )
    assert code == 0
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a.keys() == b.keys() and a["index.html"] != b["index.html"]
    assert "01/09/2025" in b["index.html"].decode("utf-8")


# --- where it writes ------------------------------------------------------------


def test_refuses_a_non_empty_folder_without_force(tmp_path, capsys):
    out = tmp_path / "public"
    out.mkdir()
    (out / "CNAME").write_text("nq57.example.vn\n", encoding="utf-8")
    code, stdout, err = build(capsys, out)
    assert code == 1
    assert "không trống" in err and "--force" in err and "Traceback" not in err
    assert tree(out) == {"CNAME": b"nq57.example.vn\n"}  # nothing written
    code, _, err = build(capsys, out, STATUS, "--force")
    assert code == 0, err
    assert (out / "index.html").is_file() and (out / "CNAME").read_bytes() == b"nq57.example.vn\n"


def test_writes_into_an_empty_folder_and_refuses_a_file(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(capsys, empty)[0] == 0
    afile = tmp_path / "site.html"
    afile.write_text("x", encoding="utf-8")
    code, _, err = build(capsys, afile, STATUS, "--force")
    assert code == 1 and "không phải là thư mục" in err
    assert afile.read_text(encoding="utf-8") == "x"


def test_force_removes_pages_of_an_earlier_build_only(copy_fixture, tmp_path, capsys):
    data = copy_fixture("status")
    out = tmp_path / "site"
    assert build(capsys, out, data)[0] == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "tasks" / "mine.html").write_text("mine", encoding="utf-8")
    (data / "tasks" / "NEW" / "overdue.yaml").unlink()
    assert build(capsys, out, data, "--force")[0] == 0
    assert not (out / "tasks" / "NEW~overdue.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "tasks" / "mine.html").read_text(encoding="utf-8") == "mine"
    fresh = tmp_path / "fresh"
    assert build(capsys, fresh, data)[0] == 0
    assert {k: v for k, v in tree(out).items() if "mine" not in k and k != "notes.txt"} == tree(
        fresh
    )


def test_missing_data_folder_is_a_usage_error(tmp_path, capsys):
    code, _, err = build(capsys, tmp_path / "out", tmp_path / "nope")
    assert code == 2 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


# --- file names -------------------------------------------------------------------


def test_file_names_are_one_to_one_even_without_letter_case():
    ids = ["A/b", "A/B", "A-B/c", "A/B-c", "X/" + "k" * 300]
    stems = page_stems(ids)
    assert len(set(stems.values())) == len(ids)
    assert len({s.lower() for s in stems.values()}) == len(ids)
    assert stems["A-B/c"] == "A-B~c" and stems["A/B-c"] == "A~B-c"
    assert all(re.fullmatch(r"[A-Za-z0-9._~-]{1,140}", s) for s in stems.values())
    assert safe_stem("71-NQ-CP-2025/89-117") == "71-NQ-CP-2025~89-117"


# --- interface language ---------------------------------------------------------------


def test_site_in_english(tmp_path, capsys, site):
    out = tmp_path / "en"
    code, _, err = invoke(
        capsys, "--lang", "en", "site", "--data", str(STATUS), "--as-of", AS_OF, "-o", str(out)
    )
    assert code == 0, err
    assert tree(out).keys() == tree(site).keys()  # the same pages, anchors and links
    for html in sorted(out.rglob("*.html")):
        page = parse(html)
        assert page.html_attrs.get("lang") == "en", html
        assert page.links == parse(site / html.relative_to(out)).links
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Overview</h1>" in index and "Overdue tasks (6)" in index
    assert 'class="card c-overdue"><span class="n">6</span><span class="l">Overdue</span>' in index
    assert 'Figures as of <time datetime="2025-07-15">15/07/2025</time>' in index
    assert "Made by <code>nq57 site</code> from YAML data" in index
    rows = parse(out / "agencies.html").tables["agencies"]
    assert rows[0][0] == "Lead agencies" and rows[0][1] == "Overdue" and rows[0][-3] == "Total"
    assert list(rows[0][-2:]) == ["Not updated", "Progress"]
    assert rows[-1][0] == "Total" and rows[-1][-3] == "19"
    kpis = parse(out / "kpis.html").tables["kpis"]
    share = next(r for r in kpis[1:] if r[2].startswith("Tỷ lệ dịch vụ công"))
    assert share[3] == "≥ 80% (year 2030)" and share[6] == "Met" and share[7] == "112%"
    task = (out / "tasks" / "NEW~quarterly.html").read_text(encoding="utf-8")
    assert "<dt>Computed due date</dt><dd>30/06/2025 (quarterly)</dd>" in task
    assert "<dt>Class</dt><dd>Overdue (15 days)</dd>" in task
    for vietnamese in ("Tổng quan", "Chỉ tiêu", "Nhiệm vụ quá hạn", "Tình trạng", "Tạo bởi"):
        assert not any(vietnamese in v.decode("utf-8") for v in tree(out).values()), vietnamese


def test_an_agency_page_counts_the_tasks_its_report_counts(site):
    """One rule (analysis.scope.agencies_of, docs/data-format.md §6): the site's page for
    an agency and `nq57 report --org AGENCY` count the same tasks."""
    from nq57.analysis.report import build_report
    from nq57.check.pipeline import load
    from nq57.render.site import agency_stems

    data = load([STATUS])
    rows = parse(site / "agencies.html").tables["agencies"][1:-1]
    names = [row[0].split(" (")[0] if row[0].endswith(")") else row[0] for row in rows]
    stems = agency_stems(names)
    checked = 0
    for name in names:
        if name not in data.agencies.agencies:
            continue
        page = parse_rows(site, stems[name])
        report = build_report(data, AS_OF[:7], org=name)
        assert len(page) == report["counts"]["total"], name
        checked += 1
    assert checked >= 2
