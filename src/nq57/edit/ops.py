"""What an edit does to one file's data, in three operations, and the data it must hold after.

A plan (:mod:`nq57.edit.plan`) is made of them; the splicer (:mod:`nq57.edit.splice`)
writes them into the text; :func:`expected_data` is what the result must read back as.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SetField:
    """Set a top-level scalar field (replaced in place, or inserted if absent)."""

    key: str
    value: str | dt.date


@dataclass(frozen=True)
class AppendItem:
    """Append a mapping to a top-level list (created at the end of the file if absent)."""

    key: str
    item: dict[str, Any]


@dataclass(frozen=True)
class RemoveField:
    """Remove a top-level scalar field and its line (``completed`` when a task is reopened)."""

    key: str


Op = SetField | AppendItem | RemoveField


def plain_value(value: Any) -> Any:
    """A value as the loader reads it back (a date as its ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def expected_data(old: dict[str, Any], ops: list[Op]) -> dict[str, Any]:
    """The data the file must hold after the edit (dates as text, like the loader)."""
    new = dict(old)
    for op in ops:
        if isinstance(op, SetField):
            new[op.key] = plain_value(op.value)
        elif isinstance(op, RemoveField):
            new.pop(op.key, None)
        else:
            item = {k: plain_value(v) for k, v in op.item.items()}
            new[op.key] = [*new.get(op.key, []), item]
    return new
