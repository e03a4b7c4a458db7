"""The history of a data folder, read from git with the ``git`` command.

A data folder inside a git work tree has a past: every first-parent commit of ``HEAD``
that is dated (committer date, in the committer's own time zone) is a state of the
folder. :class:`GitStore` lists those commits, the files of the folder at a commit
(``git ls-tree``), what a commit changed (``git diff-tree``) and the bytes of blobs
(one ``git cat-file --batch`` per request). Nothing here parses YAML; :class:`BlobCache`
keeps parsed files keyed on their blob id, in the user's cache folder like
:mod:`nq57.io.cache` (a blob id names its content, so an entry never goes stale).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nq57.io.cache import CACHE_FORMAT, cache_dir
from nq57.io.listing import ENTITY_FOLDERS
from nq57.io.loader import YAML_SUFFIXES

TOP_FILES = ("agencies.yaml",)  # read beside the entity folders
MAX_BLOB_ENTRIES = 200_000  # a cache that grew past this starts afresh


class GitError(Exception):
    """git failed on a repository it had accepted (a bug or a broken repository)."""


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # committer date, in the committer's time zone
    parent: str | None  # first parent


@dataclass(frozen=True)
class FileChange:
    """One data file changed by a commit: ``A`` added, ``D`` removed, ``M`` modified."""

    status: str
    rel: str  # path relative to the data folder, '/'-separated
    old: str | None  # blob id before
    new: str | None  # blob id after


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        check=False,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
    )
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def is_data_path(rel: str) -> bool:
    """Is a path (relative to the data folder) one of the files a load reads?"""
    if rel in TOP_FILES:
        return True
    folder, _, rest = rel.partition("/")
    return (
        folder in ENTITY_FOLDERS
        and rel.endswith(YAML_SUFFIXES)
        and not any(part.startswith(".") for part in rest.split("/"))
    )


class GitStore:
    """The git history of one data folder. :meth:`open` returns None outside git."""

    def __init__(self, top: Path, prefix: str, shallow: bool = False):
        self.top = top  # the work tree's top folder
        self.prefix = prefix  # the data folder relative to it, '/'-terminated or ''
        self.shallow = shallow  # a shallow clone: the past before its oldest commit is cut
        self._commits: list[Commit] | None = None

    @classmethod
    def open(cls, folder: Path) -> GitStore | None:
        """The store of the repository holding ``folder``; None when there is none
        (no git installed, not a work tree, no commit, or no data file of the folder
        committed at ``HEAD``)."""
        try:
            out = _git(
                folder,
                "rev-parse",
                "--show-toplevel",
                "--show-prefix",
                "--is-shallow-repository",
                "HEAD",
            )
        except (OSError, GitError):
            return None
        lines = out.decode("utf-8", "surrogateescape").splitlines()
        if len(lines) < 4:
            return None
        store = cls(Path(lines[0]), lines[1], shallow=lines[2] == "true")
        try:
            has_history = any(store.commits()) and bool(store.files("HEAD"))
        except GitError:
            return None
        return store if has_history else None  # a folder never committed has no past

    def commits(self) -> list[Commit]:
        """First-parent commits of HEAD, newest first."""
        if self._commits is None:
            out = _git(self.top, "log", "--first-parent", "--format=%H %P%x09%cI", "HEAD")
            commits = []
            for line in out.decode("ascii").splitlines():
                shas, _, when = line.partition("\t")
                sha, *parents = shas.split()
                date = dt.datetime.fromisoformat(when).date()
                commits.append(Commit(sha, date, parents[0] if parents else None))
            self._commits = commits
        return self._commits

    def commit_at(self, day: dt.date) -> Commit | None:
        """The last commit dated on or before ``day`` (None before the first one)."""
        return next((c for c in self.commits() if c.date <= day), None)

    def files(self, commit: str) -> dict[str, str]:
        """Data file (relative to the data folder) -> blob id, at a commit."""
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if self.prefix:
            args += ["--", self.prefix.rstrip("/")]
        found = {}
        for entry in _git(self.top, *args).split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, sha = meta.split()
            rel = path.decode("utf-8", "surrogateescape")[len(self.prefix) :]
            if kind == b"blob" and mode != b"120000" and is_data_path(rel):
                found[rel] = sha.decode("ascii")
        return found

    def changes(self, commit: Commit) -> list[FileChange]:
        """The data files a commit changed against its first parent (all, for a root)."""
        if commit.parent is None:
            return [FileChange("A", rel, None, sha) for rel, sha in self.files(commit.sha).items()]
        args = ["diff-tree", "-r", "-z", "--no-renames", "--no-commit-id"]
        args += [commit.parent, commit.sha]
        if self.prefix:
            args += ["--", self.prefix.rstrip("/")]
        parts = _git(self.top, *args).split(b"\0")
        found = []
        for meta, path in zip(parts[0::2], parts[1::2], strict=False):
            if not meta.startswith(b":"):
                continue
            old_mode, new_mode, old, new, status = meta[1:].split()
            rel = path.decode("utf-8", "surrogateescape")[len(self.prefix) :]
            if not is_data_path(rel) or b"120000" in (old_mode, new_mode):
                continue
            kind = status.decode("ascii")[:1]
            if kind not in "ADM":  # type changes and the like: as a modification
                kind = "M"
            found.append(
                FileChange(
                    kind,
                    rel,
                    None if kind == "A" else old.decode("ascii"),
                    None if kind == "D" else new.decode("ascii"),
                )
            )
        return found

    def blobs(self, shas: list[str]) -> dict[str, bytes]:
        """The bytes of each blob, read by one ``git cat-file --batch``."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        out = _git(self.top, "cat-file", "--batch", data="".join(s + "\n" for s in wanted).encode())
        found: dict[str, bytes] = {}
        at = 0
        for sha in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            found[sha] = out[at : at + size]
            at += size + 1
        return found


class BlobCache:
    """Parsed files (document, read-stage diagnostics) by blob id, one pickle per
    repository; entries are kept as long as the cache stays under its size limit."""

    def __init__(self, top: Path):
        tag = hashlib.sha1(str(top.resolve()).encode("utf-8")).hexdigest()[:10]
        self.path = cache_dir() / f"blobs-{top.resolve().name}-{tag}.pickle"
        self.entries: dict[str, tuple[Any, list[Any]]] = {}
        self.added = False
        try:
            with open(self.path, "rb") as handle:
                payload = pickle.load(handle)
            if payload.get("format") == CACHE_FORMAT and isinstance(payload.get("entries"), dict):
                self.entries = payload["entries"]
        except Exception:  # missing, truncated, foreign or tampered: start afresh
            self.entries = {}

    def get(self, sha: str) -> tuple[Any, list[Any]] | None:
        return self.entries.get(sha)

    def put(self, sha: str, document: Any, diagnostics: list[Any]) -> None:
        self.entries[sha] = (document, diagnostics)
        self.added = True

    def save(self) -> None:
        if not self.added:
            return
        entries = self.entries if len(self.entries) <= MAX_BLOB_ENTRIES else {}
        payload = {"format": CACHE_FORMAT, "entries": entries}
        with contextlib.suppress(OSError, pickle.PicklingError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".pickle")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        self.added = False
