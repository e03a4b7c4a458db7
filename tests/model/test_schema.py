"""The JSON Schema (what the editor checks as analysts type) agrees with `nq57 validate`.

`nq57 schema` writes JSON Schema files generated from the pydantic models; VS Code's
yaml-language-server checks data files against them. Every field-level verdict of
the schema must equal the verdict of the models (which `nq57 validate` uses), or
the editor shows red squiggles on files the CLI accepts, or stays silent on files
CI will reject.

The oracle is ``jsonschema`` with two adjustments that make it behave like the editor:
``format: date`` is asserted (yaml-language-server checks it), and ``pattern`` uses
ECMA-262 semantics as JSON Schema requires (``\\d`` is ASCII only; ``$`` matches only at
the very end, whereas Python's ``$`` also matches before a final newline).

Known disagreements whose fix belongs in ``nq57.model.entities`` are strict xfails below
(``KNOWN_GAPS``); once the models are fixed they XPASS and the marks must go.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import ValidationError

from nq57.i18n import t
from nq57.io.loader import discover, read, to_plain
from nq57.model.entities import MODELS
from nq57.model.schema import SCHEMAS, schema_for

from conftest import FIXTURES, invoke

REPO = Path(__file__).resolve().parents[2]

# --- the oracle ---------------------------------------------------------------------


def ecma_to_python(pattern: str) -> str:
    """An ECMA-262 regular expression as a Python one with the same meaning.

    Covers what generated schemas use: ``\\d``/``\\D``/``\\w``/``\\W`` are ASCII in
    ECMA-262 (Unicode in Python and in pydantic's Rust engine), ``$`` without the m
    flag matches only at the end of the input (Python: also before a final newline),
    and ``.`` stops at any line terminator.
    """
    ascii_classes = {"d": "0-9", "w": "A-Za-z0-9_"}
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped.lower() in ascii_classes:
                body = ascii_classes[escaped.lower()]
                negate = escaped.isupper()
                if in_class and not negate:
                    out.append(body)
                elif in_class:  # [\D] and the like: not used by our schemas
                    raise NotImplementedError(pattern)
                else:
                    out.append(f"[{'^' if negate else ''}{body}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "$":
            out.append(r"\Z")
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _ecma_pattern(validator, pattern: str, instance: Any, schema: dict):
    if validator.is_type(instance, "string") and not re.search(ecma_to_python(pattern), instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


EditorValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
_VALIDATORS = {
    kind: EditorValidator(schema_for(model), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for kind, model in MODELS.items()
}


def schema_verdict(kind: str, document: Any) -> bool:
    """True when the JSON Schema of ``kind`` accepts the document (as the editor would)."""
    return _VALIDATORS[kind].is_valid(document)


def model_verdict(kind: str, document: Any) -> bool:
    """True when the pydantic model (what `nq57 validate` uses) accepts the document.

    Only ``ValidationError`` means "invalid"; any other exception fails the test.
    """
    try:
        MODELS[kind].model_validate(document)
    except ValidationError:
        return False
    return True


# --- valid documents to start from ------------------------------------------------

TASK: dict[str, Any] = {"id": "D/1", "decision": "D", "ref": "1.", "title": "Hoàn thiện thể chế"}
FULL_TASK: dict[str, Any] = {
    **TASK,
    "section": "I.",
    "lead": ["Bộ Khoa học và Công nghệ"],
    "support": "Các bộ, ngành, địa phương",
    "output": "Nghị định",
    "approver": "Chính phủ",
    "deadline": "Tháng 9/2025",
    "due": "2025-09-30",
    "parent": "D/0",
    "kpis": ["D/k1"],
    "status": "done",
    "completed": "2025-09-15",
    "updates": [
        {"date": "2025-06-30", "status": "in_progress", "progress": 40, "note": "Đang soạn"},
        {"date": "2025-09-15", "status": "done", "progress": 100},
    ],
    "section_title": "Hoàn thiện thể chế",
    "appendix": "Phụ lục II",
    "title_raw_html": "<b>Hoàn thiện</b> thể chế",
    "lead_note": "(Nhiệm vụ của Bộ Thông tin và Truyền thông chuyển sang)",
    "transferred_from": "Bộ Thông tin và Truyền thông",
    "focal": "Cục Thuế",
    "objective": "Nâng cao năng lực",
    "approval": "Quyết định 123/QĐ-BTC",
    "project_kind": "continuing",
    "group": "Các đơn vị thuộc Bộ",
    "note": "Ghi chú",
    "source_line": 12,
    "body_ref": ["2.k"],
}
KPI: dict[str, Any] = {"id": "D/k1", "decision": "D", "ref": "1", "name": "Tỷ lệ", "year": 2030}
FULL_KPI: dict[str, Any] = {
    **KPI,
    "unit": "%",
    "target": "≥ 80",
    "owner": "Bộ Khoa học và Công nghệ",
    "parent": "D/k0",
    "baseline": {"value": 40, "date": "2024-12-31", "source": "Niên giám"},
    "measurements": [
        {"date": "2025-06-30", "value": 55, "source": "Báo cáo quý II", "label": "Thế giới"},
        {"date": "2025-12-31", "value": 61.5, "note": "ước"},
    ],
    "section": "I",
    "section_title": "Chỉ tiêu",
    "appendix": "Phụ lục 01",
    "owner_note": "Bộ KH&CN chủ trì, các bộ phối hợp",
    "support": ["Bộ Tài chính"],
    "note": "Ghi chú",
    "source_line": 3,
}
DECISION: dict[str, Any] = {
    "id": "D",
    "number": "1/NQ-CP",
    "type": "nghi_quyet",
    "issuer": "Chính phủ",
    "issued": "2025-04-01",
    "title": "Chương trình hành động",
}
FULL_DECISION: dict[str, Any] = {
    **DECISION,
    "signer": "Nguyễn Văn A",
    "signer_title": "Thủ tướng",
    "implements": ["57-NQ-TW-2024"],
    "supersedes": [],
    "amends": [],
    "based_on": ["03-NQ-CP-2025"],
    "reporting": [
        {"frequency": "monthly", "due_day": 5, "for_period": "previous", "to": "Vụ Pháp chế"},
        {"frequency": "quarterly", "due_day": 15, "month_of_quarter": 3},
        {"frequency": "annual", "dates": ["12-15"], "filed": ["2025-12-14"], "via": "email"},
    ],
    "effective": "2025-04-01",
    "period": {"start": 2025, "end": 2030},
    "source": "data/sources/D.txt",
    "references": ["Nghị quyết 57-NQ/TW"],
    "notes": "Ghi chú",
}
AGENCIES: dict[str, Any] = {
    "agencies": [
        {"name": "Bộ Tài chính", "short": "BTC", "kind": "ministry"},
        {"name": "Cục Thuế", "aliases": ["Tổng cục Thuế"], "parent": "Bộ Tài chính"},
    ]
}
BASES = {"task": FULL_TASK, "kpi": FULL_KPI, "decision": FULL_DECISION, "agencies": AGENCIES}


def with_(base: dict, **changes: Any) -> dict:
    """A copy of ``base`` with fields set (``...`` removes a field)."""
    doc = {**base, **changes}
    return {k: v for k, v in doc.items() if v is not ...}


def _report(**changes: Any) -> dict:
    return with_(DECISION, reporting=[with_({"frequency": "monthly", "due_day": 5}, **changes)])


def _update(**changes: Any) -> dict:
    return with_(TASK, updates=[{"date": "2025-06-30", **changes}])


def _measurement(**changes: Any) -> dict:
    return with_(KPI, measurements=[{"date": "2025-06-30", "value": 1, **changes}])


# (case id, kind, document, expected verdict)
CASES: list[tuple[str, str, dict, bool]] = [
    # tasks
    ("task-minimal", "task", TASK, True),
    ("task-full", "task", FULL_TASK, True),
    ("task-unnumbered-ref", "task", with_(TASK, ref=""), True),
    ("task-unknown-field", "task", with_(TASK, deadlne="2025"), False),
    ("task-title-number", "task", with_(TASK, title=2025), False),
    ("task-title-empty", "task", with_(TASK, title=""), False),
    ("task-title-null", "task", with_(TASK, title=None), False),
    ("task-ref-number", "task", with_(TASK, ref=1), False),
    ("task-ref-float", "task", with_(TASK, ref=1.1), False),
    ("task-missing-title", "task", with_(TASK, title=...), False),
    ("task-missing-id", "task", with_(TASK, id=...), False),
    ("task-missing-ref", "task", with_(TASK, ref=...), False),
    ("task-status-bad-enum", "task", with_(TASK, status="finished"), False),
    ("task-status-null", "task", with_(TASK, status=None), False),
    ("task-status-done", "task", with_(TASK, status="done"), True),
    ("task-section-null", "task", with_(TASK, section=None), True),
    ("task-section-bool", "task", with_(TASK, section=True), False),
    ("task-due-date", "task", with_(TASK, due="2025-06-30"), True),
    ("task-due-leap-day", "task", with_(TASK, due="2024-02-29"), True),
    ("task-due-not-leap", "task", with_(TASK, due="2025-02-29"), False),
    ("task-due-feb-30", "task", with_(TASK, due="2025-02-30"), False),
    ("task-due-dmy", "task", with_(TASK, due="30/06/2025"), False),
    ("task-due-short", "task", with_(TASK, due="2025-6-30"), False),
    ("task-due-datetime", "task", with_(TASK, due="2025-06-30T00:00:00"), False),
    ("task-due-text", "task", with_(TASK, due="Quý IV/2025"), False),
    ("task-due-number", "task", with_(TASK, due=20250630), False),
    ("task-due-wide-digits", "task", with_(TASK, due="２０２５-０６-３０"), False),
    ("task-completed-bad", "task", with_(TASK, completed="2025-13-01"), False),
    ("task-lead-string", "task", with_(TASK, lead="Bộ Tài chính"), True),
    ("task-lead-list", "task", with_(TASK, lead=["Bộ Tài chính", "Cục Thuế"]), True),
    ("task-lead-empty-list", "task", with_(TASK, lead=[]), True),
    ("task-lead-empty-string", "task", with_(TASK, lead=""), False),
    ("task-lead-list-empty-name", "task", with_(TASK, lead=["Bộ Tài chính", ""]), False),
    ("task-lead-number", "task", with_(TASK, lead=5), False),
    ("task-lead-list-number", "task", with_(TASK, lead=["Bộ Tài chính", 5]), False),
    ("task-lead-null", "task", with_(TASK, lead=None), False),
    ("task-lead-mapping", "task", with_(TASK, lead={"name": "Bộ Tài chính"}), False),
    ("task-support-string", "task", with_(TASK, support="Các bộ, ngành"), True),
    ("task-focal-string", "task", with_(TASK, focal="Cục Thuế"), True),
    ("task-kpis-string", "task", with_(TASK, kpis="D/k1"), False),
    ("task-kpis-bad-id", "task", with_(TASK, kpis=["k1"]), False),
    ("task-body-ref-string", "task", with_(TASK, body_ref="2.k"), False),
    ("task-deadline-int", "task", with_(TASK, deadline=2025), True),
    ("task-deadline-text", "task", with_(TASK, deadline="Hằng năm"), True),
    ("task-deadline-float", "task", with_(TASK, deadline=2025.5), False),
    ("task-deadline-bool", "task", with_(TASK, deadline=True), False),
    ("task-deadline-list", "task", with_(TASK, deadline=["2025"]), False),
    ("task-source-line-0", "task", with_(TASK, source_line=0), False),
    ("task-source-line-text", "task", with_(TASK, source_line="12"), False),
    ("task-project-kind-bad", "task", with_(TASK, project_kind="old"), False),
    ("task-id-no-slash", "task", with_(TASK, id="D-1"), False),
    ("task-id-two-slashes", "task", with_(TASK, id="D/1/2"), False),
    ("task-id-space", "task", with_(TASK, id="D/ 1"), False),
    ("task-id-leading-dot", "task", with_(TASK, id="D/.1"), False),
    ("task-id-non-ascii", "task", with_(TASK, id="Đ/1"), False),
    ("task-id-final-newline", "task", with_(TASK, id="D/1\n"), False),
    ("task-id-number", "task", with_(TASK, id=1), False),
    ("task-id-keys", "task", with_(TASK, id="71-NQ-CP-2025/89-117"), True),
    ("task-decision-with-slash", "task", with_(TASK, decision="D/1"), False),
    ("task-parent-decision-id", "task", with_(TASK, parent="D"), False),
    ("task-update-progress-150", "task", _update(progress=150), False),
    ("task-update-progress-neg", "task", _update(progress=-1), False),
    ("task-update-progress-100", "task", _update(progress=100), True),
    ("task-update-progress-0", "task", _update(progress=0), True),
    ("task-update-progress-text", "task", _update(progress="50"), False),
    ("task-update-progress-float", "task", _update(progress=50.5), False),
    ("task-update-progress-bool", "task", _update(progress=True), False),
    ("task-update-no-date", "task", with_(TASK, updates=[{"status": "done"}]), False),
    ("task-update-unknown-field", "task", _update(percent=5), False),
    ("task-update-bad-status", "task", _update(status="late"), False),
    ("task-updates-mapping", "task", with_(TASK, updates={"date": "2025-06-30"}), False),
    ("task-update-not-mapping", "task", with_(TASK, updates=["2025-06-30"]), False),
    # KPIs
    ("kpi-minimal", "kpi", KPI, True),
    ("kpi-full", "kpi", FULL_KPI, True),
    ("kpi-year-string", "kpi", with_(KPI, year="2030"), False),
    ("kpi-year-1899", "kpi", with_(KPI, year=1899), False),
    ("kpi-year-1900", "kpi", with_(KPI, year=1900), True),
    ("kpi-year-2200", "kpi", with_(KPI, year=2200), True),
    ("kpi-year-2201", "kpi", with_(KPI, year=2201), False),
    ("kpi-year-range-text", "kpi", with_(KPI, year="2026-2030"), False),
    ("kpi-year-missing", "kpi", with_(KPI, year=...), False),
    ("kpi-year-null", "kpi", with_(KPI, year=None), False),
    ("kpi-name-missing", "kpi", with_(KPI, name=...), False),
    ("kpi-target-number", "kpi", with_(KPI, target=80), False),
    ("kpi-target-text", "kpi", with_(KPI, target="≥ 80"), True),
    ("kpi-owner-list", "kpi", with_(KPI, owner=["Bộ Tài chính"]), False),
    ("kpi-support-string", "kpi", with_(KPI, support="Bộ Tài chính"), True),
    ("kpi-unknown-field", "kpi", with_(KPI, traget="80"), False),
    ("kpi-measurement-int", "kpi", _measurement(value=55), True),
    ("kpi-measurement-float", "kpi", _measurement(value=55.5), True),
    ("kpi-measurement-negative", "kpi", _measurement(value=-3), True),
    ("kpi-measurement-text", "kpi", _measurement(value="55"), False),
    ("kpi-measurement-percent", "kpi", _measurement(value="55%"), False),
    ("kpi-measurement-bool", "kpi", _measurement(value=True), False),
    ("kpi-measurement-null", "kpi", _measurement(value=None), False),
    ("kpi-measurement-no-value", "kpi", _measurement(value=...), False),
    ("kpi-measurement-no-date", "kpi", _measurement(date=...), False),
    ("kpi-measurement-bad-date", "kpi", _measurement(date="2025-06-31"), False),
    ("kpi-baseline-no-value", "kpi", with_(KPI, baseline={"date": "2024-12-31"}), False),
    ("kpi-baseline-text", "kpi", with_(KPI, baseline="40%"), False),
    ("kpi-baseline-null", "kpi", with_(KPI, baseline=None), True),
    # decisions
    ("decision-minimal", "decision", DECISION, True),
    ("decision-full", "decision", FULL_DECISION, True),
    ("decision-type-bad", "decision", with_(DECISION, type="law"), False),
    ("decision-period-end-only", "decision", with_(DECISION, period={"end": 2025}), True),
    ("decision-period-year-1", "decision", with_(DECISION, period={"start": 1, "end": 1}), False),
    (
        "decision-period-2025",
        "decision",
        with_(DECISION, period={"start": 2025, "end": 2025}),
        True,
    ),
    ("decision-period-text", "decision", with_(DECISION, period="2023-2025"), False),
    ("decision-period-no-end", "decision", with_(DECISION, period={"start": 2023}), False),
    ("decision-period-end-text", "decision", with_(DECISION, period={"end": "2025"}), False),
    ("decision-period-year-range", "decision", with_(DECISION, period={"end": 1800}), False),
    ("decision-period-unknown", "decision", with_(DECISION, period={"end": 2025, "to": 1}), False),
    ("decision-issued-dmy", "decision", with_(DECISION, issued="01/04/2025"), False),
    ("decision-issued-missing", "decision", with_(DECISION, issued=...), False),
    ("decision-id-with-slash", "decision", with_(DECISION, id="D/1"), False),
    ("decision-number-int", "decision", with_(DECISION, number=57), False),
    ("decision-implements-string", "decision", with_(DECISION, implements="X"), False),
    ("decision-implements-bad-id", "decision", with_(DECISION, implements=["57/NQ-TW"]), False),
    ("decision-effective-date", "decision", with_(DECISION, effective="2025-07-01"), True),
    ("decision-effective-text", "decision", with_(DECISION, effective="kể từ ngày ký"), True),
    ("decision-effective-number", "decision", with_(DECISION, effective=20250701), False),
    ("decision-report-weekly", "decision", _report(frequency="weekly"), False),
    ("decision-report-no-frequency", "decision", _report(frequency=...), False),
    ("decision-report-due-31", "decision", _report(due_day=31), True),
    ("decision-report-due-32", "decision", _report(due_day=32), False),
    ("decision-report-due-0", "decision", _report(due_day=0), False),
    ("decision-report-monthly-no-due-day", "decision", _report(due_day=...), False),
    ("decision-report-monthly-null-due-day", "decision", _report(due_day=None), False),
    ("decision-report-quarterly", "decision", _report(frequency="quarterly"), True),
    ("decision-report-annual-no-dates", "decision", _report(frequency="annual"), False),
    (
        "decision-report-annual-empty-dates",
        "decision",
        _report(frequency="annual", dates=[]),
        False,
    ),
    ("decision-report-annual", "decision", _report(frequency="annual", dates=["12-15"]), True),
    (
        "decision-report-semiannual",
        "decision",
        _report(frequency="semiannual", dates=["06-15", "12-15"]),
        True,
    ),
    ("decision-report-on-request", "decision", _report(frequency="on_request", due_day=...), True),
    ("decision-report-month-4", "decision", _report(month_of_quarter=4), False),
    ("decision-report-period-bad", "decision", _report(for_period="next"), False),
    ("decision-report-dates-ok", "decision", _report(dates=["01-05", "12-31"]), True),
    ("decision-report-dates-month-13", "decision", _report(dates=["13-01"]), False),
    ("decision-report-dates-short", "decision", _report(dates=["1-5"]), False),
    ("decision-report-dates-newline", "decision", _report(dates=["12-31\n"]), False),
    ("decision-report-filed-bad", "decision", _report(filed=["2025-02-30"]), False),
    ("decision-report-filed-string", "decision", _report(filed="2025-02-03"), False),
    # agencies
    ("agencies-valid", "agencies", AGENCIES, True),
    ("agencies-empty", "agencies", {}, True),
    ("agencies-no-name", "agencies", {"agencies": [{"short": "BTC"}]}, False),
    ("agencies-empty-alias", "agencies", {"agencies": [{"name": "X", "aliases": [""]}]}, False),
    ("agencies-alias-string", "agencies", {"agencies": [{"name": "X", "aliases": "Y"}]}, False),
    ("agencies-unknown-field", "agencies", {"agencies": [{"name": "X", "shrot": "Y"}]}, False),
    ("agencies-top-unknown", "agencies", {"agency": []}, False),
]

# Disagreements whose fix belongs in nq57.model.entities (see the reasons). Each one is a real
# difference between the editor and `nq57 validate`; they XPASS once the models change.
_WHOLE_FLOAT = (
    "a whole float such as 2030.0 is an 'integer' for JSON Schema and for the editor "
    "(JS numbers), but StrictInt rejects it; fix: accept whole floats as ints in models.py"
)
_DATE_SPACE = (
    "_to_date strips whitespace, so '2025-06-30 ' (or a block scalar's final newline) is "
    "accepted by validate but fails 'format: date' in the editor; fix: do not strip"
)
_UNICODE_DIGIT = (
    "Reporting.dates pattern uses \\d: Unicode in pydantic's regex engine, ASCII in "
    "ECMA-262 (editor); fix: write [0-9] instead of \\d"
)
KNOWN_GAPS: list[tuple[str, str, dict, str]] = [
    (
        "decision-period-reversed",
        "decision",
        {**DECISION, "period": {"start": 2026, "end": 2025}},
        "JSON Schema cannot compare two fields: 'start' after 'end' is caught by validate only",
    ),
]


# --- the schema files ---------------------------------------------------------------


def test_cli_writes_valid_draft_2020_12_schemas(tmp_path, capsys):
    code, out, _ = invoke(capsys, "schema", "--output", str(tmp_path / "schemas"))
    assert code == 0
    written = sorted(Path(line) for line in out.splitlines() if line.strip())
    names = [p.name for p in written]
    for word in ("task", "kpi", "decision"):
        assert any(word in name for name in names), (word, names)
    for path in written:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        model, title = SCHEMAS[path.name]
        assert schema == {**schema_for(model), "title": t(title)}  # what the tests check
    titles = {json.loads(p.read_text(encoding="utf-8"))["title"] for p in written}
    assert {"Văn bản", "Nhiệm vụ", "Chỉ tiêu", "Danh mục cơ quan"} <= titles
    invoke(capsys, "--lang", "en", "schema", "--output", str(tmp_path / "en"))
    task = json.loads((tmp_path / "en" / "nq57-task.schema.json").read_text(encoding="utf-8"))
    assert task["title"] == "Task"


def test_every_model_has_a_schema_file():
    assert {model for model, _ in SCHEMAS.values()} >= {
        MODELS[k] for k in ("task", "kpi", "decision")
    }


def test_schema_forbids_unknown_fields_everywhere():
    """Every object in every schema is closed, as every model is extra='forbid'."""

    def objects(node: Any):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for model, _ in SCHEMAS.values():
        for obj in objects(schema_for(model)):
            assert obj.get("additionalProperties") is False, obj.get("title")


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^[12]\d$", "12", True),
        (r"^[12]\d$", "1٣", False),  # ASCII \d
        (r"^a$", "a\n", False),  # $ only at the very end
        (r"^a.c$", "a\nc", False),
        (r"^[A-Za-z0-9._-]+$", "a.b_c-1", True),
        (r"^[\d-]+$", "12-3", True),
        (r"^\w+$", "ab_1", True),
        (r"^\w+$", "ắ", False),
    ],
)
def test_oracle_patterns_follow_ecma_262(pattern, text, matches):
    assert bool(re.search(ecma_to_python(pattern), text)) is matches


# --- field-level agreement ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "document", "expected"),
    [pytest.param(kind, doc, exp, id=case) for case, kind, doc, exp in CASES],
)
def test_schema_and_models_agree(kind, document, expected):
    assert model_verdict(kind, document) is expected, "models"
    assert schema_verdict(kind, document) is expected, "JSON Schema"


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        pytest.param(kind, doc, id=case, marks=pytest.mark.xfail(strict=True, reason=reason))
        for case, kind, doc, reason in KNOWN_GAPS
    ],
)
def test_known_gaps_between_schema_and_models(kind, document):
    assert schema_verdict(kind, document) == model_verdict(kind, document)


def _entity_documents(*roots: Path):
    for root in roots:
        files, _ = discover(root)
        for source in files:
            read(source)
            if source.document is not None:
                yield source, to_plain(source.document)


def test_fixture_files_get_the_same_verdict():
    """Real files, valid and broken: the editor flags exactly those validate rejects."""
    roots = [FIXTURES / name for name in ("minimal", "broken", "status")]
    seen = {True: 0, False: 0}
    for source, document in _entity_documents(*roots):
        verdict = model_verdict(source.kind, document)
        seen[verdict] += 1
        assert schema_verdict(source.kind, document) is verdict, source.display
    assert seen[True] and seen[False]


def test_repository_data_gets_the_same_verdict():
    """The imported data in data/ (what analysts open in the editor)."""
    data = REPO / "data"
    if not data.is_dir():
        pytest.skip("no data folder")
    count = 0
    for source, document in _entity_documents(data):
        count += 1
        assert schema_verdict(source.kind, document) is model_verdict(source.kind, document), (
            source.display
        )
    assert count
