"""nq57.model.order (the house key order fmt writes, as plain tuples) is the models' order:
the contract order first, the documented optional fields in model order, the logs last."""

from __future__ import annotations

from collections.abc import Iterable

from nq57.model import entities as e
from nq57.model.order import NESTED_ORDER, TOP_ORDER


def _then_model(first: Iterable[str], model, last: Iterable[str] = ()) -> tuple[str, ...]:
    head, tail = tuple(k for k in first if k not in last), tuple(last)
    return head + tuple(k for k in model.model_fields if k not in head + tail) + tail


def test_the_order_is_the_models():
    expected_top = {
        "task": _then_model(e.TASK_FIELD_ORDER, e.Task, ("updates",)),
        "kpi": _then_model(e.KPI_FIELD_ORDER, e.Kpi, ("measurements",)),
        "decision": _then_model((), e.Decision),
        "agencies": _then_model((), e.AgencyRegistry),
    }
    expected_nested = {
        ("task", "updates"): _then_model((), e.Update),
        ("kpi", "measurements"): _then_model((), e.Measurement),
        ("kpi", "baseline"): _then_model((), e.Baseline),
        ("kpi", "targets"): _then_model((), e.InterimTarget),
        ("decision", "reporting"): _then_model((), e.Reporting),
        ("decision", "period"): _then_model((), e.Period),
        ("agencies", "agencies"): _then_model((), e.Agency),
    }
    hint = "a model field changed: update src/nq57/model/order.py to"
    assert expected_top == TOP_ORDER, f"{hint}\nTOP_ORDER = {expected_top!r}"
    assert expected_nested == NESTED_ORDER, f"{hint}\nNESTED_ORDER = {expected_nested!r}"
