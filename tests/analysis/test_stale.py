"""Who has not reported, hand-computed for tests/fixtures/cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from nq57.analysis.stale import reporting_period, stale_kpis, stale_tasks
from nq57.check.pipeline import load

from conftest import FIXTURES


@pytest.fixture(scope="module")
def data():
    return load([FIXTURES / "cycle"], use_cache=False)


def test_stale_tasks_in_september(data):
    # KH-1 reports monthly: KH-1/1.2's update of 28/08 is last month. KH-2 reports
    # quarterly: KH-2/1's update of 10/07 is inside Q3. KH-1/1 has children.
    assert stale_tasks(data, dt.date(2025, 9, 15)) == ["KH-1/1.2", "KH-1/2", "KH-1/4"]


def test_an_update_this_month_is_not_stale(data):
    assert stale_tasks(data, dt.date(2025, 8, 30)) == ["KH-1/2", "KH-1/4"]


def test_nothing_is_stale_before_the_plan_is_issued(data):
    assert stale_tasks(data, dt.date(2025, 5, 1)) == []
    assert stale_kpis(data, dt.date(2025, 5, 1)) == []


def test_reporting_period_follows_the_decision(data):
    assert reporting_period(data.decisions["KH-1"], dt.date(2025, 9, 15)) == (
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 30),
    )
    assert reporting_period(data.decisions["KH-2"], dt.date(2025, 9, 15)) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 9, 30),
    )


def test_stale_kpis(data):
    assert stale_kpis(data, dt.date(2025, 9, 15)) == ["KH-1/1", "KH-1/2"]
    assert stale_kpis(data, dt.date(2025, 6, 30)) == ["KH-1/2"]  # measured on 30/06
    assert stale_kpis(data, dt.date(2027, 1, 10)) == []  # target year 2026 is over
