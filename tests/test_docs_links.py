"""The documentation names test files and modules that exist (a moved test must not leave
a dead path in docs/reliability.md and its siblings)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PATH = re.compile(r"\b((?:tests|src/nq57|scripts)/[\w/.-]+\.py)\b")


def test_every_python_path_in_the_docs_exists():
    missing = [
        f"{doc.relative_to(ROOT)}: {path}"
        for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for path in PATH.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert missing == []
