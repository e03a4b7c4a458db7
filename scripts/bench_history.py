"""Benchmark `nq57 history`: a year of monthly points on the bundled data.

    .venv/bin/python scripts/bench_history.py [--repeat 3] [--workdir DIR] [--months 12]

It copies the bundled ``data/`` into a scratch git repository and makes one dated commit
per month for a year (``GIT_COMMITTER_DATE``): each month appends an update to 40 task
files and changes the deadline of 2, so every month-end is a different state of 830
files. Then it times, each as a subprocess and taking the median of ``--repeat`` runs:

  a. validate cold   ``nq57 validate --no-cache`` of today's data (every cache removed);
  b. history cold    ``nq57 history --from .. --to .. --format json``, caches removed:
                     12 states read from git, every blob parsed once;
  c. history warm    the same again (blob parses from the cache);
  d. one state       ``nq57 history`` of a single month, caches removed.

The target (issue #13): reading one historical state costs no more than a cold validate
(d ≤ a), and a year of monthly points takes seconds (b).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UPDATED_PER_MONTH = 40
EXTENDED_PER_MONTH = 2


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def build_repository(root: Path, months: int) -> tuple[str, str]:
    """The scratch repository; returns the first and last month (YYYY-MM)."""
    shutil.copytree(REPO / "data", root / "data")
    git(root, "init", "-q")
    git(root, "config", "user.name", "bench")
    git(root, "config", "user.email", "bench@example.invalid")
    git(root, "config", "commit.gpgsign", "false")
    tasks = sorted((root / "data" / "tasks").rglob("*.yaml"))
    year, month = 2025, 1
    first = f"{year}-{month:02d}"
    last = first
    for step in range(months):
        if step:
            chosen = tasks[(step * UPDATED_PER_MONTH) % len(tasks) :][:UPDATED_PER_MONTH]
            for number, path in enumerate(chosen):
                text = path.read_text(encoding="utf-8")
                if number < EXTENDED_PER_MONTH and "\ndue:" not in text:  # an extension
                    text = text.replace("\ndecision:", f"\ndue: {year}-12-31\ndecision:", 1)
                if "\nupdates:" not in text:
                    text += "updates:\n"
                text += f"  - date: {year}-{month:02d}-15\n    progress: {step * 8}\n"
                path.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"month {step}", date=f"{year}-{month:02d}-20T10:00:00")
        last = f"{year}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first, last


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str], cache: Path | None) -> tuple[float, float]:
    """(wall clock, CPU time of the process and its children: git included)."""
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()}")
    return elapsed, _children_cpu() - cpu


def bench_history(repeat: int, workdir: Path, months: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU seconds of the four runs (see the module's docstring)."""
    root = workdir / "repo"
    shutil.rmtree(root, ignore_errors=True)
    first, last = build_repository(root, months)
    data = str(root / "data")
    cache = workdir / "cache"
    env = {**os.environ, "NQ57_CACHE_DIR": str(cache), "COLUMNS": "100"}
    nq57 = [sys.executable, "-m", "nq57"]
    runs = {
        "validate cold": ([*nq57, "validate", "--data", data, "--no-cache"], cache),
        "history cold": (
            [*nq57, "history", "--from", first, "--to", last, "-f", "json", "--data", data],
            cache,
        ),
        "history warm": (
            [*nq57, "history", "--from", first, "--to", last, "-f", "json", "--data", data],
            None,
        ),
        "one state cold": (
            [*nq57, "history", "--from", last, "--to", last, "-f", "json", "--data", data],
            cache,
        ),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (cmd, clear) in runs.items():  # alternating, as scripts/bench.py does
            times[name].append(timed(cmd, env, clear))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nq57-bench-history-"))
    results = bench_history(args.repeat, workdir, args.months)
    print(f"| run ({args.repeat} runs, median) | wall clock (s) | CPU (s) |")
    print("|---|---:|---:|")
    for name, (wall, cpu) in results.items():
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
