"""`nq57 site` in a real browser: headless Chromium runs app.js from file://.

The DOM after scripts ran is read with ``--dump-dom``: app.js marks ``<html data-js="ok">``
once set up and writes any script error into ``data-errors``. Skipped when no Chromium
is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from nq57.cli.app import run

from conftest import FIXTURES

BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed")
ROW = re.compile(r'<tr( hidden="")?><th scope="row">(?:<a [^>]*>)?([^<]*)')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    assert (
        run(["site", "-d", str(FIXTURES / "status"), "--as-of", "2025-07-15", "-o", str(out)]) == 0
    )
    return out


def chromium(profile: Path, *args: str) -> str:
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    # a hang guard only, far above a run on a busy machine
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


VISITS = [  # (page, ?q=) pairs the tests read; loaded in parallel, once
    ("agencies.html", "bo tai chinh"),
    ("agencies.html", "CỤC THUẾ"),
    ("agencies.html", "BKHCN"),
    ("agencies.html", ""),
    ("agencies.html", "không có"),
    ("index.html", "khoa hoc"),
    ("index.html", ""),
    ("plans.html", ""),
    ("kpis.html", ""),
    ("tasks/NEW~overdue.html", ""),
    ("agencies/bo-tai-chinh.html", ""),
]


@pytest.fixture(scope="module")
def doms(site, tmp_path_factory) -> dict[tuple[str, str], str]:
    """The DOM of each visit after its scripts ran (one browser per visit, in parallel)."""
    root = tmp_path_factory.mktemp("profiles")

    def visit(n: int, page: str, query: str) -> str:
        url = (site / page).as_uri() + (f"?q={quote(query)}" if query else "")
        return chromium(root / str(n), "--dump-dom", url)

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {v: pool.submit(visit, n, *v) for n, v in enumerate(VISITS)}
        return {v: f.result() for v, f in futures.items()}


def visible_rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [name.strip() for hidden, name in ROW.findall(body) if not hidden]


def scripts_ran(html: str) -> None:
    head = re.search(r"<html[^>]*>", html).group(0)
    assert 'data-js="ok"' in head, head
    assert "data-errors" not in head, head


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bo tai chinh", ["Bộ Tài chính"]),  # no diacritics, lower case
        ("CỤC THUẾ", ["Cục Thuế"]),
        ("BKHCN", ["Bộ Khoa học và Công nghệ"]),  # the short name shown beside it
        ("", ["Cục Thuế", "Bộ Khoa học và Công nghệ", "Bộ Tài chính"]),
    ],
)
def test_agency_filter_ignores_case_and_diacritics(doms, query, expected):
    html = doms["agencies.html", query]
    scripts_ran(html)
    assert visible_rows(html) == expected
    assert f'<output id="agencies-count" for="q">{len(expected)} / 3</output>' in html


def test_filter_with_no_match_says_so(doms):
    html = doms["agencies.html", "không có"]
    assert visible_rows(html) == []
    assert '<p class="empty" id="agencies-none">' in html  # no longer hidden


def test_overdue_filter_searches_whole_rows(doms):
    html = doms["index.html", "khoa hoc"]
    scripts_ran(html)
    groups = html[html.index('<div id="overdue"') : html.index('id="overdue-none"')]
    rows = re.findall(r"<tr( hidden=\"\")?>", groups.split("<tbody>", 1)[1])
    shown = [r for r in re.findall(r"<tbody>(.*?)</tbody>", groups, re.S)]
    shown = [r for body in shown for r in re.findall(r"<tr( hidden=\"\")?>", body) if not r]
    assert rows and len(shown) == 1 and 'data-shown="1"' in html
    opened = re.findall(r"<details [^>]*>", groups)
    assert len([d for d in opened if 'hidden=""' not in d]) == 1  # only its agency shows


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "plans.html",
        "kpis.html",
        "tasks/NEW~overdue.html",
        "agencies/bo-tai-chinh.html",
    ],
)
def test_pages_run_their_script_without_errors(doms, page):
    scripts_ran(doms[page, ""])


def test_screenshots_render(site, tmp_path):
    for page in ("index.html", "agencies.html"):
        shot = tmp_path / f"{page}.png"
        chromium(
            tmp_path / "profile",
            "--window-size=1366,900",
            f"--screenshot={shot}",
            (site / page).as_uri(),
        )
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
