"""history and changes on a scratch git repository with dated commits."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq57.analysis.changes import Change, list_changes
from nq57.analysis.history import Point, history_points, period_ends
from nq57.analysis.status import build_status
from nq57.check.pipeline import load
from scratch_git import build

D = dt.date


@pytest.fixture
def repo(tmp_path):
    return build(tmp_path / "repo")


def test_period_ends_by_month_and_quarter():
    assert period_ends("2025-01", "2025-03") == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]
    assert period_ends("2025-02", "2025-12", "quarter") == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert period_ends("2024-12", "2025-01") == [D(2024, 12, 31), D(2025, 1, 31)]
    assert period_ends("2025-05", "2025-04") == []


def test_a_task_added_in_august_is_counted_from_august(repo):
    repo, shas = repo
    points = history_points(repo.data, period_ends("2025-05", "2025-10"))
    assert [p.counts["total"] for p in points] == [0, 1, 1, 2, 2, 2]
    assert [p.commit for p in points] == [
        None,
        shas["june"],
        shas["june"],
        shas["august"],
        shas["august"],
        shas["kpi"],
    ]
    assert all(isinstance(p, Point) for p in points)


def test_each_point_is_what_status_said_then(repo):
    repo, _ = repo
    september, october = history_points(repo.data, [D(2025, 9, 30), D(2025, 10, 31)])
    # 30/09: task 1 (Tháng 9/2025) is due that day; by 31/10 it was extended to 03/2026.
    assert september.counts["due_soon"] == 1 and september.counts["overdue"] == 0
    assert october.counts["overdue"] == 0 and october.counts["on_track"] == 2
    now = build_status(load([repo.data], warnings=False), D(2025, 10, 31)).counts
    assert october.counts == now


def test_as_now_classifies_todays_data_at_each_date(repo):
    repo, _ = repo
    points = history_points(repo.data, [D(2025, 7, 31), D(2025, 10, 31)], as_now=True)
    assert [p.counts["total"] for p in points] == [2, 2]
    assert [p.commit for p in points] == [None, None]


def test_history_in_the_scope_of_one_lead(repo):
    repo, _ = repo
    points = history_points(repo.data, [D(2025, 8, 31)], leads=["Bộ Tài chính"])
    assert points[0].counts["total"] == 1
    both = history_points(
        repo.data, [D(2025, 8, 31)], leads=["Bộ Tài chính", "Bộ Khoa học và Công nghệ"]
    )
    assert both[0].counts["total"] == 2


def test_an_extension_appears_with_old_and_new_values(repo):
    repo, shas = repo
    data = load([repo.data], warnings=False)
    entries, with_git = list_changes(repo.data, data, D(2025, 10, 1), D(2025, 10, 31))
    assert with_git
    extension = [c for c in entries if c.kind == "deadline_changed"]
    assert extension == [
        Change(
            id="DEC-A/1",
            kind="deadline_changed",
            date=D(2025, 10, 6),
            field="deadline",
            old="Tháng 9/2025",
            new="Tháng 3/2026",
            note=None,
            commit=shas["october"],
            entity="task",
            agency="Bộ Khoa học và Công nghệ",
        )
    ]
    kinds = [(c.kind, c.id, c.date) for c in entries]
    assert entries == sorted(entries, key=lambda c: (c.date, c.id))
    assert ("updated", "DEC-A/2", D(2025, 10, 5)) in kinds
    assert ("measured", "DEC-A/1", D(2025, 10, 20)) in kinds
    assert ("added", "DEC-A/1", D(2025, 10, 21)) in kinds  # the KPI
    status = [c for c in entries if c.kind == "edited"]
    assert [(c.id, c.field, c.old, c.new) for c in status] == [
        ("DEC-A/2", "status", "not_started", "in_progress")
    ]


def test_changes_from_the_first_commit_list_what_was_added(repo):
    repo, shas = repo
    data = load([repo.data], warnings=False)
    entries, _ = list_changes(repo.data, data, D(2025, 6, 1), D(2025, 8, 31))
    added = [(c.id, c.date, c.commit) for c in entries if c.kind == "added"]
    assert added == [
        ("DEC-A/1", D(2025, 6, 15), shas["june"]),
        ("DEC-A/2", D(2025, 8, 10), shas["august"]),
    ]


def test_became_overdue_and_scope(repo):
    repo, _ = repo
    data = load([repo.data], warnings=False)
    entries, _ = list_changes(repo.data, data, D(2026, 1, 1), D(2026, 1, 31))
    assert [(c.kind, c.id, c.date, c.new) for c in entries] == [
        ("became_overdue", "DEC-A/2", D(2026, 1, 1), "2025-12-31")
    ]
    mine, _ = list_changes(repo.data, data, D(2025, 6, 1), D(2025, 12, 31), leads=["Bộ Tài chính"])
    assert {c.id for c in mine} == {"DEC-A/2"} and all(c.entity == "task" for c in mine)
    assert {c.agency for c in mine} == {"Bộ Tài chính"}


def test_without_git_only_what_the_data_dates(tmp_path, monkeypatch, copy_fixture):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = copy_fixture("minimal")
    data = load([folder], warnings=False)
    entries, with_git = list_changes(folder, data, D(2025, 1, 1), D(2025, 12, 31))
    assert not with_git
    assert entries and {c.commit for c in entries} == {None}
    assert {c.kind for c in entries} <= {"updated", "measured", "completed", "cancelled",
                                         "became_overdue"}  # fmt: skip
    points = history_points(folder, [D(2025, 6, 30)])
    assert points[0].commit is None and points[0].counts["total"] == len(data.tasks)


@given(
    st.integers(1900, 2199),
    st.integers(1, 12),
    st.integers(0, 40),
    st.sampled_from(["month", "quarter"]),
)
def test_period_ends_are_the_month_or_quarter_ends_in_the_range(year, month, months, step):
    start = D(year, month, 1)
    end_index = year * 12 + month - 1 + months
    end = D(end_index // 12, end_index % 12 + 1, 1)
    ends = period_ends(f"{start:%Y-%m}", f"{end:%Y-%m}", step)
    assert ends == sorted(set(ends))
    assert all((e + dt.timedelta(days=1)).day == 1 for e in ends)
    if step == "month":
        assert len(ends) == months + 1 and ends[0].month == month and ends[-1].month == end.month
    else:
        assert all(e.month in (3, 6, 9, 12) for e in ends)
        assert ends[0] >= start and ends[-1] >= end and ends[-1] - end < dt.timedelta(days=92)
