"""Diagnostics: problems found in the data, as values.

Every check returns a list of :class:`Diagnostic`; renderers turn them into
``path:line:col: CODE message`` lines, JSON or CI annotations.

A diagnostic's message is a :class:`~nq57.i18n.Message` (catalogue key + fields),
rendered when shown: diagnostics are kept in the parse cache, and a later run may
show them in another language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import total_ordering

from nq57.i18n import Message


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# code -> (severity, short name). Codes are stable: CI rules and docs refer to them.
CODES: dict[str, tuple[Severity, str]] = {
    "E100": (Severity.ERROR, "yaml-syntax"),
    "E101": (Severity.ERROR, "tab-indent"),
    "E102": (Severity.ERROR, "duplicate-key"),
    "E103": (Severity.ERROR, "merge-conflict"),
    "E104": (Severity.ERROR, "encoding"),
    "E105": (Severity.ERROR, "not-a-mapping"),
    "E106": (Severity.ERROR, "alias"),
    "E107": (Severity.ERROR, "file-too-large"),
    "E108": (Severity.ERROR, "unreadable"),
    "E110": (Severity.ERROR, "unknown-field"),
    "E111": (Severity.ERROR, "missing-field"),
    "E112": (Severity.ERROR, "wrong-type"),
    "E113": (Severity.ERROR, "bad-value"),
    "E114": (Severity.ERROR, "bad-date"),
    "E115": (Severity.ERROR, "out-of-range"),
    "E120": (Severity.ERROR, "id-mismatch"),
    "E121": (Severity.ERROR, "duplicate-id"),
    "E122": (Severity.ERROR, "dangling-reference"),
    "E123": (Severity.ERROR, "cycle"),
    "E124": (Severity.ERROR, "completed-missing"),
    "E125": (Severity.ERROR, "completed-not-done"),
    "E126": (Severity.ERROR, "misplaced-file"),
    "W200": (Severity.WARNING, "unknown-agency"),
    "W201": (Severity.WARNING, "unparsed-deadline"),
    "W202": (Severity.WARNING, "no-lead"),
    "W203": (Severity.WARNING, "no-deadline"),
    "W204": (Severity.WARNING, "no-output"),
    "W205": (Severity.WARNING, "not-nfc"),
    "W207": (Severity.WARNING, "bom"),
    "W208": (Severity.WARNING, "stray-file"),
    "W209": (Severity.WARNING, "no-target"),
}


@total_ordering
@dataclass(frozen=True)
class Diagnostic:
    path: str  # as shown to the user (relative to the data folder's parent when possible)
    line: int  # 1-based; 0 when the problem is about the whole file
    column: int  # 1-based; 0 when unknown
    code: str
    message: Message | str  # a Message (rendered when shown); plain text is accepted too

    @property
    def text(self) -> str:
        """The message rendered in the current language."""
        return str(self.message)

    def sort_key(self) -> tuple:
        """Order by place, code, then message key and fields: the same in every language."""
        m = self.message
        what = (m.key, repr(m.params)) if isinstance(m, Message) else (m, "")
        return (self.path, self.line, self.column, self.code, *what)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.text}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.text,
        }
