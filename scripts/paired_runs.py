"""Paired timing of two versions of nq57 on the same command (A B A B ...).

    .venv/bin/python scripts/paired_runs.py --before SRC_DIR [--after SRC_DIR] [--pairs 7] \
        -- validate --data /tmp/s30 --no-cache

Each run is a fresh subprocess of this interpreter running ``nq57`` with ``PYTHONPATH``
set to the version's ``src`` folder (``--before``: e.g. an exported checkout of an older
commit; ``--after``: this checkout by default). Reports the median wall clock and CPU time
(user + system, worker processes included) of each, and the median of the per-pair ratios
after / before: on a machine shared with other work, pairs taken close in time are
steadier than two separate medians. The two outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUN = "import sys; from nq57.cli.app import main; sys.argv[0] = 'nq57'; sys.exit(main())"


def timed(src: Path, args: list[str]) -> tuple[float, float, bytes]:
    """(wall s, CPU s, stdout): CPU from the children's resource usage before and after."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], env=env, stdout=subprocess.PIPE, cwd=REPO, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the old code")
    parser.add_argument("--after", type=Path, default=REPO / "src", help="src folder (this one)")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("args", nargs="+", help="the nq57 command line (after --)")
    opts = parser.parse_args()
    timed(opts.after, opts.args)  # warm-up: page cache, .pyc files
    timed(opts.before, opts.args)
    rows: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    outputs: dict[str, bytes] = {}
    for i in range(opts.pairs):
        order = ("before", "after") if i % 2 == 0 else ("after", "before")
        for name in order:
            wall, cpu, out = timed(getattr(opts, name), opts.args)
            rows[name].append((wall, cpu))
            outputs.setdefault(name, out)
            print(f"{name:6s} wall {wall:6.2f} s  cpu {cpu:6.2f} s", file=sys.stderr)
    for name, values in rows.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"{name}: median wall {wall:.2f} s, CPU {cpu:.2f} s ({len(values)} runs)")
    for k, label in ((0, "wall"), (1, "CPU")):
        ratios = [a[k] / b[k] for a, b in zip(rows["after"], rows["before"], strict=True)]
        print(f"after / before, {label}: median of pairs {statistics.median(ratios):.3f}")
    same = outputs["before"] == outputs["after"]
    print("outputs identical" if same else "OUTPUTS DIFFER")


if __name__ == "__main__":
    main()
