"""Finished machine output of a command, so the same command on unchanged data is instant.

`nq57 status` and `nq57 query` with ``--format json`` or ``csv`` store the text they
wrote, in the user's cache folder beside the parse cache and the snapshot (never in the
data repository). A later run serves it only when all of this is the same:

* the command and its normalized options (the resolved ``--as-of`` date, not "today";
  the SQL and its parameters), the language, and the format; a query naming a function
  of the clock or of chance (``now()``, ``random()``: :func:`stable_sql`) is not stored;
* the data folders (resolved, as given, and the current folder, which paths in
  messages are relative to) and the exact listing the
  snapshot is keyed by (:func:`data_listing`: name, size, mtime, ctime and inode of
  every file under ``decisions/``, ``tasks/``, ``kpis/``, plus ``agencies.yaml`` and
  ``config.yaml``; a changed config is a changed key);
* nq57 (version and every file of the package, as the snapshot), Python, and the
  installed distributions (the names of the ``*.dist-info`` folders beside typer: an
  upgraded pydantic, libyaml reader or DuckDB is a new key).

It is exactly as careful as the snapshot: files changed within :data:`RACY_SECONDS`
of the listing prevent the save; an entry that cannot be read, is truncated or whose
checksum or key differs is ignored (and replaced); ``--no-cache`` neither reads nor
writes it; where ctime does not mean change time (Windows) nothing is stored. Table
output (laid out for the terminal's width) is never stored, nor output that came with
a message on stderr. At most :data:`KEEP` entries are kept, the least recently used go.

The entry is plain bytes (a header line, then the text): nothing is unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import nq57
from nq57.io.cache import cache_dir
from nq57.io.listing import ENTITY_FOLDERS

ENABLED = os.name == "posix"  # ctime is the change time
RACY_SECONDS = 2.0
KEEP = 8  # entries (a status at 30,000 tasks is 20-30 MB)
TOP_FILES = ("agencies.yaml", "config.yaml")  # read beside the entity folders
_MAGIC = b"nq57-result-2"
_PREFIX = "result-"


def stat_key(path: str, dir_fd: int | None = None) -> tuple[Any, ...] | None:
    try:
        st = os.stat(path, dir_fd=dir_fd)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


# Each folder is opened once and its entries looked up relative to it: a lookup of one
# name, not of the whole path (14 % faster at 31,101 files, where these `stat` calls are
# a quarter of a warm `status`). Where folders cannot be opened so, by path.
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


def _scan(folder: str, out: list[Any], parent: int | None = None) -> None:
    """Append (folder, entries) for ``folder`` and every real folder below it.
    Raises OSError when something cannot be listed: then there is no key. ``parent``:
    the open folder ``folder`` is in (then opened by its name)."""
    entries: list[Any] = []
    out.append((folder, entries))
    if not _BY_FD:
        if os.path.isdir(folder):
            with os.scandir(folder) as listing:
                _entries(folder, listing, entries, out, None)
        return
    try:
        name = folder if parent is None else os.path.basename(folder)
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    except (FileNotFoundError, NotADirectoryError):
        return
    try:
        with os.scandir(fd) as listing:
            _entries(folder, listing, entries, out, fd)
    finally:
        os.close(fd)


def _entries(folder: str, listing: Any, entries: list[Any], out: list[Any], fd: int | None) -> None:
    for entry in listing:
        where = entry.name if fd is not None else entry.path
        if entry.is_symlink():
            link = os.readlink(where, dir_fd=fd)
            entries.append((entry.name, "link", link, stat_key(where, fd)))
        elif entry.is_dir():
            entries.append((entry.name, "dir"))
            _scan(os.path.join(folder, entry.name), out, fd)
        else:
            st = entry.stat()
            entries.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))


def data_listing(roots: list[Path]) -> list[Any]:
    """Every file a load reads, with size, times and inode (raises OSError when a folder
    cannot be listed). Any write changes a file's ctime; adding, removing or renaming a
    file changes the listing."""
    listing: list[Any] = []
    for root in roots:
        base = str(root)
        top = [(name, stat_key(os.path.join(base, name))) for name in TOP_FILES]
        listing.append((base, [(name, *st) if st else (name,) for name, st in top]))
        for folder in ENTITY_FOLDERS:
            _scan(os.path.join(base, folder), listing)
    return listing


# The listing a ResultCache took on a miss, for the snapshot of the load that follows in
# the same run (31,101 files are listed once, not twice): (roots, time taken, listing).
# Taken earlier than the snapshot would take it, so never newer than the files it reads.
_LISTED: list[tuple[list[str], int, list[Any]]] = []


def take_listing(roots: list[Path]) -> tuple[int, list[Any]]:
    """(time taken in ns, :func:`data_listing`): the one a ResultCache just took for these
    roots when it missed (used once), else a new one."""
    wanted = [str(root) for root in roots]
    if _LISTED:
        shown, taken, listing = _LISTED.pop()
        if shown == wanted:
            return taken, listing
    taken = time.time_ns()
    return taken, data_listing(roots)


def keep_listing(roots: list[Path], taken: int, listing: list[Any]) -> None:
    """Leave a listing taken at ``taken`` for the next :func:`take_listing` of ``roots``
    (`nq57 query`'s stored tables hand theirs on to the snapshot when they miss)."""
    _LISTED.clear()
    _LISTED.append(([str(root) for root in roots], taken, listing))


def forget_listing() -> None:
    """Drop a listing left by a miss (the load it was for has ended, or failed)."""
    _LISTED.clear()


def code_stamp() -> list[Any]:
    """Size, times and inode of every nq57 source file (an edited checker is a new key)."""
    stamp: list[Any] = []
    package = os.path.dirname(nq57.__file__)
    for folder, dirs, files in os.walk(package):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                stamp.append((path, stat_key(path)))
    return stamp


def racy(listing: list[Any], taken: int, seconds: float) -> bool:
    """Was any file of ``listing`` changed so recently (ctime within ``seconds`` of
    ``taken``, ns) that a second change in the same timestamp tick might not show?"""
    limit = taken - int(seconds * 1e9)
    for _, entries in listing:
        for entry in entries:
            stat = entry[1:] if len(entry) == 5 else entry[3] if len(entry) == 4 else None
            if stat is not None and stat[2] >= limit:  # ctime
                return True
    return False


# Where the distributions live whose versions can change a result.
_DEPENDENCIES = ("typer", "pydantic", "pydantic_core", "yaml", "ruamel", "duckdb", "orjson")


def _installed() -> list[str]:
    """The distributions installed where nq57's dependencies are (their dist-info folder
    names carry the version): an upgraded pydantic, libyaml reader or DuckDB is a new key."""
    folders = set()
    for name in _DEPENDENCIES:
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                folders.add(os.path.dirname(os.path.dirname(spec.origin)))
            elif spec is not None and spec.submodule_search_locations:  # a namespace package
                folders.update(os.path.dirname(p) for p in spec.submodule_search_locations)
    names = []
    for folder in sorted(folders):
        with contextlib.suppress(OSError):
            names += sorted(
                n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))
            )
    return names


class ResultCache:
    """The stored output of one command (``request``) over ``roots``; the key is taken
    on creation, before anything is read."""

    def __init__(
        self,
        roots: list[Path],
        request: tuple[Any, ...],
        listed: tuple[int, list[Any] | None, Any] | None = None,
        kind: str = _PREFIX,
    ):
        self.roots = roots
        self.taken = time.time_ns() if listed is None else listed[0]
        joined = "\n".join(str(root.resolve()) for root in roots) + "\n" + repr(request)
        name = hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        self.kind = kind  # the file name's prefix: each kind keeps its own KEEP entries
        self.path = cache_dir() / f"{kind}{name}.out"
        self.listing: list[Any] | None = None
        self.base: Any = None  # the hash of everything but the request
        self.digest = b""
        if not ENABLED:
            return
        try:
            if listed is None:
                self.listing = data_listing(roots)
                key = (
                    _MAGIC,
                    nq57.__version__,
                    sys.version,
                    _installed(),
                    code_stamp(),
                    [(str(root.resolve()), str(root)) for root in roots],
                    os.getcwd(),  # messages show paths relative to it
                    self.listing,
                )
                # marshal (version 2: no back-references) is lossless for these tuples,
                # lists, texts and integers, and 4x faster than pickle on 31,101 entries
                self.base = hashlib.blake2b(marshal.dumps(key, 2), digest_size=20)
            else:
                _, self.listing, self.base = listed
            if self.listing is None:
                return
            digest = self.base.copy()
            digest.update(repr(request).encode("utf-8", "surrogatepass"))  # dates, options
            self.digest = digest.hexdigest().encode()
        except (OSError, ValueError, TypeError):  # an unreadable folder, a vanishing file: no key
            self.listing = None

    def sibling(self, request: tuple[Any, ...], kind: str) -> ResultCache:
        """The entry of another request over the same listing, kept apart from the
        outputs (``kind``: its file name prefix). The files are listed once; the racy
        guard counts from this entry's time."""
        return ResultCache(self.roots, request, (self.taken, self.listing, self.base), kind)

    def get(self) -> bytes | None:
        """The stored output, or None (missing, stale, truncated, tampered). On a miss
        the listing is left for the snapshot of the load that follows."""
        _LISTED.clear()
        if self.listing is None:
            return None
        body = self._read()
        if body is None:
            _LISTED.append(([str(root) for root in self.roots], self.taken, self.listing))
        return body

    def _read(self) -> bytes | None:
        try:
            with open(self.path, "rb") as handle:
                header = handle.readline(200).split()
                if len(header) != 4 or header[0] != _MAGIC or header[1] != self.digest:
                    return None
                body = handle.read()
            if len(body) != int(header[2]) or zlib.crc32(body) != int(header[3]):
                return None
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(self.path)  # recently used: kept longest
        return body

    def put(self, body: bytes) -> None:
        """Store ``body`` atomically, unless a file changed too recently to be sure."""
        _LISTED.clear()
        if self.listing is None or racy(self.listing, self.taken, RACY_SECONDS):
            return
        header = b"%s %s %d %d\n" % (_MAGIC, self.digest, len(body), zlib.crc32(body))
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".out")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(header)
                    handle.write(body)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            self._prune()

    def _prune(self) -> None:
        """Keep the :data:`KEEP` most recently used entries."""
        entries = []
        for entry in os.scandir(self.path.parent):
            if entry.name.startswith(self.kind) and entry.name.endswith(".out"):
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry.path))
        for _, path in sorted(entries, reverse=True)[KEEP:]:
            with contextlib.suppress(OSError):
                os.unlink(path)


# SQL whose answer is not a function of the data: the clock, chance, sequences.
_VOLATILE = re.compile(
    r"\b(random|setseed|uuid\w*|gen_random_uuid|now|today|current_\w+|get_current_\w+"
    r"|transaction_timestamp|localtime\w*|nextval|currval)\b",
    re.IGNORECASE,
)


def stable_sql(sql: str) -> bool:
    """May this query's output be stored? Not when it names a function of the clock or of
    chance (files outside the data cannot be read: the connection forbids it)."""
    return _VOLATILE.search(sql) is None
