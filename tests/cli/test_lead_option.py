"""--lead (status, list, export) and report --org: an unknown agency is a usage error with
the closest names, never an all-zero report; a name typed without diacritics is read as the
one agency it fits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nq57.analysis.scope import AgencyChoice, choose_agency
from nq57.check.pipeline import load

from conftest import FIXTURES, invoke

LEAD_COMMANDS = [
    ("status", "-f", "json"),
    ("list", "tasks", "-f", "json"),
    ("list", "kpis", "-f", "json"),
    ("export",),
]


PHAP_CHE = ("Vụ Pháp chế (Bộ Khoa học và Công nghệ)", "Vụ Pháp chế (Bộ Tài chính)")


@pytest.fixture(scope="module")
def minimal():
    return load([FIXTURES / "minimal"], use_cache=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bộ Tài chính", AgencyChoice("Bộ Tài chính")),  # as written
        ("bộ tài chính", AgencyChoice("bộ tài chính")),  # case: matched as it is
        ("BTC", AgencyChoice("BTC")),  # short name
        ("bo tai chinh", AgencyChoice("Bộ Tài chính")),  # no diacritics: the one it fits
        ("  Bo  Tai Chinh ", AgencyChoice("Bộ Tài chính")),
        ("cuc thue", AgencyChoice("Cục Thuế")),
        ("vu phap che", AgencyChoice(None, PHAP_CHE, ambiguous=True, units=True)),
        ("Vụ Pháp chế", AgencyChoice(None, PHAP_CHE, ambiguous=True, units=True)),
        ("Bộ Khoa hoc", AgencyChoice(None, ("Bộ Khoa học và Công nghệ",))),  # a prefix
        ("tai chinh", AgencyChoice(None, ("Bộ Tài chính", "Vụ Pháp chế (Bộ Tài chính)"))),
        ("Bộ Tài chánh", AgencyChoice(None, ("Bộ Tài chính",))),
        ("Ủy ban Olympic", AgencyChoice(None, ())),
    ],
)
def test_choose_agency(minimal, query, expected):
    assert choose_agency(minimal, query) == expected


def test_several_names_without_diacritics_are_ambiguous(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    task = data / "tasks" / "DEC-B" / "1.yaml"
    task.write_text(task.read_text("utf-8").replace("Cục Thuế", "Cục Thuê"), "utf-8")
    dataset = load([data], use_cache=False)
    assert choose_agency(dataset, "cuc thue") == AgencyChoice(
        None, ("Cục Thuê", "Cục Thuế"), ambiguous=True
    )
    assert choose_agency(dataset, "Cục Thuê") == AgencyChoice("Cục Thuê")  # used in the data


@pytest.mark.parametrize("command", LEAD_COMMANDS, ids=lambda c: " ".join(c))
def test_unknown_lead_is_a_usage_error_with_close_names(in_fixtures, capsys, command):
    code, out, err = invoke(capsys, *command, "--data", "minimal", "--lead", "Bộ Tài chánh")
    assert code == 2, out
    assert out == ""
    assert "không có cơ quan 'Bộ Tài chánh'" in err and "có phải là 'Bộ Tài chính'?" in err
    code, out, err = invoke(capsys, *command, "--data", "minimal", "--lead", "Sở Không Có")
    assert code == 2 and out == ""


@pytest.mark.parametrize("command", LEAD_COMMANDS, ids=lambda c: " ".join(c))
def test_lead_without_diacritics_gives_the_same_answer(in_fixtures, capsys, command):
    args = (*command, "--data", "status", "--as-of", "2025-07-15")
    code, exact, _ = invoke(capsys, "--lang", "en", *args, "--lead", "Bộ Tài chính")
    assert code == 0
    code, folded, err = invoke(capsys, "--lang", "en", *args, "--lead", "bo tai chinh")
    assert code == 0
    assert folded == exact
    assert "--lead 'bo tai chinh' read as 'Bộ Tài chính'" in err
    if command[0] == "status":
        assert json.loads(folded)["counts"]["total"] > 0


def test_ambiguous_lead_lists_the_names(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    task = data / "tasks" / "DEC-B" / "1.yaml"
    task.write_text(task.read_text("utf-8").replace("Cục Thuế", "Cục Thuê"), "utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(capsys, "--lang", "en", "status", "--lead", "cuc thue")
    assert code == 2
    assert "'cuc thue' could be 'Cục Thuê', 'Cục Thuế' (under Bộ Tài chính); write the name" in err


def test_report_org_follows_the_same_rule(in_fixtures, capsys):
    args = ("report", "-m", "2025-09", "--data", "report")
    code, exact, _ = invoke(capsys, *args, "--org", "Bộ Tài chính")
    assert code == 0
    code, folded, err = invoke(capsys, *args, "--org", "bo tai chinh")
    assert code == 0 and folded == exact
    assert "--org 'bo tai chinh' được hiểu là 'Bộ Tài chính'" in err
    code, out, err = invoke(capsys, *args, "--org", "Sở Không Có")
    assert code == 2 and out == ""


def test_registry_agency_without_tasks_is_not_unknown(tmp_path, capsys):
    data = Path(shutil.copytree(FIXTURES / "minimal", tmp_path / "data"))
    registry = data / "agencies.yaml"
    registry.write_text(
        registry.read_text("utf-8") + "  - name: Bộ Y tế\n    kind: ministry\n", "utf-8"
    )
    code, out, _ = invoke(capsys, "status", "--data", str(data), "--lead", "bo y te", "-f", "json")
    assert code == 0
    assert json.loads(out)["counts"]["total"] == 0


def test_a_unit_name_of_several_bodies_is_a_usage_error_naming_them(in_fixtures, capsys):
    """Issue 18: "Vụ Pháp chế" silently merged the legal departments of two ministries."""
    code, out, err = invoke(
        capsys, "--lang", "en", "status", "--data", "minimal", "--lead", "Vụ Pháp chế"
    )
    assert code == 2 and out == ""
    assert (
        "'Vụ Pháp chế' names a unit of several bodies: "
        "'Vụ Pháp chế (Bộ Khoa học và Công nghệ)' (under Bộ Khoa học và Công nghệ), "
        "'Vụ Pháp chế (Bộ Tài chính)' (under Bộ Tài chính)"
    ) in err


def test_a_unit_name_means_the_unit_of_the_repository_organisation(tmp_path, capsys):
    data = Path(shutil.copytree(FIXTURES / "minimal", tmp_path / "data"))
    (data / "config.yaml").write_text("org: Bộ Tài chính\n", "utf-8")
    code, _, err = invoke(capsys, "status", "--data", str(data), "--lead", "Vụ Pháp chế")
    assert code == 0, err
    assert "--lead 'Vụ Pháp chế' được hiểu là 'Vụ Pháp chế (Bộ Tài chính)'" in err


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("Bộ Khoa hoc", "'Bộ Khoa học và Công nghệ'"),  # prefix, a diacritic missing
        ("Cục", "'Cục Thuế' (thuộc Bộ Tài chính)"),  # prefix of a word
        ("Bo Tai chin", "'Bộ Tài chính'"),  # fuzzy
    ],
)
def test_an_unknown_name_is_offered_the_closest_registry_names(in_fixtures, capsys, query, offered):
    code, out, err = invoke(capsys, "status", "--data", "minimal", "--lead", query)
    assert code == 2 and out == ""
    assert f"không có cơ quan '{query}'" in err and "có phải là " in err
    assert offered in err.split("có phải là ", 1)[1]
