"""Writing a command's finished output (the result cache's bytes, or fresh ones)."""

from __future__ import annotations

import os
import re
import sys

import typer

_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")  # a lone surrogate, as surrogatepass writes it


def write_stdout(body: bytes) -> None:
    """Write output as ``typer.echo(body.decode("utf-8", "surrogatepass"), nl=False)``
    would: the bytes themselves when stdout is a UTF-8 text stream without newline
    translation and the text holds no escape character (click strips ANSI codes when
    piped) and no lone surrogate (which a UTF-8 stream refuses); else through echo."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    plain = b"\x1b" not in body and not _SURROGATE.search(body)
    if buffer is not None and encoding in ("utf-8", "utf8") and os.linesep == "\n" and plain:
        stream.flush()
        buffer.write(body)
        buffer.flush()
        return
    typer.echo(body.decode("utf-8", "surrogatepass"), nl=False)
