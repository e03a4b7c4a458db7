"""The git commit a data folder is at (for exports that say where their rows come from)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def head_commit(folder: Path) -> str | None:
    """``git rev-parse HEAD`` in ``folder``; None when it is not in a git repository,
    the repository has no commit yet, or git is not installed."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) in (40, 64) else None
