"""Output into a pipe that closes early (`nq57 list tasks | head`).

The reader is gone, not the command: the rest of the output is dropped quietly and
the command ends with the exit code a full run gives (see the Python documentation,
"Note on SIGPIPE"). Standard output is replaced by a proxy whose writes, on the first
BrokenPipeError, point file descriptor 1 at the null device and carry on.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any


class _PipeSafe:
    """A stream whose writes and flushes survive a closed pipe."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _silence(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def write(self, data: Any) -> int:
        try:
            return int(self._stream.write(data))
        except BrokenPipeError:
            self._silence()
            return len(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._silence()
            with contextlib.suppress(BrokenPipeError):
                self._stream.flush()  # what was buffered now goes to the null device

    @property
    def buffer(self) -> Any:
        return _PipeSafe(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Make standard output safe against a reader that stops early."""
    if sys.stdout is not None and not isinstance(sys.stdout, _PipeSafe):
        sys.stdout = _PipeSafe(sys.stdout)
