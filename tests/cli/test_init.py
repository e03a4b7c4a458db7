"""`nq57 init`: a new data repository, and its README followed step by step."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from ruamel.yaml import YAML

from nq57.edit.scaffold import NQ57_REPO_URL
from nq57.model.config import load_report_config
from nq57.model.entities import AgencyRegistry
from nq57.model.schema import SCHEMAS

from conftest import FIXTURES, invoke

ORG = "Bộ Y tế"
SKELETON = [
    ".github/workflows/nq57.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
    "README.md",
    "data/agencies.yaml",
    "data/config.yaml",
    "data/decisions/.gitkeep",
    "data/kpis/.gitkeep",
    "data/queries/chi-tieu-chua-dat.sql",
    "data/queries/qua-han-theo-co-quan.sql",
    "data/queries/viec-cua-co-quan.sql",
    "data/tasks/.gitkeep",
    *(f"schemas/{name}" for name in SCHEMAS),
]


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def safe_load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_init_writes_the_skeleton(capsys, tmp_path):
    repo = tmp_path / "bo-y-te"
    code, _, err = invoke(capsys, "init", str(repo), "--org", ORG)
    assert code == 0, err
    assert files_of(repo) == sorted(SKELETON)
    config = load_report_config([repo / "data"])
    assert config.issuing_body == ORG
    assert config.parent_body == ""  # a ministry: no cơ quan chủ quản line
    assert config.code is None and config.signer.name is None and config.signer.title is None
    registry = AgencyRegistry.model_validate(safe_load(repo / "data" / "agencies.yaml"))
    assert [a.name for a in registry.agencies].count(ORG) == 1  # known: not added twice
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["schemas/nq57-task.schema.json"] == "data/tasks/**/*.yaml"
    assert settings["files.encoding"] == "utf8"
    for name in settings["yaml.schemas"]:
        assert (repo / name).is_file()
    workflow = safe_load(repo / ".github" / "workflows" / "nq57.yml")
    assert "pull_request" in workflow["on"]
    steps = [step.get("run", "") for step in workflow["jobs"]["validate"]["steps"]]
    assert "nq57 validate --format github" in steps and NQ57_REPO_URL in " ".join(steps)
    hooks = safe_load(repo / ".pre-commit-config.yaml")["repos"][0]
    assert hooks["repo"] == NQ57_REPO_URL
    assert [h["id"] for h in hooks["hooks"]] == ["nq57-validate", "nq57-fmt"]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert ORG in readme and NQ57_REPO_URL in readme and "@" + "ORG@" not in readme


def test_unknown_organisation_is_added_to_the_registry(capsys, tmp_path):
    org = "Sở Khoa học và Công nghệ tỉnh Ninh Bình"
    code, _, err = invoke(capsys, "init", str(tmp_path), "--org", org)
    assert code == 0 and "agencies.yaml" in err
    registry = AgencyRegistry.model_validate(safe_load(tmp_path / "data" / "agencies.yaml"))
    assert registry.agencies[-1].name == org
    assert len(registry.agencies) > 100  # started from the bundled registry
    config = load_report_config([tmp_path / "data"])
    assert config.issuing_body == org and config.parent_body is None  # blank, not guessed


def test_existing_files_are_not_replaced_without_force(capsys, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "README.md").write_text("our own readme", encoding="utf-8")
    code, _, err = invoke(capsys, "init", str(tmp_path), "--org", ORG)
    assert code == 1
    assert "README.md" in err and "--force" in err and "Traceback" not in err
    assert files_of(tmp_path) == ["README.md", "notes.txt"]  # nothing written
    code, _, _ = invoke(capsys, "init", str(tmp_path), "--org", ORG, "--force")
    assert code == 0
    assert "our own readme" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_init_in_the_current_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = invoke(capsys, "init", "--org", ORG)
    assert code == 0
    assert (tmp_path / "data" / "config.yaml").is_file()


def readme_steps(readme: str) -> tuple[dict[str, str], list[list[str]]]:
    """The YAML files the README shows (first line: '# <path>') and its nq57 commands."""
    files: dict[str, str] = {}
    commands: list[list[str]] = []
    for lang, body in re.findall(r"```(\w+)\n(.*?)```", readme, re.S):
        if lang == "yaml":
            first, _, rest = body.partition("\n")
            files[first.removeprefix("# ").strip()] = body
        elif lang == "sh":
            commands += [
                shlex.split(line)[1:] for line in body.splitlines() if line.startswith("nq57 ")
            ]
    return files, commands


def test_following_the_readme_works(capsys, tmp_path, monkeypatch):
    code, _, _ = invoke(capsys, "init", str(tmp_path), "--org", ORG)
    assert code == 0
    monkeypatch.chdir(tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    files, commands = readme_steps(readme)
    assert set(files) == {"data/decisions/01-KH-2025.yaml", "data/tasks/01-KH-2025/1.yaml"}
    for path, text in files.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    # the table the README imports: a tab-separated excerpt of 71/NQ-CP Phụ lục II
    excerpt = (FIXTURES / "tableimport" / "tab_71.txt").read_text(encoding="utf-8")
    Path("bang-nhiem-vu.txt").write_text(excerpt, encoding="utf-8")
    names = [c[0] for c in commands]
    assert {"validate", "task", "status", "report", "import"} <= set(names)
    report_args = next(c for c in commands if c[0] == "report")
    assert report_args[:5] == ["report", "--month", "2025-09", "--format", "md"]
    for args in commands:
        code, out, err = invoke(capsys, *args)
        assert code == 0, f"nq57 {shlex.join(args)} -> {code}\n{out}\n{err}"
    task = safe_load(tmp_path / "data" / "tasks" / "01-KH-2025" / "1.yaml")
    assert task["status"] == "in_progress" and task["updates"][-1]["progress"] == 30
    assert (tmp_path / "data" / "tasks" / "01-KH-2025" / "32-1.yaml").is_file()  # imported
    report = (tmp_path / "bao-cao" / "2025-09.md").read_text(encoding="utf-8")
    assert ORG.upper() in report.upper()
    assert (tmp_path / "bao-cao" / "2025-09.docx").is_file()
    code, out, _ = invoke(capsys, "validate", "--format", "json")
    assert code == 0 and json.loads(out)["errors"] == []


SHORT_NAMES = ["Văn phòng Bộ", "Vụ Pháp chế", "Vụ Kế hoạch - Tài chính"]


def write_plan_with_short_names(repo: Path) -> None:
    data = repo / "data"
    (data / "decisions" / "01-KH-2025.yaml").write_text(
        "id: 01-KH-2025\nnumber: 01/KH\ntype: ke_hoach\nissuer: Bộ Y tế\n"
        "issued: 2025-03-01\ntitle: Kế hoạch\n",
        encoding="utf-8",
    )
    folder = data / "tasks" / "01-KH-2025"
    folder.mkdir(parents=True)
    for i, name in enumerate(SHORT_NAMES, 1):
        (folder / f"{i}.yaml").write_text(
            f"id: 01-KH-2025/{i}\ndecision: 01-KH-2025\nref: '{i}'\ntitle: Việc {i}\n"
            f"lead:\n  - {name}\noutput: Kế hoạch\ndeadline: Tháng 12/2025\n",
            encoding="utf-8",
        )


def test_short_unit_names_never_mean_another_ministrys_units(capsys, tmp_path, monkeypatch):
    """In Bộ Y tế's repository, 'Văn phòng Bộ' is not the office of Bộ Khoa học và Công nghệ:
    validate warns, and counts keep the name as printed."""
    code, _, _ = invoke(capsys, "init", str(tmp_path), "--org", ORG)
    assert code == 0
    assert safe_load(tmp_path / "data" / "config.yaml")["org"] == ORG
    write_plan_with_short_names(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "validate", "--format", "json")
    warnings = [d for d in json.loads(out)["warnings"] if d["code"] == "W200"]
    assert len(warnings) == len(SHORT_NAMES)
    for name, warning in zip(SHORT_NAMES, warnings, strict=True):
        assert name in warning["message"] and ORG in warning["message"]
    most = "Bộ Khoa học và Công nghệ"
    code, out, _ = invoke(capsys, "list", "tasks", "--lead", most, "--format", "csv")
    assert code == 0 and "01-KH-2025" not in out
    code, out, _ = invoke(capsys, "list", "tasks", "--lead", "Văn phòng Bộ", "--format", "csv")
    assert code == 0 and "01-KH-2025/1" in out and "01-KH-2025/2" not in out


def test_a_registered_own_unit_takes_the_short_name(capsys, tmp_path, monkeypatch):
    invoke(capsys, "init", str(tmp_path), "--org", ORG)
    write_plan_with_short_names(tmp_path)
    registry = tmp_path / "data" / "agencies.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + "  - name: Văn phòng Bộ Y tế\n    aliases: [Văn phòng Bộ]\n"
        "    kind: unit\n    parent: Bộ Y tế\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "validate", "--format", "json")
    messages = [d["message"] for d in json.loads(out)["warnings"]]
    assert not any("'Văn phòng Bộ'" in m for m in messages)
    code, out, _ = invoke(capsys, "list", "tasks", "--lead", "Văn phòng Bộ Y tế", "--format", "csv")
    assert code == 0 and "01-KH-2025/1" in out
