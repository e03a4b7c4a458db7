"""The one error type of nq57: a message for the user and the exit code it means.

Code below ``cli/`` raises these (never ``sys.exit``); ``cli.app.run`` catches
them in one place, prints the message and exits with ``exit_code`` (1: a problem
found or a refused action, 2: a usage error), set where the error is raised. Anything
else that escapes is a bug (exit 3). Subclasses exist only where a caller (or a test)
must tell them apart.
"""

from __future__ import annotations

from nq57.diagnostics import Diagnostic
from nq57.i18n import Message


class Nq57Error(Exception):
    """A user-facing failure: ``str(error)`` is the message, ``exit_code`` the code.

    ``message`` may be a catalogue :class:`~nq57.i18n.Message`, put into words when shown
    (in the language chosen by then)."""

    def __init__(self, message: str | Message, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def describe(self) -> str:
        return str(self)


class EditError(Nq57Error):
    """An edit that was refused; the file is unchanged. Carries the reason."""

    def __init__(
        self, message: str, diagnostics: list[Diagnostic] | None = None, exit_code: int = 1
    ):
        super().__init__(message, exit_code)
        self.diagnostics = list(diagnostics or [])

    def describe(self) -> str:
        lines = [str(self)] + [f"  {d.format()}" for d in self.diagnostics]
        return "\n".join(lines)


class LockBusy(EditError):
    """Another command holds the file's lock."""
