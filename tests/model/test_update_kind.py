"""An update may say what its note reports: a difficulty, a proposal or a result."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from nq57.model.entities import Update

from conftest import invoke


def test_kind_is_one_of_three():
    assert Update.model_validate({"date": "2025-09-30", "kind": "difficulty"}).kind == "difficulty"
    with pytest.raises(ValidationError):
        Update.model_validate({"date": "2025-09-30", "kind": "risk"})


def test_nq57_schema_carries_kind(capsys, tmp_path):
    code, _, err = invoke(capsys, "schema", "--output", str(tmp_path))
    assert code == 0, err
    schema = json.loads((tmp_path / "nq57-task.schema.json").read_text("utf-8"))
    kind = schema["$defs"]["Update"]["properties"]["kind"]
    assert {"difficulty", "proposal", "result"} <= set(json.dumps(kind).split('"'))


def test_task_update_records_the_kind(capsys, copy_fixture):
    data = copy_fixture("cycle")
    code, _, err = invoke(
        capsys, "task", "update", "KH-1/2", "--note", "Thiếu kinh phí", "--kind", "difficulty",
        "--date", "2025-09-30", "--data", str(data),
    )  # fmt: skip
    assert code == 0, err
    text = (data / "tasks/KH-1/2.yaml").read_text("utf-8")
    assert text.endswith("  - date: 2025-09-30\n    note: Thiếu kinh phí\n    kind: difficulty\n")
    code, _, err = invoke(capsys, "task", "update", "KH-1/2", "--kind", "risk", "--data", str(data))
    assert code == 2
