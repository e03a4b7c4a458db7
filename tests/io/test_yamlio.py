"""The YAML setups work with a PyYAML built without libyaml (pure-Python readers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

NO_LIBYAML = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "yaml._yaml":
            raise ImportError("no libyaml")
sys.meta_path.insert(0, Block())
import yaml
assert not yaml.__with_libyaml__
from nq57.i18n import t
from nq57.io import fastyaml
from nq57.check.pipeline import load
assert not fastyaml.HAVE_LIBYAML
data = load([__import__("pathlib").Path(sys.argv[1])], use_cache=False)
print(t("help.status") != "", len(data.tasks))
"""


def test_every_reader_works_without_libyaml():
    run = subprocess.run(
        [sys.executable, "-c", NO_LIBYAML, str(FIXTURES / "minimal")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "True"
    assert int(run.stdout.split()[1]) > 0
