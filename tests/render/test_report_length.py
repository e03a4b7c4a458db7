"""The monthly report stays a filing a leader reads in minutes (issue 14), whatever the data.

The length is bounded by design (section II lists only the agencies most behind in full,
every other one in one row; section III lists a few tasks and counts the rest), so it is
checked on a large synthetic data set (scripts/synthetic.py: 740 tasks, 5 plans, 60 KPIs,
seed 57, July 2025), never on the real ``data/``: the whole data set's Word report at most
25 pages and one ministry's (``--org "Bộ Tài chính"``) at most 12, as LibreOffice renders
them when it is installed. A proxy (characters of text and table rows, about 4,500
characters a page as LibreOffice renders this report) always runs. The bundled data's page
counts are printed by scripts/report_pages.py and kept in BENCHMARKS.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from nq57.cli.app import run

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import synthetic  # noqa: E402

TASKS, DECISIONS, KPIS, SEED, MONTH = 740, 5, 60, 57, "2025-07"
CASES = {
    # name: (extra options, pages at most, characters at most, table rows at most)
    "whole": ([], 25, 110_000, 280),
    "ministry": (["--org", "Bộ Tài chính"], 12, 56_000, 130),
}
HANG_GUARD = 900  # seconds: only so that a hung LibreOffice does not hang the suite


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("length")
    data = folder / "data"
    synthetic.generate(data, tasks=TASKS, decisions=DECISIONS, kpis=KPIS, seed=SEED)
    paths = {}
    for name, (extra, *_) in CASES.items():
        target = folder / f"{name}.docx"
        args = ["report", "-m", MONTH, "--data", str(data), "-f", "docx", "-o", str(target)]
        assert run([*args, *extra, "--appendix", "xlsx"]) == 0
        paths[name] = target
    return paths


@pytest.mark.parametrize("name", CASES)
def test_length_proxy(reports, name):
    _, _, max_chars, max_rows = CASES[name]
    body = Document(str(reports[name])).element.body
    chars = sum(len("".join(p.itertext())) for p in body.iter(qn("w:p")))
    rows = len(body.findall(".//" + qn("w:tr")))
    assert chars <= max_chars, chars
    assert rows <= max_rows, rows


def test_other_agencies_are_one_row_each(reports):
    text = "\n".join(p.text for p in Document(str(reports["whole"])).paragraphs)
    assert "Các đơn vị khác" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", CASES)
def test_pages_as_libreoffice_renders_them(reports, name, tmp_path):
    pages_max = CASES[name][1]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(reports[name])],
        check=True, capture_output=True, timeout=HANG_GUARD,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    pdf = (tmp_path / f"{name}.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 0 < pages <= pages_max, pages
