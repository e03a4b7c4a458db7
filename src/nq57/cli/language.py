"""Choosing the interface language of a run, before the command line is parsed.

Order: ``--lang`` (anywhere on the command line), ``$NQ57_LANG``, ``lang:`` in the data
folder's ``config.yaml``, else Vietnamese. The monthly report is always Vietnamese.
"""

from __future__ import annotations

import os
from pathlib import Path

from nq57.cli.common import UserError
from nq57.cli.lazy import lazy
from nq57.i18n import DEFAULT_LANGUAGE, ENV_VAR, LANGUAGES, language_from_argv, t

listing = lazy("nq57.io.listing")
yamlio = lazy("nq57.io.yamlio")


def choose_language(argv: list[str]) -> tuple[str, list[str]]:
    """The language asked for and the arguments without ``--lang``.

    An unknown language is a usage error (exit 2), named in Vietnamese and English
    since we cannot know which the user reads.
    """
    asked, rest = language_from_argv(argv)
    origin = "--lang"
    if asked is None and os.environ.get(ENV_VAR):
        asked, origin = os.environ[ENV_VAR], f"${ENV_VAR}"
    if asked is None:
        folder = _data_folder(rest)
        asked = _configured_language(folder) if folder else None
        origin = f"{folder / 'config.yaml'}: lang" if folder else origin
    if asked is None:
        return DEFAULT_LANGUAGE, rest
    if asked.strip().lower() not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise UserError(t("core.bad_language", origin=origin, value=asked, known=known), 2)
    return asked.strip().lower(), rest


def _data_folder(argv: list[str]) -> Path | None:
    """The first --data folder on the command line, else the default one, if any."""
    for i, arg in enumerate(argv):
        if arg in ("--data", "-d") and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--data="):
            return Path(arg.split("=", 1)[1])
        if arg == "--":
            break
    try:
        return listing.find_data_dir()
    except listing.DataFolderNotFound:
        return None


def _configured_language(folder: Path) -> str | None:
    """``lang:`` of the folder's config.yaml; a file we cannot read counts as unset here
    (the command that reads it reports the problem)."""
    try:
        text = (folder / "config.yaml").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if "lang" not in text and "\\" not in text:
        return None  # no key can spell "lang" (without an escape): no YAML reader needed
    try:
        document = yamlio.load_settings(text)
    except yamlio.YAMLError:
        return None
    value = document.get("lang") if isinstance(document, dict) else None
    return None if value is None else str(value)
