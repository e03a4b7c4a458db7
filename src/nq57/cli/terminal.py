"""Text in and out of the terminal whatever the locale.

Under a locale that is not UTF-8 (``LANG=C`` with ``PYTHONUTF8=0``) Python decodes the
command line as ASCII, keeping each other byte as a lone surrogate ("Đã" becomes
``\\udcc4\\udc90\\udcc3\\udca3``): written to a file, that is not what the user typed.
:func:`command_line` recovers the UTF-8 text from those bytes, or refuses it when the
bytes are not UTF-8. Output streams whose encoding cannot hold Vietnamese replace what
they cannot write (``?``) instead of crashing; an ASCII stream (the C locale) writes
UTF-8, as click does for its own output. Files are always read and written as UTF-8
by the layers below, whatever the locale.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


class NotUtf8Argument(Exception):
    """A command-line argument whose bytes are not UTF-8 text."""

    def __init__(self, shown: str):
        super().__init__(shown)
        self.shown = shown


def _codec(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "ascii").name
    except LookupError:
        return "ascii"


def prepare_streams() -> None:
    """Make stdout and stderr able to print whatever nq57 says."""
    for stream in (sys.stdout, sys.stderr):
        codec = _codec(getattr(stream, "encoding", None))
        reconfigure = getattr(stream, "reconfigure", None)
        if codec == "utf-8" or reconfigure is None:
            continue
        if codec == "ascii":
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")


def command_line(args: list[str], path_options: frozenset[str] = frozenset()) -> list[str]:
    """The arguments as the user typed them (see the module's docstring). File names
    are kept as the system decoded them, so that the file system finds them: the value
    of a path option (``--output X``, ``--data=X``) and an argument naming an existing
    file or folder."""
    utf8_system = _codec(sys.getfilesystemencoding()) == "utf-8"
    result: list[str] = []
    for index, arg in enumerate(args):
        after_path_option = index > 0 and args[index - 1] in path_options
        path_value = arg.startswith("--") and arg.split("=", 1)[0] in path_options
        if after_path_option or path_value:
            result.append(arg)
        else:
            result.append(_recover(arg, utf8_system))
    return result


def path_options(command: Any) -> frozenset[str]:
    """Option names that take a file or folder in some command and text in none."""
    paths: set[str] = set()
    texts: set[str] = set()
    for param in _params(command):
        annotation = str(getattr(getattr(param, "type_descriptor", None), "annotation", ""))
        names = [o for o in getattr(param, "opts", []) if o.startswith("-")]
        (paths if "Path" in annotation else texts).update(names)
    return frozenset(paths - texts)


def _params(command: Any) -> Iterator[Any]:
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _params(sub)


def _recover(arg: str, utf8_system: bool) -> str:
    if utf8_system and not _SURROGATE.search(arg):
        return arg  # the usual case: nothing to do
    if _names_a_path(arg):
        return arg
    try:
        raw = os.fsencode(arg)  # the bytes as typed (surrogateescape round trip)
    except UnicodeEncodeError:
        raw = None
    if raw is not None:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if _SURROGATE.search(arg):
        shown = raw.decode("utf-8", "backslashreplace") if raw else ascii(arg)
        raise NotUtf8Argument(shown)
    return arg  # a legacy locale's own text (é typed in Latin-1): decoded right already


def _names_a_path(arg: str) -> bool:
    value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
    try:
        return bool(value) and os.path.lexists(value)
    except (ValueError, OSError):
        return False
