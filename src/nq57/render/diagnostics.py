"""Diagnostics as text lines, JSON, GitHub Actions annotations or a GitLab Code Quality report."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from nq57.diagnostics import Diagnostic
from nq57.i18n import t


@dataclass(frozen=True)
class Checked:
    """What a validation looked at, for the summary: how many files, and whether
    warnings are left out of the listing (they are still counted)."""

    files: int | None = None
    errors_only: bool = False


def summary(diagnostics: list[Diagnostic], checked: Checked = Checked()) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.path for d in diagnostics})
    if not diagnostics:
        text = t("validate.no_problems")
    else:
        text = t(
            "validate.summary",
            errors=t(
                "validate.errors.one" if errors == 1 else "validate.errors.other", count=errors
            ),
            warnings=t(
                "validate.warnings.one" if warnings == 1 else "validate.warnings.other",
                count=warnings,
            ),
            files=t("validate.files.one" if files == 1 else "validate.files.other", count=files),
        )
    if checked.errors_only and warnings:
        text += " " + t("validate.warnings_hidden")
    if checked.files is not None:
        count = checked.files
        shown = t("validate.files.one" if count == 1 else "validate.files.other", count=count)
        text += "\n" + t("validate.checked", files=shown)
    return text


def shown(diagnostics: list[Diagnostic], checked: Checked) -> list[Diagnostic]:
    """The diagnostics listed: all, or the errors only."""
    return [d for d in diagnostics if d.is_error] if checked.errors_only else diagnostics


def as_text(diagnostics: list[Diagnostic], checked: Checked = Checked()) -> str:
    lines = [d.format() for d in shown(diagnostics, checked)]
    lines.append(summary(diagnostics, checked))
    return "\n".join(lines) + "\n"


def as_json(diagnostics: list[Diagnostic], checked: Checked = Checked()) -> str:
    """``errors`` and ``warnings`` (empty with --errors-only); ``files_checked`` when known."""
    payload: dict = {
        "errors": [d.as_dict() for d in diagnostics if d.is_error],
        "warnings": [d.as_dict() for d in shown(diagnostics, checked) if not d.is_error],
    }
    if checked.files is not None:
        payload["files_checked"] = checked.files
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def as_github(diagnostics: list[Diagnostic], checked: Checked = Checked()) -> str:
    """Workflow commands GitHub turns into inline pull-request annotations."""
    lines = []
    for d in shown(diagnostics, checked):
        level = "error" if d.is_error else "warning"
        props = [f"file={_escape(d.path, prop=True)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={d.code}")
        lines.append(f"::{level} {','.join(props)}::{_escape(d.text)}")
    lines.append(summary(diagnostics, checked))
    return "\n".join(lines) + "\n"


def as_gitlab(diagnostics: list[Diagnostic], checked: Checked = Checked()) -> str:
    """A GitLab Code Quality report (a JSON array), shown on merge requests.

    The fingerprint is a stable hash of path, line, code and message (its catalogue key
    and fields, not its wording), so GitLab can tell a problem that was fixed from one
    that is still there, whatever the language of the run."""
    issues = []
    for d in shown(diagnostics, checked):
        key = d.sort_key()[4:]
        identity = "\0".join((d.path, str(d.line), d.code, *key))
        issues.append(
            {
                "description": f"{d.code} {d.text}",
                "check_name": d.code,
                "fingerprint": hashlib.sha1(identity.encode("utf-8")).hexdigest(),
                "severity": "major" if d.is_error else "minor",
                "location": {"path": d.path, "lines": {"begin": max(d.line, 1)}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
