"""The site renders each saved query as a page (run with its default parameters)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nq57.check.pipeline import load
from nq57.model.queries import parse_saved
from nq57.render.site import build_site

from conftest import FIXTURES


def saved(name: str, text: str):
    return parse_saved(name, Path(f"{name}.sql"), text)


def test_each_saved_query_is_a_page_linked_from_the_navigation():
    data = load([FIXTURES / "status"])
    queries = [
        saved("by-class", "-- title: Theo loại\nSELECT class, count(*) AS n FROM tasks GROUP BY 1"),
        saved(
            "one",
            "-- title: Một cơ quan\n-- param: lead Cơ quan\n"
            "SELECT * FROM tasks WHERE lead_agency = $lead",
        ),
        saved("broken", "-- title: Hỏng\nSELECT nope FROM tasks"),
    ]
    files = build_site(data, dt.date(2025, 7, 15), queries=queries)
    assert {"queries/by-class.html", "queries/one.html", "queries/broken.html"} <= set(files)
    page = files["queries/by-class.html"].decode("utf-8")
    assert '<th scope="col">class</th>' in page and "overdue" in page
    assert "$lead" in files["queries/one.html"].decode("utf-8")
    assert "nope" in files["queries/broken.html"].decode("utf-8")
    assert 'href="queries/by-class.html"' in files["index.html"].decode("utf-8")
    plain = build_site(data, dt.date(2025, 7, 15))
    assert not any(name.startswith("queries/") for name in plain)
