"""`nq57 validate --format gitlab` (GitLab Code Quality) and the example CI files in
docs/ci/ that use it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import typer.main
import yaml

from nq57.cli.app import app
from nq57.diagnostics import Diagnostic
from nq57.render.diagnostics import as_gitlab

from conftest import FIXTURES, invoke

CI = Path(__file__).resolve().parents[2] / "docs" / "ci"


def test_gitlab_report_has_the_code_quality_shape(capsys, in_fixtures):
    code, out, _ = invoke(capsys, "validate", "--format", "gitlab", "--data", "broken")
    assert code == 1, "errors still fail the job"
    issues = json.loads(out)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert re.fullmatch(r"[EW]\d{3}", issue["check_name"])
        assert issue["description"].startswith(issue["check_name"] + " ")
        assert issue["severity"] == ("major" if issue["check_name"][0] == "E" else "minor")
        assert re.fullmatch(r"[0-9a-f]{40}", issue["fingerprint"])
        assert set(issue["location"]) == {"path", "lines"}
        assert issue["location"]["path"].startswith("broken/"), "relative, as GitLab wants"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    assert {i["severity"] for i in issues} == {"major", "minor"}
    assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints are unique"


def test_gitlab_fingerprints_are_stable_and_follow_the_problem():
    problem = Diagnostic("data/tasks/D/1.yaml", 4, 8, "E114", "due: not a date")
    first = json.loads(as_gitlab([problem]))[0]
    assert first["fingerprint"] == json.loads(as_gitlab([problem]))[0]["fingerprint"]
    moved = Diagnostic("data/tasks/D/1.yaml", 5, 8, "E114", "due: not a date")
    assert json.loads(as_gitlab([moved]))[0]["fingerprint"] != first["fingerprint"]
    other_column = Diagnostic("data/tasks/D/1.yaml", 4, 1, "E114", "due: not a date")
    assert json.loads(as_gitlab([other_column]))[0]["fingerprint"] == first["fingerprint"]
    assert first["location"] == {"path": "data/tasks/D/1.yaml", "lines": {"begin": 4}}


def test_whole_file_problems_point_at_line_1():
    whole = Diagnostic("data/tasks/D/x.txt", 0, 0, "W208", "not a YAML file; ignored")
    (issue,) = json.loads(as_gitlab([whole]))
    assert issue["location"]["lines"]["begin"] == 1 and issue["severity"] == "minor"


def test_clean_data_gives_an_empty_report(capsys):
    code, out, _ = invoke(capsys, "validate", "-f", "gitlab", "--data", str(FIXTURES / "minimal"))
    assert (code, json.loads(out)) == (0, [])


# --- the example pipelines ------------------------------------------------------------------------


def _shell(node) -> list[str]:
    """The shell lines of a CI file: GitHub steps' `run`, GitLab jobs' `script`."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                found.append(value)
            elif key in ("script", "before_script") and isinstance(value, list):
                found.extend(value)
            else:
                found.extend(_shell(value))
        return found
    if isinstance(node, list):
        return [line for item in node for line in _shell(item)]
    return []


def _nq57_commands(document) -> list[list[str]]:
    commands = []
    for script in _shell(document):
        for line in script.replace("\n", " ").split(" || ")[0:1]:
            if "nq57 " in line:
                words = shlex.split(line[line.index("nq57 ") :].split(">")[0])
                commands.append(words[1:])
    return commands


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_use_real_commands_and_options(name):
    commands = _nq57_commands(yaml.safe_load((CI / name).read_text(encoding="utf-8")))
    assert {words[0] for words in commands} == {"validate", "fmt", "report"}
    cli = typer.main.get_command(app)
    for words in commands:
        command = cli.get_command(None, words[0])  # type: ignore[attr-defined]  # a group
        assert command is not None, words
        options = {opt for param in command.params for opt in param.opts}
        used = {word for word in words[1:] if word.startswith("-")}
        assert used <= options, f"{name}: {words} uses unknown options {used - options}"


def test_ci_examples_run_the_intended_checks():
    github = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in github["jobs"]["validate"]["steps"]]
    assert any("nq57 validate" in s and "--format github" in s for s in steps)
    report = github["jobs"]["monthly-report"]["steps"]
    assert any("--format both" in s.get("run", "") for s in report)
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in report)
    gitlab = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["validate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    assert any("--format gitlab > gl-code-quality.json" in s for s in gitlab["validate"]["script"])
    assert gitlab["monthly-report"]["artifacts"]["paths"] == ["reports/"]


WORKFLOWS = [
    CI / "github-actions.yml",
    CI / "parquet-export.yml",
    CI.parents[1] / "src" / "nq57" / "defaults" / "init" / "workflow.yml",
]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_setup_python_never_caches_without_a_file_the_data_repository_has(path):
    """Issue 15: `cache: pip` makes setup-python fail in a data repository, which has no
    requirements.txt or pyproject.toml ("No file matched to [**/requirements.txt ...]")."""
    text = path.read_text(encoding="utf-8").replace("@NQ57_REPO_URL@@@NQ57_REV@", "x")
    steps = [
        step
        for job in yaml.safe_load(text)["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/setup-python")
    ]
    assert steps
    for step in steps:
        options = step.get("with", {})
        assert "cache" not in options or "cache-dependency-path" in options, step
