"""YAML reading and writing conventions shared by the loader, the importer and
the editing commands: YAML 1.2, UTF-8, two-space indent, no line wrapping."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def round_trip_yaml() -> YAML:
    """A round-trip (comment-preserving) YAML 1.2 instance in the house style."""
    yaml = YAML(typ="rt")
    yaml.version = None  # no %YAML directive in output; 1.2 semantics by default
    yaml.width = 1_000_000  # never wrap long Vietnamese cells (keeps diffs small)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def dump_mapping(data: dict[str, Any]) -> str:
    """Serialise a plain mapping in the house style."""
    buf = io.StringIO()
    round_trip_yaml().dump(data, buf)
    return buf.getvalue()
