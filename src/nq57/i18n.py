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

import marshal
import os
import string
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
ENV_VAR = "NQ57_LANG"

_current = DEFAULT_LANGUAGE


class CatalogueError(Exception):
    """A catalogue file is broken: a bug in nq57, caught by the tests."""


MESSAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "messages")
# Bump when what a compiled catalogue holds changes meaning.
COMPILED_FORMAT = 1


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language, merged from its files.

    A run reads the compiled catalogue: one ``marshal`` file per language in the user
    cache folder, named after a checksum of the language's source files (their names and
    bytes), so an edited, added or removed file is never served stale. Only when there is
    none -- the first run, a catalogue changed -- are the YAML files read (PyYAML) and the
    result written there; a cache folder that cannot be written costs that read each run.
    """
    sources = _sources(lang)
    path = os.path.join(_cache_dir(), "messages", f"{lang}-{_checksum(sources)}.marshal")
    try:
        with open(path, "rb") as handle:
            texts = marshal.load(handle)
        if isinstance(texts, dict):
            return texts
    except (OSError, EOFError, ValueError, TypeError):
        pass
    texts = compile_catalogue(lang, sources)
    _save(path, texts)
    return texts


def _sources(lang: str) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the language's catalogue files, by name."""
    folder = os.path.join(MESSAGES, lang)
    names = sorted(name for name in os.listdir(folder) if name.endswith(".yaml"))
    sources = []
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            sources.append((name, handle.read()))
    return sources


def _checksum(sources: list[tuple[str, bytes]]) -> str:
    """Names and bytes of the sources, with the format and the Python that reads it:
    CRC-32 and Adler-32 (two independent 32-bit sums; zlib is built in, hashlib is not
    loaded at start) and the length."""
    crc, adler, size = 0, 1, 0
    for name, data in sources:
        for part in (name.encode("utf-8"), b"\0", data, b"\0"):
            crc, adler, size = zlib.crc32(part, crc), zlib.adler32(part, adler), size + len(part)
    tag = sys.implementation.cache_tag or "python"
    return f"{tag}-{COMPILED_FORMAT}-{size:x}-{crc:08x}{adler:08x}"


def _cache_dir() -> str:
    """The user cache folder (the one nq57.io.cache keeps the parse cache in)."""
    if os.environ.get("NQ57_CACHE_DIR"):
        return os.environ["NQ57_CACHE_DIR"]
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "nq57")


def compile_catalogue(lang: str, sources: list[tuple[str, bytes]]) -> dict[str, str]:
    """The texts of the source files, checked: every key once, every value text."""
    # The one import below cli/ made on demand: PyYAML is loaded only when the catalogue
    # has to be compiled, never at an ordinary start (see docs/architecture.md).
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # libyaml when there
    texts: dict[str, str] = {}
    for name, data in sources:
        document = yaml.load(data.decode("utf-8"), Loader=loader) or {}
        for key, text in document.items():
            if key in texts:
                raise CatalogueError(f"{lang}/{name}: '{key}' is defined twice")
            if not isinstance(text, str):
                raise CatalogueError(f"{lang}/{name}: '{key}' is not text")
            texts[key] = text
    return texts


def _save(path: str, texts: dict[str, str]) -> None:
    """Write the compiled catalogue (atomically), dropping older ones of the language;
    a folder that cannot be written is left alone."""
    folder, name = os.path.split(path)
    lang = name.split("-", 1)[0]
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump(texts, handle)
        os.replace(temporary, path)
        for old in os.listdir(folder):
            if old.startswith(f"{lang}-") and old != name and old.endswith(".marshal"):
                os.remove(os.path.join(folder, old))
    except OSError:
        with suppress(OSError):
            os.remove(temporary)


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
