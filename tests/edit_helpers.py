"""Helpers of the edit tests: a fixture file's text, and a YAML text as plain data."""

from __future__ import annotations

from pathlib import Path

from nq57.io.loader import SourceFile, parse_yaml, to_plain

from conftest import FIXTURES

EDIT = FIXTURES / "edit"


def read(rel: str) -> str:
    return (EDIT / rel).read_bytes().decode("utf-8")


def plain(text: str) -> dict:
    source = SourceFile(Path("x.yaml"), "x.yaml", "task", None)
    document = parse_yaml(source, text)
    assert document is not None, source.diagnostics
    return to_plain(document)
