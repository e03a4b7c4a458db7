"""Writing files safely: a lock file per data file and atomic replacement.

:class:`FileLock` keeps two commands from editing one file at once;
:func:`atomic_write` replaces a file so that readers see the old or the new
content, never a mix. Used by the edit commands and ``nq57 fmt``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import socket
import stat
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from nq57.errors import EditError, LockBusy
from nq57.i18n import t

LOCK_TIMEOUT = 5.0  # seconds to wait for another command's lock before refusing
LOCK_POLL = 0.05
STALE_LOCK_AFTER = 10 * 60  # seconds; a lock this old is left over from a crash

Warn = Callable[[str], None]


# --- lock ---------------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class FileLock:
    """``<file>.lock`` created with O_EXCL; removed on exit.

    Waits up to ``timeout`` seconds for another holder, then raises
    :class:`LockBusy`. A lock left over by a crashed command (older than
    ``stale_after`` seconds, or whose process no longer runs on this host) is
    broken, with a message through ``warn``.
    """

    def __init__(
        self,
        target: Path,
        display: str | None = None,
        *,
        timeout: float | None = None,
        stale_after: float | None = None,
        warn: Warn | None = None,
    ):
        self.target = target
        self.path = target.with_name(target.name + ".lock")
        self.file_display = display or str(target)
        self.display = self.file_display + ".lock"
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self.stale_after = STALE_LOCK_AFTER if stale_after is None else stale_after
        self.warn = warn or (lambda message: None)
        self.token: str | None = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        host = socket.gethostname()
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        token = f"{os.getpid()} {host} {stamp} {uuid.uuid4().hex}\n"
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._break_if_stale():
                    continue
                if time.monotonic() >= deadline:
                    raise LockBusy(self._busy_message()) from None
                time.sleep(LOCK_POLL)
                continue
            except OSError as exc:
                raise EditError(
                    t("edit.lock_create", lock=self.display, reason=reason(exc))
                ) from None
            try:
                try:
                    os.write(fd, token.encode("utf-8"))
                finally:
                    os.close(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                raise EditError(
                    t("edit.lock_write", lock=self.display, reason=reason(exc))
                ) from None
            self.token = token
            return

    def release(self) -> None:
        if self.token is None:
            return
        with contextlib.suppress(OSError):
            if self.path.read_text(encoding="utf-8") == self.token:  # still ours
                os.unlink(self.path)
        self.token = None

    def _holder(self) -> tuple[str, float] | None:
        try:
            content = self.path.read_text(encoding="utf-8", errors="replace")
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return None
        return content, mtime

    def _busy_message(self) -> str:
        holder = self._holder()
        who = ""
        if holder and holder[0].split():
            parts = holder[0].split()
            if len(parts) > 2:
                who = t("edit.lock_holder_since", pid=parts[0], host=parts[1], since=parts[2])
            elif len(parts) > 1:
                who = t("edit.lock_holder_host", pid=parts[0], host=parts[1])
            else:
                who = t("edit.lock_holder", pid=parts[0])
        return t(
            "edit.lock_busy",
            file=self.file_display,
            holder=who,
            seconds=f"{self.timeout:g}",
            lock=self.display,
        )

    def _break_if_stale(self) -> bool:
        """True when the lock is gone or was broken (try again at once)."""
        holder = self._holder()
        if holder is None:
            return True
        content, mtime = holder
        age = time.time() - mtime
        parts = content.split()
        dead = False
        if len(parts) >= 2 and parts[0].isdigit() and parts[1] == socket.gethostname():
            dead = not _pid_alive(int(parts[0]))
        if not dead and age <= self.stale_after:
            return False
        aside = self.path.with_name(f".{self.path.name}.stale-{uuid.uuid4().hex}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        try:
            if aside.read_text(encoding="utf-8", errors="replace") != content:
                # Another command broke it first and took a fresh lock: give it back.
                with contextlib.suppress(OSError):
                    os.link(aside, self.path)
                return True
        finally:
            with contextlib.suppress(OSError):
                os.unlink(aside)
        why = t("edit.stale_dead") if dead else t("edit.stale_old", minutes=f"{age / 60:.0f}")
        left_by = content.strip() or t("edit.stale_unknown")
        self.warn(t("edit.stale_lock", lock=self.display, why=why, holder=left_by))
        return True


# --- atomic write -------------------------------------------------------------------------------


def reason(exc: OSError) -> str:
    """An OS error in the user's words (disk full, permission)."""
    if exc.errno == errno.ENOSPC:
        return t("edit.reason.no_space")
    if isinstance(exc, PermissionError):
        return t("edit.reason.permission")
    return exc.strerror or str(exc)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable. Best effort: the new file is already in place."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old or the new file,
    never a mix; on any failure the old file is untouched and no temporary file remains."""
    folder = path.parent
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
