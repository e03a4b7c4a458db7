"""The monthly report stays a filing a leader reads in minutes (issue 14).

Targets on the bundled data, September 2025: the whole data set's Word report at most 25
pages and one ministry's (`--org "Bộ Tài chính"`) at most 12, as LibreOffice renders them.
These tests read the repository's `data/` on purpose: the targets are stated on it.
LibreOffice counts pages when it is installed; a proxy (characters of text and table
rows, calibrated on LibreOffice's pages: about 5,300 characters a page) always runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from nq57.cli.app import run

DATA = Path(__file__).resolve().parents[2] / "data"
CASES = {
    # name: (extra options, pages at most, characters at most, table rows at most)
    "whole": ([], 25, 125_000, 320),
    "ministry": (["--org", "Bộ Tài chính"], 12, 60_000, 150),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    if not (DATA / "tasks").is_dir():
        pytest.skip("the bundled data is not in this checkout")
    folder = tmp_path_factory.mktemp("length")
    paths = {}
    for name, (extra, *_) in CASES.items():
        target = folder / f"{name}.docx"
        args = ["report", "-m", "2025-09", "--data", str(DATA), "-f", "docx", "-o", str(target)]
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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", CASES)
def test_pages_as_libreoffice_renders_them(reports, name, tmp_path):
    pages_max = CASES[name][1]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(reports[name])],
        check=True, capture_output=True, timeout=600,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    pdf = (tmp_path / f"{name}.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 0 < pages <= pages_max, pages
