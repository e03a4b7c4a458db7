"""Rolled-up task progress, hand-computed for tests/fixtures/cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from nq57.analysis.progress import Progress, latest_update, mean_progress, task_progress
from nq57.check.pipeline import load
from nq57.model.entities import Task, Update

from conftest import FIXTURES


@pytest.fixture(scope="module")
def data():
    return load([FIXTURES / "cycle"], use_cache=False)


def test_progress_as_of_mid_september(data):
    progress = task_progress(data, dt.date(2025, 9, 15))
    assert progress == {
        "KH-1/1.1": Progress(100, "done"),
        "KH-1/1.2": Progress(40, "reported"),
        "KH-2/1": Progress(70, "reported"),
        # (100·1 + 40·1 + 70·2) / 4: KH-2/1 has weight 2 and sits in another plan.
        "KH-1/1": Progress(70, "children"),
        "KH-1/2": Progress(0, "none"),
        "KH-1/3": Progress(None, "none"),  # cancelled
        "KH-1/4": Progress(0, "none"),
    }


def test_progress_ignores_what_happened_after_the_date(data):
    progress = task_progress(data, dt.date(2025, 8, 5))
    assert progress["KH-1/1.1"] == Progress(0, "none")  # completed on 10/08
    assert progress["KH-1/1.2"] == Progress(0, "none")  # reported on 28/08
    assert progress["KH-1/1"] == Progress(35, "children")  # (0 + 0 + 140) / 4
    assert progress["KH-1/3"] == Progress(None, "none")  # cancelled on 01/07


def _task(**fields) -> Task:
    return Task(id="X/1", decision="X", ref="1", title="t", **fields)


def test_latest_update_prefers_the_last_listed_of_one_day():
    first = Update(date=dt.date(2025, 9, 1), progress=10)
    second = Update(date=dt.date(2025, 9, 1), progress=20)
    later = Update(date=dt.date(2025, 10, 1), progress=90)
    task = _task(updates=[first, second, later])
    assert latest_update(task, dt.date(2025, 9, 30)) is second
    assert latest_update(task, dt.date(2025, 8, 31)) is None


def test_a_progress_free_update_does_not_hide_an_earlier_figure(data):
    task = _task(
        updates=[
            Update(date=dt.date(2025, 9, 1), progress=30),
            Update(date=dt.date(2025, 9, 20), note="đang làm"),
        ]
    )
    data = type(data)(roots=[], tasks={task.id: task})
    assert task_progress(data, dt.date(2025, 9, 30)) == {"X/1": Progress(30, "reported")}


def test_children_all_cancelled_fall_back_to_the_parents_own_figure():
    parent = _task(updates=[Update(date=dt.date(2025, 9, 1), progress=25)])
    child = Task(id="X/2", decision="X", ref="2", title="c", parent="X/1", status="cancelled")
    from nq57.model.dataset import DataSet

    data = DataSet(roots=[], tasks={parent.id: parent, child.id: child})
    assert task_progress(data, dt.date(2025, 9, 30))["X/1"] == Progress(25, "reported")


def test_mean_progress_leaves_out_cancelled():
    values = [Progress(100, "done"), Progress(None, "none"), Progress(45, "reported")]
    assert mean_progress(values) == 73  # 72.5 rounds half up
    assert mean_progress([Progress(None, "none")]) is None
