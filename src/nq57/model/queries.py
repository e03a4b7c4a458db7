"""Saved queries: ``queries/<name>.sql`` in a data folder, with a comment header.

    -- title: Nhiệm vụ quá hạn theo cơ quan chủ trì
    -- description: Số nhiệm vụ quá hạn của mỗi cơ quan, nhiều nhất trước.
    -- param: min_days=0 Chỉ tính nhiệm vụ quá hạn hơn số ngày này
    -- param: lead="Bộ Tài chính" Cơ quan chủ trì
    SELECT ...

The header is the comment lines at the top. ``title:`` and ``description:`` are text
(a comment line without a key continues the description); each ``param:`` names a
parameter (used as ``$name`` in the SQL), optionally ``=default`` (in double quotes
when it has spaces), then its description. Other keys are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUERIES_DIR = "queries"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PARAM = re.compile(
    r'^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+)))?\s*(?P<desc>.*)$'
)
_KEY = re.compile(r"^(?P<key>[a-z_]+):\s*(?P<value>.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str  # the file stem: `nq57 query --saved NAME`
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    sql: str  # the whole file, header included (comments are SQL too)


def parse_saved(name: str, path: Path, text: str) -> SavedQuery:
    title = ""
    description: list[str] = []
    params: list[Param] = []
    for line in text.lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        body = stripped[2:].strip()
        match = _KEY.match(body)
        if match is None:
            if body and description:
                description.append(body)
            continue
        key, value = match["key"], match["value"].strip()
        if key == "title":
            title = value
        elif key == "description":
            description = [value] if value else []
        elif key == "param":
            found = _PARAM.match(value)
            if found:
                default = found["quoted"] if found["quoted"] is not None else found["bare"]
                params.append(Param(found["name"], default, found["desc"].strip()))
    return SavedQuery(name, path, title or name, " ".join(description), tuple(params), text)


def saved_queries(data_dirs: list[Path]) -> dict[str, SavedQuery]:
    """Every saved query of the data folders, by name (the first folder that has a
    name wins), in name order."""
    found: dict[str, SavedQuery] = {}
    for folder in data_dirs:
        directory = folder / QUERIES_DIR
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.sql")):
            if path.stem in found or not NAME.match(path.stem) or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            found[path.stem] = parse_saved(path.stem, path, text)
    return dict(sorted(found.items()))
