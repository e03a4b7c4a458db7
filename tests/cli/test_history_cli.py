"""`nq57 history` and `nq57 changes` end to end: JSON shapes, tables, no-git notice."""

from __future__ import annotations

import json

import pytest

from scratch_git import build

from conftest import check_golden, invoke

COUNT_KEYS = {
    "total", "done", "overdue", "upcoming", "stale", "due_soon", "on_track",
    "no_deadline", "done_on_time", "done_late", "cancelled",
}  # fmt: skip
CHANGE_KEYS = ["id", "kind", "date", "field", "old", "new", "note", "commit", "entity", "agency"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo, shas = build(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo, shas


def test_history_json_is_a_list_of_points_with_the_status_counts(repo, capsys):
    _, shas = repo
    code, out, err = invoke(capsys, "history", "--from", "2025-07", "--to", "2025-09",
                            "--format", "json")  # fmt: skip
    assert code == 0 and err == ""
    points = json.loads(out)
    assert [(p["date"], p["commit"], p["counts"]["total"]) for p in points] == [
        ("2025-07-31", shas["june"], 1),
        ("2025-08-31", shas["august"], 2),
        ("2025-09-30", shas["august"], 2),
    ]
    assert all(list(p) == ["date", "commit", "counts"] for p in points)
    assert all(set(p["counts"]) == COUNT_KEYS for p in points)
    code, status, _ = invoke(capsys, "status", "--as-of", "2025-09-30", "--format", "json")
    # the data has not changed since August in the fields that count on 30/09
    assert json.loads(status)["counts"]["total"] == points[-1]["counts"]["total"]


def test_history_by_quarter_csv_and_table(repo, capsys):
    code, out, _ = invoke(capsys, "history", "--from", "2025-04", "--to", "2025-12",
                          "--step", "quarter", "--format", "csv")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("date,commit,total,done,overdue")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "2025-06-30", "2025-09-30", "2025-12-31",
    ]  # fmt: skip
    code, out, _ = invoke(capsys, "history", "--from", "2025-05", "--to", "2025-10")
    assert code == 0
    check_golden("history_table.txt", out)


def test_changes_table_groups_by_agency(repo, capsys):
    code, out, err = invoke(capsys, "changes", "--since", "2025-06-01", "--until", "31/12/2025")
    assert code == 0 and err == ""
    check_golden("changes_table.txt", out)


def test_changes_json_entries_sorted_by_date_then_id(repo, capsys):
    _, shas = repo
    code, out, _ = invoke(capsys, "changes", "--since", "2025-10-01", "--until", "2025-10-31",
                          "--format", "json")  # fmt: skip
    assert code == 0
    entries = json.loads(out)
    assert all(list(e) == CHANGE_KEYS for e in entries)
    assert [(e["date"], e["id"]) for e in entries] == sorted((e["date"], e["id"]) for e in entries)
    extension = next(e for e in entries if e["kind"] == "deadline_changed")
    assert (extension["old"], extension["new"], extension["commit"]) == (
        "Tháng 9/2025", "Tháng 3/2026", shas["october"],
    )  # fmt: skip
    code, out, _ = invoke(capsys, "changes", "--since", "2025-10-01", "--until", "2025-10-31",
                          "--format", "csv")  # fmt: skip
    assert out.splitlines()[0] == ",".join(CHANGE_KEYS)


def test_filters_are_resolved_like_status(repo, capsys):
    code, out, err = invoke(capsys, "changes", "--since", "2025-06-01", "--until", "2025-12-31",
                            "--lead", "bo tai chinh", "--format", "json")  # fmt: skip
    assert code == 0 and "Bộ Tài chính" in err
    assert {e["id"] for e in json.loads(out)} == {"DEC-A/2"}
    code, _, err = invoke(capsys, "changes", "--since", "2025-06-01", "--lead", "Bộ Tài chánh")
    assert code == 2 and "Bộ Tài chính" in err
    code, _, err = invoke(capsys, "history", "--from", "2025-06", "--to", "2025-07",
                          "--decision", "NO-SUCH")  # fmt: skip
    assert code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("history", "--from", "2025-13", "--to", "2025-12"),
        ("history", "--from", "2025-09", "--to", "2025-06"),
        ("history", "--from", "2025-01", "--to", "2025-06", "--step", "week"),
        ("changes", "--since", "2025-10-01", "--until", "2025-09-01"),
    ],
)
def test_bad_arguments_are_usage_errors(repo, capsys, args):
    code, _, err = invoke(capsys, *args)
    assert code == 2 and "Traceback" not in err


def test_without_git_a_notice_once_and_what_the_data_gives(
    tmp_path, monkeypatch, copy_fixture, capsys
):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = copy_fixture("minimal")
    code, out, err = invoke(capsys, "changes", "--since", "2025-01-01", "--until", "2025-12-31",
                            "--data", str(folder), "--format", "json")  # fmt: skip
    assert code == 0 and err.count("\n") == 1 and "git" in err
    assert {e["commit"] for e in json.loads(out)} == {None}
    code, out, err = invoke(capsys, "history", "--from", "2025-05", "--to", "2025-06",
                            "--data", str(folder), "--format", "json")  # fmt: skip
    assert code == 0 and err.count("\n") == 1
    assert [p["commit"] for p in json.loads(out)] == [None, None]
    code, out, err = invoke(capsys, "--lang", "en", "history", "--from", "2025-05", "--to",
                            "2025-06", "--data", str(folder), "--as-now")  # fmt: skip
    assert code == 0 and err == ""


def test_a_data_folder_never_committed_has_no_history(tmp_path, copy_fixture, capsys):
    repo, _ = build(tmp_path / "repo")
    folder = copy_fixture("minimal")
    target = repo.root / "other-data"
    folder.rename(target)  # inside the work tree, untracked
    code, out, err = invoke(capsys, "history", "--from", "2025-06", "--to", "2025-06",
                            "--data", str(target), "--format", "json")  # fmt: skip
    assert code == 0 and err.count("\n") == 1 and "git" in err
    assert json.loads(out)[0]["counts"]["total"] == 3


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_tables_never_cut_dates_or_counts(repo, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = invoke(capsys, "history", "--from", "2025-05", "--to", "2025-10")
    assert code == 0 and all(len(line) <= int(columns) for line in out.splitlines())
    rows = [line.split() for line in out.splitlines() if line.strip()[:2].isdigit()]
    assert [row[0] for row in rows] == [
        "31/05/2025", "30/06/2025", "31/07/2025", "31/08/2025", "30/09/2025", "31/10/2025",
    ]  # fmt: skip
    assert all(cell.isdigit() or cell == "—" or len(cell) == 8 for row in rows for cell in row[1:])
    code, out, _ = invoke(capsys, "changes", "--since", "2025-06-01", "--until", "2025-12-31")
    assert code == 0 and all(len(line) <= int(columns) for line in out.splitlines())
    assert "15/06/2025" in out and "DEC-A/1 (chỉ tiêu)" in out


def test_a_shallow_clone_is_said_to_have_a_cut_history(repo, capsys, tmp_path, monkeypatch):
    source, _ = repo
    clone = tmp_path / "clone"
    source.git("clone", "-q", "--depth", "1", f"file://{source.root}", str(clone))
    monkeypatch.chdir(clone)
    code, out, err = invoke(capsys, "history", "--from", "2025-10", "--to", "2025-10",
                            "--format", "json")  # fmt: skip
    assert code == 0 and "shallow" in err and err.count("\n") == 1
    assert json.loads(out)[0]["counts"]["total"] == 2


def test_months_before_the_first_commit_show_dashes_not_zeros(repo, capsys):
    code, out, _ = invoke(capsys, "history", "--from", "2025-04", "--to", "2025-07")
    assert code == 0
    first = next(line for line in out.splitlines() if line.strip().startswith("30/04/2025"))
    assert "—" in first and " 0 " not in first
    assert "trước commit đầu tiên" in out


def test_history_json_and_csv_mark_dates_before_the_first_commit(repo, capsys):
    """Before the first commit (15/06/2025) nothing was recorded: one point per period end
    still, with ``counts: null`` (the table's dashes), never a row of zeros."""
    args = ("history", "--from", "2025-05", "--to", "2025-07")
    code, out, _ = invoke(capsys, *args, "--format", "json")
    assert code == 0
    points = json.loads(out)
    assert [p["date"] for p in points] == ["2025-05-31", "2025-06-30", "2025-07-31"]
    assert points[0] == {"date": "2025-05-31", "commit": None, "counts": None}
    assert all(set(p["counts"]) == COUNT_KEYS for p in points[1:])
    assert points[1]["counts"]["total"] == 1
    code, out, _ = invoke(capsys, *args, "--format", "csv")
    assert code == 0
    check_golden("history_before_first_commit.csv", out.replace(points[1]["commit"], "SHA"))
    assert out.splitlines()[1] == "2025-05-31" + "," * (len(COUNT_KEYS) + 1)


TASK = """\
id: DEC-A/{n}
decision: DEC-A
ref: '{n}'
title: Nhiệm vụ {n}
{lead}{field}"""
LEAD = "lead: [Bộ Tài chính]\n"
SET_FIRST = {  # n: (the field in June, in October); each one set for the first time
    1: ("due: null\n", "due: 2026-03-31\n"),
    2: ("", "due: 2026-03-31\n"),
    3: ("deadline: ''\n", "deadline: Tháng 3/2026\n"),
}
NOTHING_TO_NOTHING = {  # null, blank or empty before and after: no change at all
    4: ("due: null\n", ""),
    5: ("due: ''\n", "due:\n"),
    6: ("deadline: ' '\n", "deadline: null\n"),
}


@pytest.fixture
def first_values(tmp_path, monkeypatch):
    """A plan whose tasks get a deadline for the first time, or go from one kind of
    nothing to another (null, blank, absent), in an October commit."""
    scratch, _ = build(tmp_path / "repo")
    cases = {**SET_FIRST, **NOTHING_TO_NOTHING}
    for n, (before, _) in cases.items():
        scratch.write(f"tasks/DEC-A/{n + 10}.yaml", TASK.format(n=n + 10, lead=LEAD, field=before))
    scratch.write("tasks/DEC-A/17.yaml", TASK.format(n=17, lead="lead: []\n", field=""))
    scratch.commit("2025-10-01T09:00:00+07:00", "Nhiệm vụ chưa có hạn")
    for n, (_, after) in cases.items():
        scratch.write(f"tasks/DEC-A/{n + 10}.yaml", TASK.format(n=n + 10, lead=LEAD, field=after))
    scratch.write("tasks/DEC-A/17.yaml", TASK.format(n=17, lead="", field=""))
    scratch.commit("2025-10-15T09:00:00+07:00", "Giao hạn")
    monkeypatch.chdir(scratch.root)


def test_a_deadline_set_for_the_first_time_changes_from_a_dash(first_values, capsys):
    window = ("--since", "2025-10-15", "--until", "2025-10-15")
    code, out, err = invoke(capsys, "changes", *window, "--format", "json")
    assert code == 0, err
    entries = json.loads(out)
    assert [(e["id"], e["kind"], e["field"], e["old"], e["new"]) for e in entries] == [
        ("DEC-A/11", "deadline_changed", "due", None, "2026-03-31"),
        ("DEC-A/12", "deadline_changed", "due", None, "2026-03-31"),
        ("DEC-A/13", "deadline_changed", "deadline", None, "Tháng 3/2026"),
    ]  # null -> absent, blank -> null, [] -> absent: not listed
    code, out, _ = invoke(capsys, "changes", *window)
    assert code == 0
    check_golden("changes_set_first.txt", out)
    assert "hạn: — → 31/03/2026" in out and "thời hạn: — → Tháng 3/2026" in out
    code, out, err = invoke(capsys, "report", "-m", "2025-10", "--no-charts", "--appendix", "none")
    assert code == 0, err
    start = out.index("Nhiệm vụ được điều chỉnh thời hạn")
    extended = out[start : out.index("###", start)]
    assert "| Nhiệm vụ 11 (1/NQ-CP, nhiệm vụ 11) | — | 31/03/2026 |" in extended
    assert "| Nhiệm vụ 13 (1/NQ-CP, nhiệm vụ 13) | — | Tháng 3/2026 |" in extended
    assert "Nhiệm vụ 14" not in extended and "Nhiệm vụ 15" not in extended


def test_a_file_broken_then_repaired_is_neither_added_nor_removed(tmp_path, monkeypatch, capsys):
    """A commit that breaks a task's YAML and one that repairs it change no tracked field
    anyone can read: the task was not removed, then added again."""
    scratch, _ = build(tmp_path / "repo")
    scratch.write("tasks/DEC-A/20.yaml", TASK.format(n=20, lead=LEAD, field=""))
    scratch.commit("2025-10-01T09:00:00+07:00", "Nhiệm vụ 20")
    scratch.write("tasks/DEC-A/20.yaml", TASK.format(n=20, lead=LEAD, field="due: [\n"))
    scratch.commit("2025-10-05T09:00:00+07:00", "Hỏng")
    scratch.write("tasks/DEC-A/20.yaml", TASK.format(n=20, lead=LEAD, field="due: 2026-03-31\n"))
    scratch.commit("2025-10-09T09:00:00+07:00", "Sửa")
    monkeypatch.chdir(scratch.root)
    code, out, err = invoke(
        capsys, "changes", "--since", "2025-10-01", "--until", "2025-10-31", "--format", "json"
    )
    assert code == 0, err
    assert [(e["id"], e["kind"], e["date"]) for e in json.loads(out) if e["id"] == "DEC-A/20"] == [
        ("DEC-A/20", "added", "2025-10-01")
    ]
