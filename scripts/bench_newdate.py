"""What a day of use costs on unchanged data: new --as-of dates, and validate with its cache.

    .venv/bin/python scripts/bench_newdate.py [--tasks 30000] [--dates 5] [--markdown-out F]

`scripts/bench.py`'s "status warm" repeats one command, which the result cache answers.
An analyst more often asks about another day. On the synthetic data set of
`scripts/bench.py` (same generator, same cache folder), from an empty nq57 cache:

1. `validate` (default: with the parse cache and the snapshot): time and peak memory;
2. `status --format json --as-of D0`: the first run after that (it restores the data
   validate left in the snapshot, and writes the status index);
3. `status ... --as-of Dn`, n = 1 … dates: each date new, answered from the index;
4. `query "SELECT class, count(*) …" -f json --as-of Dn` for new dates: the first writes
   the query tables, the rest read them.

Every figure is a median over runs (one run for steps 1, 2 and the first query, which
happen once per change of the data), with the floor of `scripts/bench.py` measured
after each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (beside this script)

SQL = "SELECT class, count(*) AS n FROM tasks GROUP BY class ORDER BY class"


def dates(count: int) -> list[str]:
    """Dates no run of this script asked before in the same cache: one per week."""
    start = dt.date(2025, 7, 1)
    return [(start + dt.timedelta(days=7 * n)).isoformat() for n in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=30000)
    parser.add_argument("--decisions", type=int, default=100)
    parser.add_argument("--dates", type=int, default=5, help="new dates timed per command")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nq57-bench"))
    parser.add_argument("--markdown-out", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    data = bench.dataset(workdir, args.tasks, args.decisions, bench.kpis_for(args.tasks, None), 57)
    nq57 = bench.nq57_command()
    bench.compile_package()
    out = workdir / "last.out"
    floor_cmd = [sys.executable, "-c", bench.FLOOR, str(data)]
    bench.measure(floor_cmd, workdir, out)  # warm-up: page cache, .pyc files
    floors: list[bench.Run] = []
    rows: list[tuple[str, list[bench.Run]]] = []

    def timed(label: str, cmds: list[list[str]]) -> None:
        runs = []
        for cmd in cmds:
            runs.append(bench.measure(cmd, workdir, out))
            floors.append(bench.measure(floor_cmd, workdir, out))
            print(f"  {label:<44} {runs[-1].wall:6.2f} s {runs[-1].cpu:6.2f} s CPU "
                  f"{runs[-1].peak_mb:6.1f} MB", file=sys.stderr)  # fmt: skip
        rows.append((label, runs))

    status = [*nq57, "status", "--data", str(data), "--format", "json", "--as-of"]
    query = [*nq57, "query", "--data", str(data), "-f", "json", SQL, "--as-of"]
    days = dates(2 + 2 * args.dates)
    bench.clear_caches(data, workdir)
    timed("validate (default, empty cache)", [[*nq57, "validate", "--data", str(data)]])
    timed("status --format json, first run (index written)", [[*status, days[0]]])
    timed("status, new dates (from the index)", [[*status, d] for d in days[1 : 1 + args.dates]])
    timed("query, first run (tables written)", [[*query, days[1 + args.dates]]])
    timed("query, new dates (stored tables)", [[*query, d] for d in days[2 + args.dates :]])
    bench.clear_caches(data, workdir)

    floor_wall = statistics.median(r.wall for r in floors)
    floor_cpu = statistics.median(r.cpu for r in floors)
    lines = [
        f"{args.tasks:,} tasks; floor (median of {len(floors)}): {floor_wall:.2f} s wall, "
        f"{floor_cpu:.2f} s CPU",
        "",
        "| step | runs | wall s | CPU s | × floor (CPU) | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, runs in rows:
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        peak = max(r.peak_mb for r in runs)
        ratio = cpu / floor_cpu
        cells = [label, len(runs), f"{wall:.2f}", f"{cpu:.2f}", f"{ratio:.2f}×", f"{peak:.0f}"]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown_out:
        args.markdown_out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
