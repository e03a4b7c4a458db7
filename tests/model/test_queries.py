"""Saved queries: the comment header read back as written (Hypothesis) and found on disk."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nq57.model.queries import Param, parse_saved, saved_queries

words = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters=" ,.()%"), max_size=40
).map(lambda s: " ".join(s.split()))
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
defaults = st.none() | st.from_regex(r"[A-Za-z0-9_.-]{1,8}", fullmatch=True) | words.filter(bool)


@given(
    title=words.filter(bool),
    description=st.lists(words.filter(bool), max_size=3),
    params=st.lists(st.tuples(names, defaults, words), max_size=4, unique_by=lambda p: p[0]),
)
def test_the_header_reads_back(title, description, params):
    lines = [f"-- title: {title}"]
    if description:
        lines.append(f"-- description: {description[0]}")
        lines += [f"--   {more}" for more in description[1:]]
    for name, default, text in params:
        value = "" if default is None else f'="{default}"' if " " in default else f"={default}"
        lines.append(f"-- param: {name}{value} {text}".rstrip())
    text = "\n".join([*lines, "SELECT 1"]) + "\n"
    query = parse_saved("q", Path("q.sql"), text)
    assert query.title == title
    assert query.description == " ".join(description)
    assert query.params == tuple(Param(n, d, t) for n, d, t in params)
    assert query.sql == text


def test_without_a_header_the_name_is_the_title(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "b.sql").write_text("SELECT 2\n-- title: not a header\n", encoding="utf-8")
    (queries / "a.sql").write_text("-- title: A\nSELECT 1\n", encoding="utf-8")
    (queries / "notes.txt").write_text("x", encoding="utf-8")
    found = saved_queries([tmp_path])
    assert list(found) == ["a", "b"]
    assert found["a"].title == "A" and found["b"].title == "b" and found["b"].params == ()
