"""The site's agency pages: counts at the last month-ends, as recorded in git."""

from __future__ import annotations

import datetime as dt

from nq57.analysis.history import agency_history, month_ends_before
from nq57.render.site import agency_stems
from scratch_git import build

from conftest import invoke


def test_month_ends_before():
    assert month_ends_before(dt.date(2025, 10, 15), 3) == [
        dt.date(2025, 7, 31),
        dt.date(2025, 8, 31),
        dt.date(2025, 9, 30),
    ]
    assert month_ends_before(dt.date(2025, 9, 30), 2) == [
        dt.date(2025, 8, 31),
        dt.date(2025, 9, 30),
    ]


def test_agency_history_counts_each_agency_from_when_it_had_tasks(tmp_path):
    repo, shas = build(tmp_path / "repo")
    found = agency_history(repo.data, month_ends_before(dt.date(2025, 10, 31), 6))
    assert [(p.date.month, p.counts["total"]) for p in found["Bộ Tài chính"]] == [
        (8, 1), (9, 1), (10, 1),
    ]  # fmt: skip
    science = found["Bộ Khoa học và Công nghệ"]
    assert [p.date.month for p in science] == [6, 7, 8, 9, 10]
    assert science[-1].commit == shas["kpi"]


def test_agency_page_shows_its_history_table(tmp_path, capsys):
    repo, _ = build(tmp_path / "repo")
    out = tmp_path / "site"
    code, _, err = invoke(
        capsys, "site", "--data", str(repo.data), "--as-of", "2025-10-31", "-o", str(out)
    )
    assert code == 0, err
    stem = agency_stems(["Bộ Tài chính"])["Bộ Tài chính"]
    page = (out / "agencies" / f"{stem}.html").read_text(encoding="utf-8")
    table = page[page.index('id="agency-history"') :]
    table = table[: table.index("</table>")]
    assert table.index("31/08/2025") < table.index("30/09/2025") < table.index("31/10/2025")
    assert "31/07/2025" not in table  # no task of the agency before August


def test_the_last_history_row_counts_what_the_agency_page_counts(tmp_path):
    from nq57.analysis.status import agency_members, build_status
    from nq57.check.pipeline import load

    repo, _ = build(tmp_path / "repo")
    day = dt.date(2025, 10, 31)
    found = agency_history(repo.data, [day])
    data = load([repo.data], use_cache=False)
    members = agency_members(data, build_status(data, day, 30))
    assert found and {n: p[-1].counts["total"] for n, p in found.items()} == {
        n: len(members.get(n, [])) for n in found
    }


def test_the_index_trend_counts_each_task_once(tmp_path):
    from nq57.analysis.history import site_history
    from nq57.check.pipeline import load
    from nq57.render.site import build_context

    repo, _ = build(tmp_path / "repo")
    ends = month_ends_before(dt.date(2025, 10, 31), 6)
    overall, by_agency = site_history(repo.data, ends)
    data = load([repo.data], use_cache=False)
    context = build_context(data, dt.date(2025, 11, 15), history=overall, agency_history=by_agency)
    trend = context["overview"]["trend"]
    recorded = {r["date"]: r for r in trend}
    for p in overall:  # the whole data's counts, not the agencies' rows summed
        row = recorded[p.date.strftime("%d/%m/%Y")]
        assert row["overdue"] == p.counts["overdue"]
        assert row["done"] == p.counts["done"]
