"""A cache of parsed files, so a second run does not parse unchanged files again.

One pickle per data folder, in the user's cache folder (``$NQ57_CACHE_DIR``,
else ``$XDG_CACHE_HOME/nq57``, else ``~/.cache/nq57``), never in the data
repository: a pickle that came with a checkout could run code when loaded.
An entry is reused only when the file's
size, mtime, ctime and inode all match: any write to a file changes its ctime,
even when a tool restores the mtime and the size stays the same. Where ctime
means creation time (Windows), the content digest is part of the key. Files
changed within the last :data:`RACY_SECONDS` are not cached: a second write in the
same timestamp tick would leave the key unchanged. A cache that cannot be read, or
was written by another nq57 or Python version, is ignored and rebuilt; one that
cannot be written is simply not written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nq57 import __version__

# Bump when what read() produces changes meaning (models, diagnostics, readers).
# 4: diagnostics carry a Message (catalogue key + fields), rendered when shown.
CACHE_FORMAT = f"nq57-parse-4/{__version__}/{sys.version_info[:2]}"
_CTIME_IS_CHANGE = os.name == "posix"
RACY_SECONDS = 2.0


def cache_path(root: Path) -> Path:
    resolved = root.resolve()
    tag = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:10]
    return cache_dir() / f"{resolved.name}-{tag}.pickle"


def cache_dir() -> Path:
    if os.environ.get("NQ57_CACHE_DIR"):
        return Path(os.environ["NQ57_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "nq57"


def file_key(path: Path) -> tuple[Any, ...] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    key: tuple[Any, ...] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    if not _CTIME_IS_CHANGE:
        try:
            key += (hashlib.blake2b(path.read_bytes(), digest_size=16).digest(),)
        except OSError:
            return None
    return key


class ParseCache:
    """Parsed documents and read-stage diagnostics of one data folder, by relative path."""

    def __init__(self, root: Path):
        self.root = root
        self.path = cache_path(root)
        self.entries: dict[str, tuple[tuple[Any, ...], Any, list[Any]]] = {}
        self.fresh: dict[str, tuple[tuple[Any, ...], Any, list[Any]]] = {}
        self.settled = time.time_ns() - int(RACY_SECONDS * 1e9)  # ctimes before this
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                payload = pickle.load(handle)
            if payload.get("format") == CACHE_FORMAT and isinstance(payload.get("entries"), dict):
                self.entries = payload["entries"]
        except Exception:  # missing, truncated, foreign or tampered: start afresh
            self.entries = {}

    def get(self, relpath: str, key: tuple[Any, ...] | None) -> tuple[Any, list[Any]] | None:
        entry = self.entries.get(relpath)
        if key is None or entry is None or entry[0] != key:
            return None
        self.fresh[relpath] = entry
        return entry[1], entry[2]

    def put(
        self, relpath: str, key: tuple[Any, ...] | None, document: Any, diagnostics: list[Any]
    ) -> None:
        if key is not None and key[2] < self.settled:
            self.fresh[relpath] = (key, document, diagnostics)

    def save(self) -> None:
        """Write the entries seen in this run (atomically); skip if nothing changed."""
        if self.fresh == self.entries:
            return
        payload = {"format": CACHE_FORMAT, "entries": self.fresh}
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
