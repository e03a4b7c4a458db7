"""Bad input: every case of tests/bad/cases.yaml against `nq57 validate`, `status` and `list`.

Each case is a tiny data folder, or one bad file dropped into a copy of
tests/fixtures/minimal. For each case:

* ``validate`` exits 1 (0 when the input is acceptable), reports the expected
  code at the expected file:line, prints one diagnostic per line and no
  traceback, within the time limit, and writes nothing into the data folder;
* ``status --format json`` and ``list tasks -f json`` still run (exit 0) on the
  valid rest, and status lists the bad file under ``invalid_files``.

Runs are in-process (``nq57.cli.app.run``); the first case of each class and every
"resource" case also run as a real ``python -m nq57`` under a 1 GiB address-space
limit with a timeout. Large inputs are generated here, never committed.
Cases that nq57 gets wrong assert the correct behaviour and are xfail(strict=True).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from nq57.cli.app import run

from conftest import FIXTURES

MANIFEST = Path(__file__).parents[1] / "bad" / "cases.yaml"
# A hang guard, not a speed check: far above any real run, even on a busy machine.
HANG_LIMIT = 300.0  # seconds per command
MEMORY_LIMIT = 1 << 30  # bytes of address space for the subprocess runs
AS_OF = "2025-07-15"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

DIAGNOSTIC = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[EW]\d{3}) (?P<message>.*)$"
)
SUMMARY = re.compile(
    r"(Không phát hiện lỗi hay cảnh báo nào\.|\d+ lỗi, \d+ cảnh báo trong \d+ tệp)$"
)
CHECKED = re.compile(r"^Đã kiểm tra \d+ tệp\.$")

# The valid task most generated inputs start from (7 lines, like the manifest's).
VALID_TASK = (
    "id: DEC-A/3\n"
    "decision: DEC-A\n"
    "ref: '3.'\n"
    "title: Thí điểm cơ chế đặc thù\n"
    "lead: [Bộ Tài chính]\n"
    "output: Báo cáo\n"
    "deadline: Tháng 12/2025\n"
)


# --- generators for large inputs ---------------------------------------------------


def padded_task(size: int) -> str:
    """A valid task whose note fills the file up to ``size`` bytes (one long line)."""
    head = VALID_TASK + "note: "
    return head + "x" * (size - len(head.encode()) - 1) + "\n"


def many_list_items(size: int) -> str:
    """A valid task with a ``body_ref`` list long enough to reach ``size`` bytes."""
    parts = [VALID_TASK, "body_ref:\n"]
    total = sum(len(p.encode()) for p in parts)
    i = 0
    while True:
        item = f"  - '{i}'\n"
        if total + len(item) > size:
            break
        parts.append(item)
        total += len(item)
        i += 1
    return "".join(parts)


def nested(depth: int, open: str, close: str, prefix: str = "", inner: str = "") -> str:
    """``depth`` levels of ``open`` ... ``close``; prefix 'task_note' nests under a note."""
    head = VALID_TASK + "note:\n  " if prefix == "task_note" else ""
    return head + open * depth + inner + close * depth + "\n"


def billion_laughs(levels: int) -> str:
    """The classic alias bomb: 9**levels strings from a few hundred bytes."""
    lines = [VALID_TASK, "x0: &a0 [" + ", ".join(['"lol"'] * 9) + "]\n"]
    for i in range(1, levels):
        lines.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n")
    return "".join(lines)


def many_keys(count: int) -> str:
    return VALID_TASK + "".join(f"k{i}: {i}\n" for i in range(count))


GENERATORS: dict[str, Callable[..., str]] = {
    "padded_task": padded_task,
    "many_list_items": many_list_items,
    "nested": nested,
    "billion_laughs": billion_laughs,
    "many_keys": many_keys,
}


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software writes it: base letters with
    circumflex/breve/horn precomposed, tone marks as separate combining bytes."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def content_bytes(spec: Any) -> bytes:
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "generate" in spec:
        args = dict(spec["generate"])
        return GENERATORS[args.pop("name")](**args).encode("utf-8")
    text = spec["text"]
    if spec.get("normalize"):
        text = unicodedata.normalize(spec["normalize"], text)
    newline = {"crlf": "\r\n", "cr": "\r"}.get(spec.get("newline", ""), "\n")
    text = text.replace("\n", newline)
    encoding = spec.get("encoding", "utf-8")
    return encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


# --- the corpus ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    raw: dict
    isolated: bool  # also run as a subprocess

    @property
    def id(self) -> str:
        return self.raw["id"]

    @property
    def expect(self) -> dict | None:
        return self.raw.get("expect")

    @property
    def exit(self) -> int:
        if "exit" in self.raw:
            return self.raw["exit"]
        return 1 if self.expect and self.expect["code"].startswith("E") else 0

    @property
    def is_error(self) -> bool:
        return bool(self.expect) and self.expect["code"].startswith("E")

    @property
    def own_paths(self) -> list[str]:
        """Paths in the data folder the case creates or changes (posix, relative)."""
        paths = [p for p in self.raw.get("files") or {} if not p.startswith("../")]
        for action in self.raw.get("setup") or []:
            for kind, value in action.items():
                if kind != "poison_cache":
                    paths.append(value["path"] if isinstance(value, dict) else value)
        return paths


def load_cases() -> list[Case]:
    raw = YAML(typ="safe", pure=True).load(MANIFEST.read_text(encoding="utf-8"))["cases"]
    seen_classes: set[str] = set()
    cases = []
    for entry in raw:
        klass = entry["class"]
        isolated = klass == "resource" or klass not in seen_classes or entry.get("subprocess")
        seen_classes.add(klass)
        cases.append(Case(entry, bool(isolated)))
    return cases


CASES = load_cases()


def params(xfail_key: str) -> list:
    out = []
    for case in CASES:
        marks = []
        if case.raw.get("root_skip"):
            marks.append(pytest.mark.skipif(IS_ROOT, reason="root can read any file"))
        reason = case.raw.get(xfail_key)
        if reason:
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def minimal_tasks() -> dict[str, str]:
    """Task id -> path (relative to the data folder) of the minimal fixture."""
    base = FIXTURES / "minimal" / "tasks"
    return {
        p.relative_to(base).with_suffix("").as_posix(): p.relative_to(base.parent).as_posix()
        for p in base.rglob("*.yaml")
    }


MINIMAL_TASKS = minimal_tasks()


# --- building and watching a data folder ---------------------------------------------

MARKERS = ("PWNED", "PWNED-cache")  # files that appear only if input made nq57 run code


class _Payload:
    """Unpickling this creates a file: the harmless stand-in for code execution."""

    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def build(case: Case, root: Path) -> Path:
    data = root / "data"
    if case.raw.get("base", "minimal") == "minimal":
        shutil.copytree(FIXTURES / "minimal", data)
    else:
        data.mkdir()
    for rel, spec in (case.raw.get("files") or {}).items():
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content_bytes(spec))
    for action in case.raw.get("setup") or []:
        if "symlink" in action:
            link = data / action["symlink"]["path"]
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(action["symlink"]["to"], link)
        elif "mkdir" in action:
            (data / action["mkdir"]).mkdir(parents=True)
        elif "chmod" in action:
            os.chmod(data / action["chmod"]["path"], action["chmod"]["mode"])
        elif "poison_cache" in action:
            from nq57.io.cache import cache_path

            # what a checkout could carry: a cache file inside the repository, beside the
            # data folder (nq57 keeps its cache in the user's cache folder instead)
            cache = data.parent / ".nq57-cache" / cache_path(data).name
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps(_Payload(str(root / action["poison_cache"]))))
        else:
            raise ValueError(f"unknown setup action {action}")
    return data


def snapshot(data: Path) -> dict[str, tuple]:
    """Every entry below ``data``: kind, mode, size, mtime and bytes; links not followed."""
    tree: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(data, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            info = path.lstat()
            rel = path.relative_to(data).as_posix()
            if stat.S_ISLNK(info.st_mode):
                tree[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                tree[rel] = ("dir", stat.S_IMODE(info.st_mode), info.st_mtime_ns)
            else:
                try:
                    content: bytes | None = path.read_bytes()
                except OSError:
                    content = None
                mode = stat.S_IMODE(info.st_mode)
                tree[rel] = ("file", mode, info.st_size, info.st_mtime_ns, content)
    return tree


# --- running the CLI -----------------------------------------------------------------


class Hang(BaseException):
    """Raised by the alarm; BaseException so the CLI's crash handler lets it through."""


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def ring(signum, frame):
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float
    how: str

    def where(self) -> str:
        return f"[{self.how}, exit {self.code}, {self.seconds:.2f} s]\n{self.out}{self.err}"


@dataclass
class Runner:
    root: Path
    capsys: Any

    def inprocess(self, *args: str) -> Result:
        start = time.monotonic()
        try:
            with alarm(2 * HANG_LIMIT):
                code = run(list(args))
        except Hang as exc:
            pytest.fail(f"nq57 {' '.join(args)} hangs: {exc}")
        seconds = time.monotonic() - start
        out, err = self.capsys.readouterr()
        return Result(code, out, err, seconds, "in-process")

    def subprocess(self, *args: str) -> Result:
        env = {**os.environ, "PYTHONUTF8": "1", "TMPDIR": str(self.root / "crash")}
        env.pop("NQ57_CACHE_DIR", None)
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "nq57", *args],
                cwd=self.root,
                capture_output=True,
                timeout=HANG_LIMIT,
                preexec_fn=_limit_memory,
                env=env,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"python -m nq57 {' '.join(args)} took more than {HANG_LIMIT} s")
        seconds = time.monotonic() - start
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        return Result(proc.returncode, out, err, seconds, "subprocess")


@pytest.fixture
def workspace(tmp_path, monkeypatch, capsys):
    """An empty folder as the current directory; crash reports land in it, not /tmp."""
    root = tmp_path / "ws"
    (root / "crash").mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NQ57_CACHE_DIR", raising=False)  # the parse cache stays beside data/
    monkeypatch.setattr(tempfile, "tempdir", str(root / "crash"))
    yield Runner(root, capsys)
    for dirpath, dirnames, _ in os.walk(root):  # let pytest clean up chmod 000 folders
        for name in dirnames:
            os.chmod(Path(dirpath) / name, 0o755)


def assert_sound(result: Result) -> None:
    """What holds for any input: no traceback, no crash."""
    assert result.code >= 0, f"killed by signal {-result.code}\n{result.where()}"
    assert "Traceback" not in result.out + result.err, result.where()
    assert "internal error" not in result.err, result.where()
    assert result.code != 3, result.where()


def diagnostics(result: Result) -> list[re.Match]:
    return [m for m in map(DIAGNOSTIC.match, result.out.splitlines()) if m]


def assert_validate(case: Case, result: Result) -> None:
    assert_sound(result)
    lines = result.out.splitlines()
    assert lines and CHECKED.match(lines.pop()), result.where()
    assert lines and SUMMARY.search(lines[-1]), result.where()
    stray = [line for line in lines[:-1] if not DIAGNOSTIC.match(line)]
    assert not stray, f"not one diagnostic per line: {stray!r}\n{result.where()}"
    assert result.code == case.exit, result.where()
    found = diagnostics(result)
    own = tuple(f"data/{p}" for p in case.own_paths)
    collateral = [m.group(0) for m in found if not m.group("path").startswith(own)]
    assert not collateral, f"diagnostics on files the case did not touch: {collateral}"
    want = case.expect
    if want is None:
        assert not found, result.where()
        return
    path = f"data/{want['path']}"
    same_code = [m for m in found if m.group("path") == path and m.group("code") == want["code"]]
    assert same_code, f"no {want['code']} on {path}\n{result.where()}"
    at = [m for m in same_code if int(m.group("line")) == want["line"]]
    assert at, f"{want['code']} not at line {want['line']}\n{result.where()}"
    if "column" in want:
        assert any(int(m.group("column")) == want["column"] for m in at), result.where()
    messages = [m.group("message") for m in at]
    if "message" in want:
        assert any(want["message"] in m for m in messages), result.where()
    if "message_not" in want:
        assert all(want["message_not"] not in m for m in messages), result.where()


@pytest.mark.parametrize("case", params("xfail"))
def test_validate_reports_bad_input(case: Case, workspace: Runner):
    data = build(case, workspace.root)
    before = snapshot(data)
    if case.isolated:  # first: a hang or a memory blow-up must not take pytest with it
        assert_validate(case, workspace.subprocess("validate", "--data", "data"))
    assert_validate(case, workspace.inprocess("validate", "--data", "data"))
    assert snapshot(data) == before, "validate changed the data folder"
    assert_no_code_ran(workspace.root)


def expected_tasks(case: Case) -> set[str]:
    """Tasks of the minimal fixture the case leaves alone: they must still be listed."""
    if case.raw.get("base", "minimal") != "minimal":
        return set()
    touched = case.own_paths
    return {
        task
        for task, path in MINIMAL_TASKS.items()
        if not any(path == p or path.startswith(p.rstrip("/") + "/") for p in touched)
    }


@pytest.mark.parametrize("case", params("xfail_commands"))
def test_status_and_list_run_on_the_valid_rest(case: Case, workspace: Runner):
    data = build(case, workspace.root)
    before = snapshot(data)
    invoke = workspace.subprocess if case.raw["class"] == "resource" else workspace.inprocess

    status = invoke("status", "--data", "data", "--as-of", AS_OF, "--format", "json")
    assert_sound(status)
    assert status.code == 0, status.where()
    invalid = json.loads(status.out)["invalid_files"]
    if case.is_error:
        assert f"data/{case.expect['path']}" in invalid, status.where()
    else:
        assert not invalid, status.where()

    listing = invoke("list", "tasks", "--data", "data", "-f", "json")
    assert_sound(listing)
    assert listing.code == 0, listing.where()
    listed = {task["id"] for task in json.loads(listing.out)}
    assert expected_tasks(case) <= listed, listing.where()

    assert snapshot(data) == before, "status or list changed the data folder"
    assert_no_code_ran(workspace.root)


def assert_no_code_ran(root: Path) -> None:
    ran = [m for m in MARKERS if (root / m).exists()]
    assert not ran, f"input made nq57 run code: {ran} created"


def test_corpus_is_large_and_well_formed():
    ids = [c.id for c in CASES]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in CASES:
        assert case.raw["class"], case.id
        assert set(case.raw) <= {
            "id",
            "class",
            "base",
            "files",
            "setup",
            "expect",
            "exit",
            "root_skip",
            "subprocess",
            "xfail",
            "xfail_commands",
        }, case.id
        if case.expect:
            assert {"code", "path", "line"} <= set(case.expect), case.id
