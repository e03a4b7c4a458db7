"""Pages of the bundled data's September 2025 report, as LibreOffice renders them.

    .venv/bin/python scripts/report_pages.py [--data data] [--month 2025-09]

Renders the Word report for the whole data set and for ``--org "Bộ Tài chính"`` into a
temporary folder, converts both with ``soffice --headless --convert-to pdf`` and prints
the page counts (targets of issue 14: at most 25 and 12). Needs LibreOffice. The result
is kept in BENCHMARKS.md ("Report length"); the test suite checks the targets on
synthetic data (tests/render/test_report_length.py), never on ``data/``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nq57.cli.app import run

REPO = Path(__file__).resolve().parent.parent
CASES = {"whole": ([], 25), "Bộ Tài chính": (["--org", "Bộ Tài chính"], 12)}


def pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--month", default="2025-09")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number, (name, (extra, target)) in enumerate(CASES.items()):
            docx = folder / f"report-{number}.docx"
            cmd = ["report", "-m", args.month, "--data", str(args.data), "-f", "docx"]
            if run([*cmd, "-o", str(docx), *extra, "--appendix", "xlsx"]) != 0:
                return 1
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                 str(docx)],
                check=True, capture_output=True, timeout=900,
                env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
            )  # fmt: skip
            count = pages(docx.with_suffix(".pdf"))
            failed |= count > target
            print(f"{args.month} {name}: {count} pages (target at most {target})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
