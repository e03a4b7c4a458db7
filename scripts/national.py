"""Simulate the national view (docs/national.md) and measure it.

    .venv/bin/python scripts/national.py --tasks 10000 --orgs 34 --months 12 --repeat 3 \\
        --markdown-out national.md

1. Generates ONE synthetic repository of ``--tasks`` tasks with scripts/synthetic.py.
2. Times its real export: ``nq57 export --format parquet`` (cold: no parse cache; warm).
3. Builds ``--orgs`` × ``--months`` snapshots partitioned ``org=…/as_of=…/<view>.parquet``
   by re-writing that one export with DuckDB: each snapshot gets its own ``org`` and
   month-end ``as_of``, and the class of one open task in five is re-drawn from a hash of
   (task, org, month) so that snapshots differ. The snapshots are DERIVED from one
   export, not separate exports of separate repositories.
4. Times the national query "overdue by agency and month" over all of it with
   ``nq57 query --parquet ROOT`` (a whole process, start-up included), and the disk size.

Each timed command is a subprocess; wall clock around it, CPU (user + system) and peak
memory from the operating system's accounting of the finished child. Medians are shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
NQ57 = [sys.executable, "-m", "nq57"]
AS_OF = dt.date(2025, 9, 30)
NATIONAL_SQL = (
    "SELECT lead_agency, as_of, count(*) AS overdue, count(DISTINCT org) AS orgs, "
    "max(days_overdue) AS worst FROM tasks WHERE class = 'overdue' "
    "GROUP BY ALL ORDER BY as_of, overdue DESC"
)
VIEWS = ("tasks", "updates", "kpis", "measurements", "decisions", "agencies", "filings")


def month_ends(last: dt.date, count: int) -> list[dt.date]:
    ends, day = [], last
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return sorted(ends)


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command; wall seconds, its CPU seconds and peak memory (MiB) as the
    operating system accounts for the finished child. The child is started by
    /usr/bin/time when there is one: Linux counts the resident size of the process a
    child was forked from in the child's peak, and this script holds DuckDB's memory."""
    wrapper = shutil.which("time", path="/usr/bin")
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".time") as figures,
    ):
        full = [wrapper, "-f", "%U %S %M", "-o", figures.name, *command] if wrapper else command
        start = time.perf_counter()
        child = subprocess.Popen(full, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read()}")
        cpu, peak_kib = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
        if wrapper:
            user, system, peak = figures.read().split()[-3:]
            cpu, peak_kib = float(user) + float(system), int(peak)
        return {"wall": wall, "cpu": cpu, "peak_mib": peak_kib / 1024, "out": out.read()}


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def generate(data: Path, tasks: int) -> None:
    manifest = data / ".synthetic.json"
    if manifest.is_file() and json.loads(manifest.read_text())["tasks"] == tasks:
        return
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "synthetic.py"),
            str(data),
            "--tasks",
            str(tasks),
            "--decisions",
            "100",
            "--kpis",
            str(max(1, tasks // 30)),
            "--seed",
            "57",
        ],
        check=True,
    )


def export_runs(data: Path, out: Path, repeat: int, workdir: Path) -> dict[str, list]:
    """Cold (parse cache removed before each run) and warm exports."""
    cache = workdir / "cache"
    env = {**os.environ, "NQ57_CACHE_DIR": str(cache)}
    command = [*NQ57, "export", "--data", str(data), "--as-of", AS_OF.isoformat()]
    command += ["--format", "parquet", "--output", str(out), "--force"]
    runs: dict[str, list] = {"cold": [], "warm": []}
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        runs["cold"].append(timed(command, env))
        runs["warm"].append(timed(command, env))
    return runs


def build_national(export: Path, root: Path, orgs: int, months: list[dt.date]) -> float:
    """Write orgs × months snapshots derived from one export; return the seconds taken."""
    start = time.perf_counter()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE snapshots AS SELECT printf('org%02d', o) AS org, m AS as_of, i AS month "
        "FROM range(1, $1 + 1) r(o), (SELECT unnest($2::DATE[]) AS m, "
        "generate_subscripts($2::DATE[], 1) AS i)",
        [orgs, months],
    )
    for view in VIEWS:
        source = export / f"{view}.parquet"
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{source}'").fetchall()]
        keep = [c for c in columns if c not in ("org", "as_of")]
        select = ", ".join(f'v."{c}"' for c in keep)
        if view == "tasks":
            draw = "hash(v.id, s.org, s.as_of) % 10"
            open_ = "v.class IN ('overdue', 'due_soon', 'on_track')"
            new_class = (
                f"CASE WHEN {open_} AND {draw} = 0 THEN 'overdue' "
                f"WHEN {open_} AND {draw} = 1 THEN 'on_track' ELSE v.class END"
            )
            days = (
                f"CASE WHEN ({new_class}) <> 'overdue' THEN NULL "
                f"ELSE coalesce(v.days_overdue, 1 + CAST(hash(v.id, s.as_of) % 365 AS INTEGER)) END"
            )
            select = select.replace('v."class"', f'{new_class} AS "class"')
            select = select.replace('v."days_overdue"', f'{days} AS "days_overdue"')
        con.execute(
            f"COPY (SELECT {select}, s.org, s.as_of FROM '{source}' v, snapshots s) "
            f"TO '{root}' (FORMAT parquet, PARTITION_BY (org, as_of), "
            f"FILENAME_PATTERN '{view}_{{i}}', OVERWRITE_OR_IGNORE)"
        )
    for path in root.rglob("*_0.parquet"):
        path.rename(path.with_name(path.name.removesuffix("_0.parquet") + ".parquet"))
    return time.perf_counter() - start


def disk_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*.parquet") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--orgs", type=int, default=34)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "nq57-national"
    )
    parser.add_argument("--markdown-out", type=Path)
    args = parser.parse_args(argv)

    work = args.workdir
    data = work / "repo" / "data"
    export = work / "export"
    root = work / "national"
    work.mkdir(parents=True, exist_ok=True)
    generate(data, args.tasks)
    exports = export_runs(data, export, args.repeat, work)
    months = month_ends(AS_OF, args.months)
    build_seconds = build_national(export, root, args.orgs, months)
    files, size = disk_size(root)
    one_files, one_size = disk_size(export)
    env = {**os.environ, "NQ57_CACHE_DIR": str(work / "cache")}
    query = [*NQ57, "query", "--parquet", str(root), "--format", "csv", NATIONAL_SQL]
    queries = [timed(query, env) for _ in range(args.repeat)]
    count = [*NQ57, "query", "--parquet", str(root), "--format", "csv"]
    rows = timed([*count, "SELECT count(*) FROM tasks"], env)["out"].splitlines()[1]
    result_rows = len(queries[0]["out"].splitlines()) - 1

    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} logical cores, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}.",
        "",
        f"Command: `scripts/national.py --tasks {args.tasks} --orgs {args.orgs} "
        f"--months {args.months} --repeat {args.repeat}`",
        "",
        "| what | wall s (median) | CPU s (median) | peak MiB |",
        "|---|---:|---:|---:|",
        f"| export one repository ({args.tasks:,} tasks), cold cache | "
        f"{median(exports['cold'], 'wall'):.2f} | {median(exports['cold'], 'cpu'):.2f} | "
        f"{max(r['peak_mib'] for r in exports['cold']):.0f} |",
        f"| export one repository, warm cache | {median(exports['warm'], 'wall'):.2f} | "
        f"{median(exports['warm'], 'cpu'):.2f} | "
        f"{max(r['peak_mib'] for r in exports['warm']):.0f} |",
        f"| national query over {args.orgs} × {args.months} snapshots ({int(rows):,} task rows) | "
        f"{median(queries, 'wall'):.2f} | {median(queries, 'cpu'):.2f} | "
        f"{max(r['peak_mib'] for r in queries):.0f} |",
        "",
        f"- One export: {one_files} files, {one_size / 2**20:.1f} MiB.",
        f"- National folder: {files:,} files, {size / 2**20:.1f} MiB on disk "
        f"({args.orgs} orgs × {args.months} month-end snapshots, "
        f"{months[0].isoformat()} … {months[-1].isoformat()}); derived in {build_seconds:.1f} s.",
        f"- The national query returns {result_rows:,} rows (agency × month): `{NATIONAL_SQL}`.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown_out:
        args.markdown_out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
