"""Without the optional Rust reader (no wheel for a platform), libyaml reads as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

NO_YAML_RS = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "yaml_rs" or name.startswith("yaml_rs."):
            raise ImportError("no yaml_rs")
sys.meta_path.insert(0, Block())
from pathlib import Path
from nq57.io import fastyaml
from nq57.check import pipeline
assert not fastyaml.USE_RUST and not pipeline._fast_parse()
assert fastyaml.load("id: A/1\\nprogress: 5\\n") == {"id": "A/1", "progress": 5}
data = pipeline.load([Path(sys.argv[1])], use_cache=False)
print(len(data.tasks), len(data.diagnostics))
"""


def test_the_fast_reader_works_without_yaml_rs():
    from nq57.check.pipeline import load

    run = subprocess.run(
        [sys.executable, "-c", NO_YAML_RS, str(FIXTURES / "broken")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    data = load([FIXTURES / "broken"], use_cache=False)
    assert run.stdout.split() == [str(len(data.tasks)), str(len(data.diagnostics))]
