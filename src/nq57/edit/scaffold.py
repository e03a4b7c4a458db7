"""`nq57 init`: the skeleton of a data repository for a new ministry or province.

:func:`plan` computes every file to write (path relative to the target folder ->
text) from the shipped templates in ``nq57/defaults/init/``; :func:`write` refuses
to replace an existing file unless forced. Nothing is made up: the report header
gets the organisation's name and, when the bundled agency registry knows it, its
parent body; code, signer, place and date stay blank to be filled in by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nq57 import __version__
from nq57.errors import Nq57Error
from nq57.i18n import language, t
from nq57.io.yamlio import dump_mapping, load_settings
from nq57.model.agencies import AgencyIndex
from nq57.model.entities import AgencyRegistry
from nq57.model.schema import SCHEMAS, write_schemas

# Where nq57 itself is hosted: a PLACEHOLDER used in the generated CI workflow,
# pre-commit configuration and README. Point it at the real repository.
NQ57_REPO_URL = "https://github.com/nq57/nq57"
NQ57_REV = f"v{__version__}"

ENTITY_FOLDERS = ("decisions", "tasks", "kpis")
# Bodies without a cơ quan chủ quản: the report header leaves that line out ("").
TOP_LEVEL_KINDS = ("ministry", "province")
SCHEMA_GLOBS = {
    "nq57-task.schema.json": "data/tasks/**/*.yaml",
    "nq57-kpi.schema.json": "data/kpis/**/*.yaml",
    "nq57-decision.schema.json": "data/decisions/*.yaml",
    "nq57-agencies.schema.json": "data/agencies.yaml",
}


class ScaffoldError(Nq57Error):
    """The skeleton cannot be written (message says why)."""


@dataclass
class Result:
    written: list[Path]
    replaced: list[Path]
    org_added: bool  # the organisation was added to the registry


def _default(name: str) -> str:
    return (resources.files("nq57") / "defaults" / name).read_text(encoding="utf-8")


def _yaml_text(value: str | None) -> str:
    """A YAML scalar for a text, quoted only when YAML needs it; None -> null."""
    if value is None:
        return "null"
    return dump_mapping({"v": value}).removeprefix("v: ").rstrip("\n")


def _fill(template: str, **values: str) -> str:
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    return template


def bundled_registry() -> tuple[str, AgencyIndex]:
    """The shipped agency registry: its YAML text without the generator's header."""
    text = _default("agencies.yaml")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    registry = AgencyRegistry.model_validate(load_settings(body))
    return body, AgencyIndex.build(registry)


def registry_text(org: str) -> tuple[str, str | None, bool]:
    """(agencies.yaml text, parent body for the report header, whether org was added).
    Its comment and note are Vietnamese, like the rest of the data folder."""
    body, index = bundled_registry()
    with language("vi"):
        header, note = t("init.registry_header"), t("init.registry_note")
    agency = index.resolve(org)
    if agency is None:
        entry = (  # one registry entry, a line per field
            f"  - name: {_yaml_text(org)}\n    aliases: []\n    note: {_yaml_text(note)}\n"
        )
        return header + body.rstrip("\n") + "\n" + entry, None, True
    if agency.parent:
        parent: str | None = agency.parent
    elif agency.kind in TOP_LEVEL_KINDS:
        parent = ""
    else:
        parent = None
    return header + body, parent, False


def vscode_settings() -> str:
    settings = {
        "yaml.schemas": {f"schemas/{name}": glob for name, glob in SCHEMA_GLOBS.items()},
        "files.encoding": "utf8",
        "files.eol": "\n",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def plan(org: str) -> tuple[dict[str, str], bool]:
    """Every text file of the skeleton (relative path -> text; the JSON Schema files are
    written by :func:`nq57.model.schema.write_schemas`) and whether org was added."""
    org = " ".join(org.split())
    if not org:
        raise ScaffoldError(t("init.empty_org"))
    registry, parent, added = registry_text(org)
    values = {
        "ORG": org,
        "ORG_YAML": _yaml_text(org),
        "PARENT_BODY": _yaml_text(parent),
        "NQ57_REPO_URL": NQ57_REPO_URL,
        "NQ57_REV": NQ57_REV,
    }
    files = {f"data/{folder}/.gitkeep": "" for folder in ENTITY_FOLDERS}
    files["data/config.yaml"] = _fill(_default("init/config.yaml"), **values)
    files["data/agencies.yaml"] = registry
    files[".vscode/settings.json"] = vscode_settings()
    files[".github/workflows/nq57.yml"] = _fill(_default("init/workflow.yml"), **values)
    files[".pre-commit-config.yaml"] = _fill(_default("init/pre-commit-config.yaml"), **values)
    files[".gitignore"] = _default("init/gitignore")
    files["README.md"] = _fill(_default("init/README.md"), **values)
    folder = resources.files("nq57") / "defaults" / "init" / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            files[f"data/queries/{entry.name}"] = entry.read_text(encoding="utf-8")
    return files, added


def write(target: Path, org: str, *, force: bool = False) -> Result:
    """Write the skeleton into ``target``; refuse if any file exists unless ``force``."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(t("init.not_a_folder", target=target))
    files, added = plan(org)
    paths = {rel: target / rel for rel in files}
    paths.update({f"schemas/{name}": target / "schemas" / name for name in SCHEMAS})
    folders = [p for p in paths.values() if p.is_dir()]
    if folders:
        raise ScaffoldError(t("init.folder_in_the_way", path=folders[0]))
    existing = [p for p in paths.values() if p.exists()]
    if existing and not force:
        shown = "\n  ".join(str(p) for p in existing)
        raise ScaffoldError(t("init.files_exist", count=len(existing), files=shown))
    written = []
    for rel, text in files.items():
        path = paths[rel]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    written += write_schemas(target / "schemas")
    return Result(written=written, replaced=existing, org_added=added)
