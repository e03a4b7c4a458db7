"""The message catalogue: every user-facing text, in Vietnamese (default) and English.

Texts live in ``nq57/messages/<lang>/*.yaml`` as flat ``key: template`` pairs; the
files of a language form one key space (a key may appear in one file only). Templates
use ``str.format`` fields, ``{name}``; a literal brace is written ``{{`` or ``}}``.

Code asks for a text with :func:`t` (rendered now, in the current language) or keeps a
:class:`Message` (rendered whenever it is shown, so diagnostics stored in a cache follow
the language of the run that shows them).

The language is chosen once per run (``--lang``, ``NQ57_LANG``, ``lang:`` in the data
folder's ``config.yaml``, else Vietnamese) and set with :func:`set_language`.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nq57.io.yamlio import load_catalogue

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
ENV_VAR = "NQ57_LANG"

_current = DEFAULT_LANGUAGE


class CatalogueError(Exception):
    """A catalogue file is broken: a bug in nq57, caught by the tests."""


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language, merged from its files."""
    texts: dict[str, str] = {}
    folder = resources.files("nq57") / "messages" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        document = load_catalogue(entry.read_text(encoding="utf-8")) or {}
        for key, text in document.items():
            if key in texts:
                raise CatalogueError(f"{lang}/{entry.name}: '{key}' is defined twice")
            if not isinstance(text, str):
                raise CatalogueError(f"{lang}/{entry.name}: '{key}' is not text")
            texts[key] = text
    return texts


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(lang)
    global _current
    _current = lang


def get_language() -> str:
    return _current


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Render in ``lang`` inside the block (e.g. the monthly report, always Vietnamese)."""
    previous = _current
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def has(key: str) -> bool:
    return key in catalogue(_current)


def template(key: str) -> str:
    """The raw template of ``key`` (for code that fills it itself, like typer's gettext)."""
    found = catalogue(_current).get(key)
    return found if found is not None else catalogue(DEFAULT_LANGUAGE)[key]


def t(key: str, /, **params: Any) -> str:
    """The text for ``key`` in the current language, its fields filled from ``params``.

    A :class:`Message` among the params is rendered too. A key missing in the current
    language falls back to Vietnamese; a key missing there is a bug (KeyError).
    """
    return template(key).format(**{k: _text(v) for k, v in params.items()})


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Message) else value


@dataclass(frozen=True)
class Message:
    """A text to render later: catalogue key plus fields (hashable, picklable)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: Any) -> Message:
        return cls(key, tuple(params.items()))

    def __str__(self) -> str:
        return t(self.key, **dict(self.params))


M = Message.of  # short form for call sites: M("diag.unknown_field", field=name)


def fields_of(template: str) -> set[str]:
    """The ``{field}`` names a template uses (for the catalogue tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def language_from_argv(argv: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--lang X`` / ``--lang=X`` out of the arguments (anywhere before ``--``).

    Returns the language asked for (None if not given) and the remaining arguments.
    """
    found: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
            i += 1
            continue
        rest.append(arg)
        i += 1
    return found, rest
