"""Edits on randomly generated valid task files change only the intended lines."""

from __future__ import annotations

import datetime as dt
import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.edit.ops import expected_data
from nq57.edit.plan import plan_task_done, plan_task_update
from nq57.edit.splice import edit_text
from nq57.io.fastyaml import load as fast_load
from nq57.io.loader import to_plain
from nq57.io.yamlio import checked_yaml, dump_mapping
from nq57.model.entities import Task

DAY = dt.date(2025, 7, 15)
_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())
_agencies = st.lists(_text, max_size=3)


@st.composite
def valid_tasks(draw) -> dict:
    task = {
        "id": "D/1",
        "decision": "D",
        "ref": draw(st.sampled_from(["1.", "(7)", "1.1", "", "10a"])),
        "title": draw(_text),
    }
    for key, strategy in (
        ("section", _text),
        ("lead", _agencies),
        ("support", _agencies),
        ("output", _text),
        ("deadline", st.one_of(_text, st.integers(2020, 2030))),
        ("status", st.sampled_from(["not_started", "in_progress"])),
    ):
        if draw(st.booleans()):
            task[key] = draw(strategy)
    if draw(st.booleans()):
        task["updates"] = [
            {"date": "2025-01-0" + str(i + 1), "progress": draw(st.integers(0, 100))}
            for i in range(draw(st.integers(1, 3)))
        ]
    return task


def read_back(text: str) -> dict:
    return to_plain(checked_yaml().load(text))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(task=valid_tasks(), note=_text, progress=st.integers(0, 100), done=st.booleans())
def test_edit_changes_only_the_intended_lines(task, note, progress, done):
    before = dump_mapping(task)
    assert read_back(before) == task
    Task.model_validate(read_back(before))  # the generated file is valid
    plan = (
        plan_task_done(task, date=DAY, note=note)
        if done
        else plan_task_update(task, date=DAY, progress=progress, note=note)
    )
    after = edit_text(before, plan.ops)

    # the loader sees the same data plus the edit, with both readers
    assert read_back(after) == expected_data(task, plan.ops)
    try:
        assert fast_load(after) == read_back(after)
    except Exception as exc:  # the fast reader may decline a file; it must not differ
        assert type(exc).__name__ == "Unsupported"

    # no old line is lost; only lines of a field the edit sets are replaced
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    changed = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert all(tag in ("insert", "replace") for tag, *_ in changed), changed
    replaced = sum(i2 - i1 for tag, i1, i2, *_ in changed if tag == "replace")
    assert replaced <= ("status" in task) + ("completed" in task)
