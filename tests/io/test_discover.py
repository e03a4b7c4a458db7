"""Discovery gives each file's path as text; ``SourceFile.path`` is still a Path."""

from __future__ import annotations

import pickle
from pathlib import Path

from nq57.io.loader import SourceFile, discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_paths_are_those_a_path_join_gives(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    for data in (Path("minimal"), Path("./broken/"), FIXTURES / "status"):
        files, _ = discover(data)
        assert files
        for source in files:
            assert type(source.__dict__["path"]) is str or source.kind == "agencies"
            expected = Path(data, *source.rel.split("/"))
            assert source.where() == str(expected)
            assert isinstance(source.path, Path) and source.path == expected
            assert source.where() == str(expected)  # also once the Path is built
            assert source.path.is_file()


def test_a_path_given_as_text_is_a_path():
    source = SourceFile("a/b.yaml", "a/b.yaml", "task", "a/b")  # type: ignore[arg-type]
    assert source == SourceFile(Path("a/b.yaml"), "a/b.yaml", "task", "a/b")
    assert repr(source) == repr(SourceFile(Path("a/b.yaml"), "a/b.yaml", "task", "a/b"))
    copy = pickle.loads(pickle.dumps(source))
    assert copy.path == Path("a/b.yaml") and copy.where() == "a/b.yaml"
    source.path = Path("c.yaml")
    assert source.path == Path("c.yaml") and source.where() == "c.yaml"
