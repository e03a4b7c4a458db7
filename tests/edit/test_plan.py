"""nq57.edit.plan: the business rules of an edit and their refusals (fixture files:
tests/fixtures/edit)."""

from __future__ import annotations

import datetime as dt

import pytest

from edit_helpers import plain, read
from nq57.edit.ops import AppendItem, RemoveField, SetField
from nq57.edit.plan import plan_kpi_record, plan_task_done, plan_task_update
from nq57.edit.splice import edit_text
from nq57.errors import EditError

from conftest import FIXTURES

EDIT = FIXTURES / "edit"
DAY = dt.date(2025, 7, 15)


def test_update_needs_something_to_record():
    with pytest.raises(EditError, match="không có gì để ghi") as info:
        plan_task_update({"id": "X/1"}, date=DAY, note="  ")
    assert info.value.exit_code == 2


def test_update_to_done_points_to_task_done():
    with pytest.raises(EditError, match=r"nq57 task done X/1 --date"):
        plan_task_update({"id": "X/1", "status": "in_progress"}, date=DAY, status="done")


def test_update_with_status_done_on_a_done_task_is_allowed():
    task = plain(read("tasks/DEC-E/done.yaml"))
    ops = plan_task_update(task, date=DAY, status="done", note="nghiệm thu").ops
    assert ops == [AppendItem("updates", {"date": DAY, "status": "done", "note": "nghiệm thu"})]


@pytest.mark.parametrize(
    "change", [{"status": "in_progress"}, {"progress": 10}, {"status": "cancelled"}], ids=str
)
@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_changing_a_finished_task_is_refused_with_how_to_reopen(change, status):
    task = {**plain(read("tasks/DEC-E/done.yaml")), "status": status}
    if change.get("status") == status:
        return
    with pytest.raises(
        EditError, match="đã kết thúc .status: .*--reopen --status in_progress"
    ) as info:
        plan_task_update(task, date=DAY, **change)
    assert info.value.exit_code == 1


def test_a_note_or_the_same_state_on_a_finished_task_needs_no_reopening():
    task = plain(read("tasks/DEC-E/done.yaml"))
    for change in ({"note": "nghiệm thu"}, {"progress": 100, "note": "x"}, {"status": "done"}):
        assert plan_task_update(task, date=DAY, **change).ops[-1].key == "updates"


def test_reopen_sets_an_open_status_and_removes_completed():
    task = plain(read("tasks/DEC-E/done.yaml"))
    ops = plan_task_update(task, date=DAY, progress=80, reopen=True).ops
    assert ops == [
        SetField("status", "in_progress"),
        RemoveField("completed"),
        AppendItem("updates", {"date": DAY, "status": "in_progress", "progress": 80}),
    ]
    new = edit_text(read("tasks/DEC-E/done.yaml"), ops)
    assert "completed" not in new and "status: in_progress\nupdates:" in new


@pytest.mark.parametrize(
    ("task", "status", "message"),
    [
        ({"id": "X/1", "status": "in_progress"}, None, "chưa kết thúc"),
        (
            {"id": "X/1", "status": "done", "completed": "2025-01-01"},
            "cancelled",
            "trạng thái đang mở",
        ),
        ({"id": "X/1", "status": "done", "completed": "2025-01-01"}, "done", "trạng thái đang mở"),
    ],
)
def test_reopen_misuse_is_a_usage_error(task, status, message):
    with pytest.raises(EditError, match=message) as info:
        plan_task_update(task, date=DAY, status=status, reopen=True)
    assert info.value.exit_code == 2


def test_done_on_a_cancelled_task_needs_reopening():
    with pytest.raises(EditError, match="--reopen"):
        plan_task_done({"id": "X/1", "status": "cancelled"}, date=DAY)


def test_same_status_does_not_touch_the_status_line():
    task = plain(read("tasks/DEC-E/styled.yaml"))
    ops = plan_task_update(task, date=DAY, status="in_progress", progress=60).ops
    assert [type(op) for op in ops] == [AppendItem]


def test_identical_update_is_refused():
    task = plain(read("tasks/DEC-E/done.yaml"))
    with pytest.raises(EditError, match="đã có đúng cập nhật này"):
        plan_task_update(task, date=dt.date(2025, 6, 20), status="done", progress=100)


def test_done_twice_is_refused():
    with pytest.raises(EditError, match="đã hoàn thành .completed 2025-06-20.; không thay đổi gì"):
        plan_task_done(plain(read("tasks/DEC-E/done.yaml")), date=DAY)


def test_kpi_rules():
    kpi = plain(read("kpis/DEC-E/k1.yaml"))
    with pytest.raises(EditError, match="đã có đúng số đo này"):
        plan_kpi_record(kpi, date=dt.date(2025, 3, 31), value=52, source="Báo cáo quý I")
    with pytest.raises(EditError, match="không phải là một số hữu hạn"):
        plan_kpi_record(kpi, date=DAY, value=float("nan"))
    assert (
        plan_kpi_record(kpi, date=DAY, value=81).summary
        == "Đã ghi số đo cho DEC-E/k1 (2025-07-15): 81%"
    )


def test_summaries():
    task = plain(read("tasks/DEC-E/plain.yaml"))
    assert (
        plan_task_update(task, date=DAY, status="in_progress", progress=40).summary
        == "Đã ghi cập nhật cho DEC-E/plain (2025-07-15): in_progress, 40%"
    )
    assert (
        plan_task_update(task, date=DAY, note="Đã họp").summary
        == "Đã ghi cập nhật cho DEC-E/plain (2025-07-15): ghi chú: Đã họp"
    )
    assert (
        plan_task_done(task, date=DAY).summary
        == "Đã ghi hoàn thành cho DEC-E/plain (2025-07-15): done, 100%"
    )
