"""Benchmark nq57 at national scale: 30,000 tasks vs. the libyaml floor.

    .venv/bin/python scripts/bench.py [--sizes 3000,10000,30000] [--repeat 3] [--workdir DIR]
                                      [--markdown-out FILE] [--json-out FILE] [--profile N]

For each size it generates a synthetic data folder (scripts/synthetic.py; cached in the
workdir by size, seed and generator/source fingerprint), then measures, alternating the
commands (a, b, c, d, a, b, c, d, ...) and taking the median of ``--repeat`` runs:

  a. floor        a fresh Python process that reads every *.yaml under the data folder and
                  parses it with ``yaml.load(f, Loader=yaml.CSafeLoader)`` (libyaml);
  b. validate     ``nq57 validate --data DIR`` (+ ``--no-cache`` when the option exists),
                  with every cache folder removed first;
  c. status cold  ``nq57 status --data DIR --as-of 2025-07-15 --format json``, caches removed;
  d. status warm  the same command again, nothing changed (uses whatever c. left behind);
  e. fmt --check  ``nq57 fmt --check --data DIR`` (the generated files are canonical).

Then start-up: ``nq57 --version``, ``nq57 --help`` and a warm ``nq57 status`` of the
bundled data (median of at least 5 runs each).

Each run is a subprocess timed for wall clock, with CPU time (user+sys) and peak RSS from
``/usr/bin/time -v`` (or, without it, ``resource.getrusage(RUSAGE_CHILDREN)`` in a wrapper
process). Peak RSS is that of the largest single process, not a sum over worker processes.

Caches: nq57 keeps its parse cache in the user cache folder, ``$XDG_CACHE_HOME/nq57``
(src/nq57/cache.py; ``$NQ57_CACHE_DIR`` overrides it, and the benchmark unsets that
variable). So that a change of place is still caught, every command runs with the
workdir as the current folder and
``XDG_CACHE_HOME`` pointing into the workdir; ``.nq57-cache`` inside the data folder, beside
it and in the workdir, and that XDG folder, are removed before each cold run, and the report
says what the first cold ``status`` run actually created.

The Markdown output holds the machine (CPU, cores, load, versions), a wall-clock table, a CPU
table (steadier than wall clock on a shared machine) and the targets of issue 17: cold
validate ≤ 1.0× floor, warm status ≤ 0.1× floor, fmt --check ≤ 1.5× floor (smallest and
largest size), peak < 400 MB at the largest size, linear growth, start-up < 0.15 s and
the bundled data's warm status < 0.5 s.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (the generator lives next to this script)

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2025-07-15"
DEFAULT_SIZES = (3000, 10000, 30000)
CACHE_NAME = ".nq57-cache"
GNU_TIME = Path("/usr/bin/time")
# Issue 17: ratios to the floor (wall clock and CPU time), seconds, megabytes.
TARGETS = {
    "validate": 1.0,
    "status_warm": 0.1,
    "fmt_check": 1.5,
    "peak_mb": 400.0,
    "growth": 1.25,
    "startup_s": 0.15,
    "bundled_status_warm_s": 0.5,
}

FLOOR = r"""
import os, sys, yaml
n = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        if name.endswith(".yaml"):
            with open(os.path.join(root, name), "rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
            n += 1
print(n)
"""

# Used only when /usr/bin/time is missing: run the command, report its rusage.
WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
with open(sys.argv[2], "wb") as out:
    rc = subprocess.run(sys.argv[3:], stdout=out).returncode
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
scale = 1 if sys.platform.startswith("linux") else 1 / 1024  # macOS reports bytes
with open(sys.argv[1], "w") as f:
    json.dump({"rc": rc, "wall": wall, "user": r.ru_utime, "sys": r.ru_stime,
               "maxrss_kb": r.ru_maxrss * scale}, f)
"""

COMMANDS = ("floor", "validate", "status_cold", "status_warm", "fmt_check")
LABELS = {
    "floor": "floor",
    "validate": "validate",
    "status_cold": "status cold",
    "status_warm": "status warm",
    "fmt_check": "fmt --check",
}


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the process and its (waited-for) worker processes
    peak_mb: float  # max(rss_mb, tree_mb)
    rc: int
    rss_mb: float = 0.0  # exact peak RSS of the largest single process (kernel rusage)
    tree_mb: float = 0.0  # sampled peak of the summed PSS of the whole process tree


@dataclass
class SizeResult:
    tasks: int
    files: int
    data: str
    repeat: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    cache: str = ""

    def median(self, command: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs[command])

    def peak(self, command: str) -> float:
        return max(r.peak_mb for r in self.runs[command])


# --- running and measuring ---------------------------------------------------------------


def compile_package() -> None:
    """Write nq57's .pyc files, as `pip install` does: with PYTHONDONTWRITEBYTECODE set
    (this machine sets it) an editable checkout would compile every module changed since
    its last .pyc in every measured run (0.01-0.07 s each)."""
    import nq57

    compileall.compile_dir(Path(nq57.__file__).parent, quiet=1)


def nq57_command() -> list[str]:
    script = Path(sys.executable).parent / "nq57"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nq57"]


def run_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(workdir / "xdg-cache")
    env.pop("NQ57_CACHE_DIR", None)  # keep any override from the caller out of the benchmark
    return env


class TreeSampler(threading.Thread):
    """Peak memory of a process and all its descendants (worker pools), sampled.

    Sums PSS (``/proc/PID/smaps_rollup``), so pages shared by forked workers count once.
    Sampling every ``interval`` seconds can miss short spikes; the exact single-process
    peak from rusage is reported next to it."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = sum(_pss_kb(p) for p in _descendants(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._halt.wait(self.interval)

    def stop(self) -> float:
        self._halt.set()
        self.join()
        return self.peak_kb / 1024


def _descendants(pid: int) -> list[int]:
    """Children, grandchildren, ... of ``pid`` (not ``pid`` itself: that is /usr/bin/time)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{parent}/task/{tid}/children") as handle:
                    kids = [int(k) for k in handle.read().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def measure(cmd: list[str], workdir: Path, stdout: Path) -> Run:
    """Run ``cmd`` with the workdir as the current folder; wall, CPU and peak RSS."""
    env = run_env(workdir)
    with tempfile.NamedTemporaryFile("r", dir=workdir, suffix=".rusage", delete=False) as tmp:
        report = Path(tmp.name)
    try:
        if GNU_TIME.exists():
            argv = [str(GNU_TIME), "-v", "-o", str(report), *cmd]
        else:
            argv = [sys.executable, "-c", WRAPPER, str(report), str(stdout), *cmd]
        # With the wrapper, the wrapper itself writes the command's output to ``stdout``.
        sink = open(stdout, "wb") if GNU_TIME.exists() else subprocess.DEVNULL  # noqa: SIM115
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            try:
                proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=sink, stderr=err)
            finally:
                if sink is not subprocess.DEVNULL:
                    sink.close()
            sampler = TreeSampler(proc.pid)
            if Path("/proc").is_dir():
                sampler.start()
            proc.wait()
            wall = time.perf_counter() - start
            tree_mb = sampler.stop() if sampler.is_alive() else 0.0
            err.seek(0)
            stderr = err.read()
        if GNU_TIME.exists():
            text = report.read_text()
            cpu = _field(text, r"User time \(seconds\): ([\d.]+)")
            cpu += _field(text, r"System time \(seconds\): ([\d.]+)")
            rss_mb = _field(text, r"Maximum resident set size \(kbytes\): (\d+)") / 1024
            rc = proc.returncode
        else:
            got = json.loads(report.read_text())
            wall, cpu, rss_mb, rc = (
                got["wall"],
                got["user"] + got["sys"],
                got["maxrss_kb"] / 1024,
                got["rc"],
            )
        run = Run(wall, cpu, max(rss_mb, tree_mb), rc, rss_mb, tree_mb)
    finally:
        report.unlink(missing_ok=True)
    if run.rc != 0:
        tail = stderr.decode("utf-8", "replace")[-2000:]
        raise SystemExit(f"command failed (exit {run.rc}): {' '.join(cmd)}\n{tail}")
    return run


def _field(text: str, pattern: str) -> float:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else float("nan")


def cache_candidates(data: Path, workdir: Path) -> list[Path]:
    return [
        data / CACHE_NAME,
        data.parent / CACHE_NAME,
        workdir / CACHE_NAME,
        workdir / "xdg-cache",
    ]


def clear_caches(data: Path, workdir: Path) -> None:
    for path in cache_candidates(data, workdir):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _entries(folders: list[Path]) -> set[Path]:
    out: set[Path] = set()
    for folder in folders:
        if folder.is_dir():
            out.update(folder.iterdir())
    return out


def watch_cache(data: Path, workdir: Path) -> set[Path]:
    """What exists now where a cache could appear (before/after a cold run)."""
    found = _entries([data, data.parent, workdir, workdir / "xdg-cache"])
    return {p for p in found if p.suffix != ".rusage" and p.name != "last.out"}


def describe_cache(before: set[Path], after: set[Path], data: Path, workdir: Path) -> str:
    created = sorted(after - before)
    if not created:
        return "none: `nq57 status` left no cache behind (warm = cold)"
    return ", ".join(_describe_path(p, data, workdir) for p in created)


def _describe_path(path: Path, data: Path, workdir: Path) -> str:
    if path.parent == data:
        return f"`<data>/{path.name}` (inside the data folder)"
    if path.parent == workdir / "xdg-cache":
        return f"`$XDG_CACHE_HOME/{path.name}` (user cache folder)"
    if path.parent == data.parent:
        inside = sorted(q.name for q in path.iterdir()) if path.is_dir() else []
        what = f" (holding {', '.join(inside[:3])})" if inside else ""
        return f"`{path.name}/` beside the data folder{what}"
    return f"`{path.name}` in the current folder"


def has_option(nq57: list[str], command: str, option: str) -> bool:
    out = subprocess.run([*nq57, command, "--help"], capture_output=True, text=True).stdout
    return option in out


def _validate(nq57: list[str], data: Path, no_cache: bool) -> list[str]:
    return [*nq57, "validate", "--data", str(data), *(["--no-cache"] if no_cache else [])]


def _status(nq57: list[str], data: Path) -> list[str]:
    return [*nq57, "status", "--data", str(data), "--as-of", AS_OF, "--format", "json"]


def _fmt(nq57: list[str], data: Path) -> list[str]:
    return [*nq57, "fmt", "--check", "--data", str(data)]


# --- data sets ---------------------------------------------------------------------------


def kpis_for(tasks: int, kpis: int | None) -> int:
    return kpis if kpis is not None else max(1, round(tasks / 30))


def dataset(workdir: Path, tasks: int, decisions: int, kpis: int, seed: int) -> Path:
    """The cached data folder for these counts; regenerated when the generator changed."""
    vocab_fp = synthetic.source_fingerprint()
    target = workdir / f"data-{tasks}t-{decisions}d-{kpis}k-s{seed}"
    manifest = target / synthetic.MANIFEST
    generator = synthetic.generator_fingerprint()
    if manifest.exists():
        got = json.loads(manifest.read_text())
        if got.get("source_fingerprint") == vocab_fp and got.get("generator") == generator:
            return target
    tmp = workdir / f".tmp-{target.name}"
    shutil.rmtree(tmp, ignore_errors=True)
    start = time.perf_counter()
    synthetic.generate(tmp, tasks, decisions, kpis, seed)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    print(f"  generated {target.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return target


def count_yaml(data: Path) -> int:
    return sum(
        1
        for root, dirs, files in os.walk(data)
        if not Path(root).name.startswith(".")
        for f in files
        if f.endswith(".yaml")
    )


# --- the benchmark -----------------------------------------------------------------------


def bench_size(
    nq57: list[str],
    data: Path,
    workdir: Path,
    tasks: int,
    repeat: int,
    no_cache: bool,
    result: SizeResult | None = None,
) -> SizeResult:
    if result is None:
        result = SizeResult(tasks, count_yaml(data), data.name, 0, {c: [] for c in COMMANDS})
    floor = [sys.executable, "-c", FLOOR, str(data)]
    out = workdir / "last.out"
    if not result.repeat:
        measure(floor, workdir, out)  # warm-up: page cache, .pyc files
    for _ in range(repeat):
        result.repeat += 1
        plan = [
            ("floor", floor, False),
            ("validate", _validate(nq57, data, no_cache), True),
            ("status_cold", _status(nq57, data), True),
            ("status_warm", _status(nq57, data), False),
            ("fmt_check", _fmt(nq57, data), False),  # exits 1 unless the data is canonical
        ]
        for name, cmd, cold in plan:
            if cold:
                clear_caches(data, workdir)
            before = watch_cache(data, workdir) if name == "status_cold" else set()
            run = measure(cmd, workdir, out)
            result.runs[name].append(run)
            print(
                f"  {tasks:>6} tasks  run {result.repeat}  {LABELS[name]:<12} "
                f"{run.wall:7.2f} s wall {run.cpu:7.2f} s cpu {run.peak_mb:7.1f} MB",
                file=sys.stderr,
            )
            if result.repeat > 1:
                continue
            if name == "validate":
                result.errors, result.warnings = count_diagnostics(out)
                if result.errors:
                    raise SystemExit(
                        f"{data}: nq57 validate found {result.errors} errors in generated data"
                    )
            elif name == "status_cold":
                result.cache = describe_cache(before, watch_cache(data, workdir), data, workdir)
            elif name == "status_warm":
                _check_status_output(out)
    clear_caches(data, workdir)
    return result


def count_diagnostics(path: Path) -> tuple[int, int]:
    """Errors and warnings in ``nq57 validate`` text output (PATH:LINE:COL: CODE message)."""
    codes = re.findall(r":\d+:\d+: ([EW])\d{3} ", path.read_text(encoding="utf-8"))
    return codes.count("E"), codes.count("W")


def _check_status_output(path: Path) -> None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SystemExit(f"`nq57 status --format json` did not print JSON: {exc}") from None


def machine(nq57: list[str], workdir: Path, repeat: int) -> dict[str, str]:
    info: dict[str, str] = {}
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    info["CPU"] = model or platform.machine()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    info["cores"] = f"{os.cpu_count()} logical" + (f" ({usable} usable)" if usable else "")
    try:
        mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
        info["memory"] = f"{int(mem) / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    info["OS"] = platform.platform()
    info["Python"] = f"{platform.python_implementation()} {platform.python_version()}"
    probe = (
        "import yaml, ruamel.yaml, pydantic\n"
        "try:\n    import yaml._yaml as c; lib = c.get_version_string()\n"
        "except Exception:\n    lib = 'not available'\n"
        "print(yaml.__version__, lib, ruamel.yaml.__version__, pydantic.VERSION)"
    )
    got = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout
    parts = got.split()
    if len(parts) == 4:
        info["PyYAML / libyaml"] = f"{parts[0]} / {parts[1]}"
        info["ruamel.yaml / pydantic"] = f"{parts[2]} / {parts[3]}"
    version = subprocess.run([*nq57, "--version"], capture_output=True, text=True).stdout
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "src"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    info["nq57"] = f"{version.strip()} (git {commit or '?'}{', src modified' if dirty else ''})"
    startup = [measure([*nq57, "--version"], workdir, workdir / "last.out") for _ in range(repeat)]
    info["nq57 startup (`nq57 --version`)"] = (
        f"{statistics.median(r.wall for r in startup):.2f} s wall, "
        f"{statistics.median(r.cpu for r in startup):.2f} s CPU"
    )
    return info


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.1f}×" if floor > 0 else "–"


def table(results: list[SizeResult], attr: str) -> list[str]:
    unit = "s" if attr == "wall" else "s CPU"
    lines = [
        f"| tasks | files | floor {unit} | validate {unit} (× floor) "
        f"| status cold {unit} (× floor) | status warm {unit} (× floor) "
        f"| fmt --check {unit} (× floor) "
        "| peak MB floor / validate / cold / warm / fmt | validate E / W |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for res in results:
        floor = res.median("floor", attr)
        cells = [f"{res.tasks:,}", f"{res.files:,}", f"{floor:.2f}"]
        for name in COMMANDS[1:]:
            value = res.median(name, attr)
            cells.append(f"{value:.2f} ({_ratio(value, floor)})")
        cells.append(" / ".join(f"{res.peak(c):.0f}" for c in COMMANDS))
        cells.append(f"{res.errors} / {res.warnings:,}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def growth(results: list[SizeResult], command: str, attr: str) -> tuple[str, bool | None]:
    """Marginal cost per 1,000 tasks between consecutive sizes; linear if it stays flat."""
    pts = sorted((r.tasks, r.median(command, attr)) for r in results)
    if len(pts) < 2:
        return "one size only", None
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) * 1000 for a, b in zip(pts, pts[1:], strict=False)]
    text = " → ".join(f"{s:.2f}" for s in slopes) + " s per 1,000 tasks"
    if len(slopes) < 2 or slopes[0] <= 0:
        return text, None
    return text, slopes[-1] <= TARGETS["growth"] * slopes[0]


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**NOT met**")


def _ratio_row(res: SizeResult, command: str, limit: float, label: str) -> str:
    wall = res.median(command, "wall") / res.median("floor", "wall")
    cpu = res.median(command, "cpu") / res.median("floor", "cpu")
    return (
        f"| {label} | {wall:.2f}× | {cpu:.2f}× | "
        f"{_verdict(wall <= limit)} / {_verdict(cpu <= limit)} |"
    )


def targets(results: list[SizeResult], start: dict[str, Run] | None = None) -> list[str]:
    big = max(results, key=lambda r: r.tasks)
    small = min(results, key=lambda r: r.tasks)
    lines = [
        f"Targets (issue 17) at {big.tasks:,} tasks unless said. Wall clock is what users see "
        "(nq57 may use several cores; the floor uses one); CPU time is the work done, "
        "independent of cores and of other load on the machine:",
        "",
        "| target | wall clock | CPU time | verdict (wall / CPU) |",
        "|---|---|---|---|",
        _ratio_row(big, "validate", TARGETS["validate"], "cold validate ≤ 1.0× floor"),
        _ratio_row(big, "status_warm", TARGETS["status_warm"], "warm status ≤ 0.1× floor"),
    ]
    for res in sorted({small.tasks: small, big.tasks: big}.values(), key=lambda r: r.tasks):
        label = f"fmt --check ≤ 1.5× floor ({res.tasks:,} tasks)"
        lines.append(_ratio_row(res, "fmt_check", TARGETS["fmt_check"], label))
    peak = max(big.peak(c) for c in COMMANDS[1:])
    worst = max(COMMANDS[1:], key=big.peak)
    lines.append(
        f"| peak < 400 MB | {peak:.0f} MB ({LABELS[worst]}, whole process tree) | | "
        f"{_verdict(peak < TARGETS['peak_mb'])} |"
    )
    for command in COMMANDS[1:]:
        wall_text, wall_ok = growth(results, command, "wall")
        cpu_text, cpu_ok = growth(results, command, "cpu")
        lines.append(
            f"| linear growth: {LABELS[command]} | {wall_text} | {cpu_text} | "
            f"{_verdict(wall_ok)} / {_verdict(cpu_ok)} |"
        )
    for name, run in (start or {}).items():
        limit = TARGETS["bundled_status_warm_s"] if "status" in name else TARGETS["startup_s"]
        lines.append(
            f"| `{name}` < {limit} s | {run.wall:.3f} s | {run.cpu:.3f} s | "
            f"{_verdict(run.wall < limit)} / {_verdict(run.cpu < limit)} |"
        )
    lines += [
        "",
        f"Linear growth: the cost per 1,000 more tasks between consecutive sizes may rise "
        f"by at most {TARGETS['growth']}× from the first step to the last.",
    ]
    return lines


def markdown(
    results: list[SizeResult],
    info: dict[str, str],
    meta: dict[str, str],
    profile: str | None,
    start: dict[str, Run] | None = None,
) -> str:
    lines = [f"Command: `{meta['command']}`", "", f"Run {meta['when']}.", ""]
    lines += [f"- **{k}**: {v}" for k, v in info.items()]
    lines += [
        f"- **load average** (other work on the machine): {meta['load']}",
        f"- **cache**: {meta['cache']}",
        f"- **validate command**: `{meta['validate']}`",
        f"- **status command**: `{meta['status']}`",
        f"- **fmt command**: `{meta['fmt']}` (the generated data is canonical)",
        f"- **repeats**: {meta['repeat']} per size, median shown; commands alternate "
        "(floor, validate, status cold, status warm, fmt --check, floor, …)",
        "",
        "Peak MB is the whole process tree (nq57 and its parse workers): the summed PSS "
        "sampled every 0.1 s, or the exact peak RSS of the largest single process when that "
        "is higher.",
        "",
        "Wall clock (median):",
        "",
        *table(results, "wall"),
        "",
        "CPU time, user + system (median; steadier than wall clock when the machine is shared):",
        "",
        *table(results, "cpu"),
        "",
        *targets(results, start),
    ]
    if profile:
        lines += [
            "",
            "Profiles (cProfile, one process: the parse pool is turned off so that every "
            "call is seen):",
            "",
            "```",
            profile.rstrip(),
            "```",
        ]
    return "\n".join(lines) + "\n"


PROFILE = r"""
import contextlib, cProfile, io, pstats, sys
import nq57.check.pipeline as dataset
if hasattr(dataset, "PARALLEL_MIN_FILES"):
    dataset.PARALLEL_MIN_FILES = float("inf")  # one process, so the profile sees all the work
from nq57.cli.app import run
profile = cProfile.Profile()
with contextlib.redirect_stdout(io.StringIO()):
    profile.enable()
    code = run(sys.argv[2:])
    profile.disable()
stats = pstats.Stats(profile)
stats.sort_stats(sys.argv[1]).print_stats(40)
sys.exit(code)
"""


def profile(
    data: Path, workdir: Path, args: list[str], sort: str, top: int, warm: bool = False
) -> str:
    """cProfile of ``nq57 ARGS`` in one process (no worker pool), top ``top`` lines.

    ``python -m cProfile -m nq57 ...`` would only see the main process waiting for its
    parse workers, so the profile runs nq57 in-process with the pool turned off; its
    total is the CPU work of a cold run, plus cProfile's own overhead."""
    clear_caches(data, workdir)
    if warm:  # fill the cache first
        subprocess.run(
            [*nq57_command(), *args], cwd=workdir, env=run_env(workdir), capture_output=True
        )
    cmd = [sys.executable, "-c", PROFILE, sort, *args]
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=workdir, env=run_env(workdir), capture_output=True, text=True)
    took = time.perf_counter() - start
    clear_caches(data, workdir)
    lines = [line.rstrip() for line in out.stdout.splitlines()]
    head = next((i for i, line in enumerate(lines) if "function calls" in line), None)
    if head is None:
        return (out.stdout + out.stderr)[-3000:]
    body = [line for line in lines[head:] if line]
    table = next((i for i, line in enumerate(body) if line.lstrip().startswith("ncalls")), 0)
    shown = " ".join(["nq57", *(a if a != str(data) else "DIR" for a in args)])
    title = f"# {shown}{' (warm)' if warm else ''}: sorted by {sort}, {took:.1f} s wall"
    text = "\n".join([title, body[0].strip(), *body[table : table + top + 1]])
    return _short_paths(text)


def _short_paths(text: str) -> str:
    """Profile lines without the long install prefixes (repo, site-packages, stdlib)."""
    paths = sysconfig.get_paths()
    for prefix, short in (
        (paths["purelib"], "site-packages"),
        (paths["platlib"], "site-packages"),
        (paths["stdlib"], "stdlib"),
        (str(REPO), "."),
    ):
        text = text.replace(prefix.rstrip("/") + "/", short + "/")
    return text


def bench_startup(nq57: list[str], workdir: Path, repeat: int) -> dict[str, Run]:
    """Median of ``repeat`` runs: ``nq57 --version``, ``nq57 --help`` and a warm ``status``
    of the bundled data (run once first to fill the cache), each a fresh process."""
    bundled = REPO / "data"
    commands = {
        "nq57 --version": [*nq57, "--version"],
        "nq57 --help": [*nq57, "--help"],
        "nq57 status --data data (warm)": [*nq57, "status", "--data", str(bundled)],
    }
    measure(commands["nq57 status --data data (warm)"], workdir, workdir / "last.out")
    out: dict[str, Run] = {}
    for name, cmd in commands.items():
        runs = [measure(cmd, workdir, workdir / "last.out") for _ in range(max(repeat, 5))]
        out[name] = Run(
            statistics.median(r.wall for r in runs),
            statistics.median(r.cpu for r in runs),
            max(r.peak_mb for r in runs),
            0,
        )
        print(
            f"  {name:<32} {out[name].wall:6.3f} s wall {out[name].cpu:6.3f} s cpu", file=sys.stderr
        )
    return out


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of task counts: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive task counts")
    return sizes


# --- nq57 ingest: a filled form of N rows into the bundled data -------------------------------


def ingest_form(data: Path, rows: int) -> str:
    """A filled CSV form of ``rows`` rows over ``data``: a value for every KPI, then
    progress rows for the tasks in id order (again from the first task, with another note,
    when the rows outnumber the tasks)."""

    def ids(kind: str) -> list[str]:
        return sorted(p.relative_to(data / kind).with_suffix("").as_posix()
                      for p in (data / kind).rglob("*.yaml"))  # fmt: skip

    tasks, kpis = ids("tasks"), ids("kpis")[:rows]
    lines = ["nq57_as_of,2025-09-30", "id,value,source"]
    lines += [f"{k},{n % 100},Báo cáo tháng 9" for n, k in enumerate(kpis)]
    lines.append("id,progress,note")
    for n in range(rows - len(kpis)):
        lines.append(f"{tasks[n % len(tasks)]},{n % 101},Đợt {n // len(tasks) + 1}")
    return "\r\n".join(lines) + "\r\n"


def bench_ingest(nq57: list[str], workdir: Path, rows: int, repeat: int) -> str:
    """``nq57 ingest`` of a form of ``rows`` rows into a fresh copy of the bundled data
    (parse cache cold: the copy is new); the median wall and CPU time of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        target = workdir / "ingest"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(REPO / "data", target / "data")
        form = target / "form.csv"
        form.write_text(ingest_form(target / "data", rows), encoding="utf-8")
        cmd = [*nq57, "ingest", str(form), "--data", str(target / "data")]
        runs.append(measure(cmd, workdir, target / "out.txt"))
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = max(r.peak_mb for r in runs)
    return (
        f"nq57 ingest, {rows:,} rows into the bundled data (median of {repeat}): "
        f"wall {wall:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark nq57 validate/status against the libyaml floor.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument("--tasks", type=int, help="one size (shorthand for --sizes N)")
    parser.add_argument(
        "--sizes", type=parse_sizes, help="comma-separated task counts (default 3000,10000,30000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "nq57-bench",
        help="data sets (cached) and scratch files (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--decisions", type=int, default=100)
    parser.add_argument("--kpis", type=int, help="KPIs per data set (default: tasks / 30)")
    parser.add_argument("--markdown-out", type=Path, help="also write the Markdown here")
    parser.add_argument("--json-out", type=Path, help="raw runs as JSON")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="add a cProfile of cold validate at N tasks"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        metavar="SECONDS",
        help="when the first round of a size shows that --repeat rounds would take longer "
        "than this, stop after that round for this size (and say so); 0 = no limit",
    )
    parser.add_argument(
        "--ingest-rows",
        type=int,
        metavar="N",
        help="only time `nq57 ingest` of a filled form of N rows into the bundled data",
    )
    args = parser.parse_args(argv)
    if args.ingest_rows:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        print(bench_ingest(nq57_command(), workdir, args.ingest_rows, args.repeat))
        return 0
    sizes = args.sizes or ([args.tasks] if args.tasks else list(DEFAULT_SIZES))
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    nq57 = nq57_command()
    compile_package()
    no_cache = has_option(nq57, "validate", "--no-cache")
    started = dt.datetime.now().astimezone()
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None

    results: list[SizeResult] = []
    notes: list[str] = []
    for tasks in sizes:
        print(f"{tasks} tasks:", file=sys.stderr)
        kpis = kpis_for(tasks, args.kpis)
        data = dataset(workdir, tasks, args.decisions, kpis, args.seed)
        if args.budget and args.repeat > 1:
            result = bench_size(nq57, data, workdir, tasks, 1, no_cache)
            per_round = sum(r.wall for runs in result.runs.values() for r in runs)
            if per_round * args.repeat > args.budget:
                notes.append(
                    f"{tasks:,} tasks: one round took {per_round:.0f} s, so --repeat was "
                    f"reduced to 1 (budget {args.budget:.0f} s per size)"
                )
            else:
                bench_size(nq57, data, workdir, tasks, args.repeat - 1, no_cache, result)
        else:
            result = bench_size(nq57, data, workdir, tasks, args.repeat, no_cache)
        results.append(result)

    profiles = None
    if args.profile:
        kpis = kpis_for(args.profile, args.kpis)
        data = dataset(workdir, args.profile, args.decisions, kpis, args.seed)
        print(f"profiling at {args.profile} tasks", file=sys.stderr)
        validate_args = _validate([], data, no_cache)
        status_args = _status([], data)
        profiles = "\n\n".join(
            [
                profile(data, workdir, validate_args, "cumulative", 25),
                profile(data, workdir, validate_args, "tottime", 25),
                profile(data, workdir, status_args, "tottime", 15, warm=True),
                profile(data, workdir, _fmt([], data), "tottime", 15),
            ]
        )

    start = bench_startup(nq57, workdir, args.repeat)
    info = machine(nq57, workdir, args.repeat)
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    shown = ["scripts/bench.py", *(argv if argv is not None else sys.argv[1:])]
    repeats = sorted({r.repeat for r in results})
    meta = {
        "command": " ".join(shown),
        "when": started.strftime("%Y-%m-%d %H:%M %Z"),
        "load": f"{_load(load_before)} at start, {_load(load_after)} at end",
        "cache": results[0].cache,
        "validate": " ".join(["nq57", *_validate([], Path("DIR"), no_cache)]),
        "status": " ".join(["nq57", *_status([], Path("DIR"))]),
        "fmt": " ".join(["nq57", *_fmt([], Path("DIR"))]),
        "repeat": "/".join(str(r) for r in repeats),
    }
    text = markdown(results, info, meta, profiles, start)
    if notes:
        text += "\n" + "\n".join(f"Note: {n}." for n in notes) + "\n"
    print(text)
    if args.markdown_out:
        args.markdown_out.write_text(text, encoding="utf-8")
    if args.json_out:
        raw = {
            "meta": meta,
            "machine": info,
            "startup": {name: asdict(run) for name, run in start.items()},
            "results": [asdict(r) for r in results],
        }
        args.json_out.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n")
    return 0


def _load(value: tuple[float, float, float] | None) -> str:
    return "n/a" if value is None else " / ".join(f"{v:.2f}" for v in value)


if __name__ == "__main__":
    sys.exit(main())
