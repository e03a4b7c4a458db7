"""Start-up: listing the commands imports nothing below cli/ that is heavy (the
lazy-import mechanism of nq57.cli.lazy). Not timed: it checks which modules are loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("pydantic", "pydantic_core", "rich", "jinja2", "openpyxl", "matplotlib", "docx")
PROBE = """
import sys
from pathlib import Path
from nq57.cli.app import run
code = run(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[0].split(",")))
loaded = sorted(
    m for m in sys.modules
    if m.startswith(("nq57.check.", "nq57.model.", "nq57.analysis.", "nq57.render.", "nq57.edit."))
    and type(sys.modules[m]).__name__ != "_LazyModule"
)
print(code, heavy, loaded)
"""


def _loaded(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("sys.argv[0]", repr(",".join(HEAVY))), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_version_and_help_import_no_data_code():
    """Every module in cli/register.py's GROUPS is imported here: one that imports the
    data code at module level (not through nq57.cli.lazy) fails this test."""
    for args in (["--version"], ["--help"]):
        assert _loaded(*args) == "0 [] []", args
    for args in (["status", "--help"], ["fmt", "--help"]):  # typer itself may use pydantic
        assert _loaded(*args).endswith(" []"), args


def test_a_start_reads_no_yaml_and_a_plain_command_no_pydantic():
    """Once the catalogue is compiled (the first run), --help imports no YAML library, and
    fmt --check does not import pydantic (cli/coercion.py)."""
    _loaded("--version")  # compiles the catalogue into the session's cache folder
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace("sys.argv[0]", repr("yaml,ruamel,pydantic")),
            "--help",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "0 [] []"
    fmt = str(Path(__file__).parents[1] / "fixtures" / "minimal")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace("sys.argv[0]", repr("pydantic")),
            "fmt",
            "--check",
            "--data",
            fmt,
        ],
        capture_output=True,
        text=True,
    )
    assert " [] " in done.stdout.strip().splitlines()[-1], done.stdout + done.stderr
