"""Where the data is: the data folder (found without reading a file, so choosing the
language of a run costs no YAML import), and the file names in its entity folders, listed
folder by folder: finding the file of 30,000 entities this way costs a few hundred
directory reads, not 30,000 lookups."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from nq57.errors import Nq57Error
from nq57.i18n import M

ENTITY_FOLDERS = ("decisions", "tasks", "kpis")


class DataFolderNotFound(Nq57Error):
    """No data folder was given and none was found (a usage error)."""


def find_data_dir(start: Path | None = None) -> Path:
    """``./data`` under the current folder or its nearest parent that has one."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "data"
        if is_data_dir(candidate):
            return candidate
    raise DataFolderNotFound(M("config.no_data_folder", folder=str(here)), 2)


def may_include(folder: Path) -> bool:
    """Could ``folder/config.yaml`` name other data folders (``include:``)? Not when it is
    missing or its text never says "include" (nor holds an escape that could spell it):
    then a run need not load a YAML reader to find out."""
    try:
        text = (folder / "config.yaml").read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):  # the settings reader says what is wrong
        return True
    return "include" in text or "\\" in text


def is_data_dir(folder: Path) -> bool:
    """Does the folder hold at least one of ``decisions/``, ``tasks/``, ``kpis/``?"""
    return any((folder / name).is_dir() for name in ENTITY_FOLDERS)


def entity_files(roots: list[Path]) -> dict[str, set[str]]:
    """``"decisions"``, ``"tasks/<D>"``, ``"kpis/<D>"`` -> the names of the files in it,
    over every data folder (ids are unique across folders)."""
    names: dict[str, set[str]] = {}

    def add(folder: str, key: str) -> None:
        with contextlib.suppress(OSError):
            names.setdefault(key, set()).update(os.listdir(folder))

    for root in roots:
        for kind in ENTITY_FOLDERS:
            top = os.path.join(root, kind)
            if not os.path.isdir(top):
                continue
            add(top, kind)
            if kind != "decisions":
                for entry in os.scandir(top):
                    if entry.is_dir(follow_symlinks=False):
                        add(entry.path, f"{kind}/{entry.name}")
    return names
