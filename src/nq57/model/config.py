"""Settings read from ``<data>/config.yaml``: for now the header of the monthly report.

The shipped defaults (``nq57/defaults/config.yaml``) are overlaid with the
``report:`` mapping of the first data folder that has a ``config.yaml``. Other
top-level keys are left to the commands that use them. A value that is not
given stays ``None`` and is printed as a blank to fill in by hand; an empty
text means "none" (the line is left out). Nothing is ever made up.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from nq57.errors import Nq57Error
from nq57.i18n import has, t
from nq57.io.yamlio import YAMLError, load_settings
from nq57.model.entities import Date

CONFIG_FILE = "config.yaml"


class ConfigError(Nq57Error):
    """config.yaml cannot be read or has a wrong value (message says where)."""


def _number_as_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Signer(_Strict):
    title: str | None = None
    name: str | None = None


class ReportConfig(_Strict):
    parent_body: str | None = None
    issuing_body: str | None = None
    code: str | None = None
    number: Annotated[str | None, BeforeValidator(_number_as_text)] = None
    place: str | None = None
    date: Date | None = None
    signer: Signer = Field(default_factory=Signer)  # built on use, not at import
    recipients: list[str] = []
    proposals: list[str] = []
    # Section II of the report lists at most this many tasks per agency; the rest is counted.
    rows_per_agency: Annotated[int, Field(ge=1, le=1000, strict=True)] = 10
    # Section II lists in full this many agencies most behind (and as many collective
    # leads); every other one is one row of a compact table.
    agencies_listed: Annotated[int, Field(ge=1, le=1000, strict=True)] = 5
    # Section III lists at most this many tasks completed / newly overdue; the rest is counted.
    rows_per_list: Annotated[int, Field(ge=1, le=1000, strict=True)] = 5


def _read_yaml(text: str, where: str) -> Any:
    try:
        return load_settings(text)
    except YAMLError as exc:
        raise ConfigError(t("config.not_yaml", where=where, detail=exc)) from None


def default_config_text() -> str:
    return (resources.files("nq57") / "defaults" / CONFIG_FILE).read_text(encoding="utf-8")


def _report_section(document: Any, where: str) -> dict[str, Any]:
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError(t("config.not_mapping", where=where))
    section = document.get("report") or {}
    if not isinstance(section, dict):
        raise ConfigError(t("config.report_not_mapping", where=where))
    return section


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(section: dict[str, Any], where: str) -> ReportConfig:
    try:
        return ReportConfig.model_validate(section)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            name = "report" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]
            )
            kind, ctx = error["type"], error.get("ctx") or {}
            if kind == "extra_forbidden":
                problems.append(t("config.unknown_key", where=where, name=name))
            elif kind == "string_type" and isinstance(error.get("input"), dict):
                problems.append(t("config.text_got_mapping", where=where, name=name))
            elif kind in _EXPECTED:
                problems.append(
                    t("config.wrong_type", where=where, name=name, expected=t(_EXPECTED[kind]))
                )
            elif has(ctx.get("key", "")):  # our validators (dates)
                fields = {k: v for k, v in ctx.items() if k != "key"}
                problems.append(
                    t("config.bad_value", where=where, name=name, problem=t(ctx["key"], **fields))
                )
            else:
                problems.append(t("config.invalid", where=where, name=name, type=kind))
        raise ConfigError("; ".join(problems)) from None


_EXPECTED = {
    "string_type": "diag.type.string",
    "list_type": "diag.type.list",
    "dict_type": "diag.type.mapping",
    "model_type": "diag.type.mapping",
    "model_attributes_type": "diag.type.mapping",
    "date_type": "diag.type.date",
    "int_type": "diag.type.int",
    "bool_type": "diag.type.bool",
}


def config_path(data_dirs: list[Path]) -> Path | None:
    """The config.yaml in effect: that of the first data folder that has one."""
    for folder in data_dirs:
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
    return None


def load_report_config(data_dirs: list[Path]) -> ReportConfig:
    """Defaults overlaid with ``report:`` of the first data folder's config.yaml."""
    section = _report_section(_read_yaml(default_config_text(), "defaults"), "defaults")
    path = config_path(data_dirs)
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(t("config.cannot_read", where=path, detail=exc)) from None
        section = _merge(section, _report_section(_read_yaml(text, str(path)), str(path)))
    return _validate(section, str(path) if path else "defaults")


def repository_org(data_dirs: list[Path]) -> str | None:
    """The organisation whose repository this is: ``org:`` of the config.yaml in
    effect, else its ``report.issuing_body``; None when neither is given (or the
    file cannot be read: the commands that need it report that)."""
    path = config_path(data_dirs)
    if path is None:
        return None
    try:
        document = _read_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError, ConfigError):
        return None
    if not isinstance(document, dict):
        return None
    report = document.get("report")
    issuing_body = report.get("issuing_body") if isinstance(report, dict) else None
    for value in (document.get("org"), issuing_body):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def included_data_dirs(data_dir: Path) -> list[Path]:
    """Folders named by ``include:`` in ``<data_dir>/config.yaml`` (relative to it):
    other repositories to read together with this one."""
    path = data_dir / CONFIG_FILE
    if not path.is_file():
        return []
    try:
        document = _read_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(t("config.cannot_read", where=path, detail=exc)) from None
    include = document.get("include") if isinstance(document, dict) else None
    if include is None:
        return []
    if not isinstance(include, list) or not all(isinstance(p, str) for p in include):
        raise ConfigError(t("config.include_not_list", where=path))
    folders = [(data_dir / p) for p in include]
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(t("config.include_missing", where=path, folder=folder))
    return folders
