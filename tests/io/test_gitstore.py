"""io.gitstore: commits, files, changes and blobs of a data folder read with git."""

from __future__ import annotations

import datetime as dt

from nq57.io.gitstore import BlobCache, GitStore, is_data_path
from scratch_git import build


def test_is_data_path():
    assert is_data_path("agencies.yaml") and is_data_path("tasks/DEC-A/1.yaml")
    assert is_data_path("kpis/X/1.yml")
    assert not is_data_path("README.md") and not is_data_path("config.yaml")
    assert not is_data_path("tasks/DEC-A/notes.txt") and not is_data_path("tasks/.hidden/1.yaml")
    assert not is_data_path("sources/tasks/1.yaml")


def test_commits_files_changes_and_blobs(tmp_path):
    repo, shas = build(tmp_path / "repo")
    (repo.root / "README.md").write_text("không phải dữ liệu\n", encoding="utf-8")
    repo.write("tasks/DEC-A/notes.txt", "x")
    repo.remove("tasks/DEC-A/2.yaml")
    last = repo.commit("2025-11-30T23:30:00+07:00", "Xóa nhiệm vụ 2")
    assert GitStore.open(repo.data / "tasks") is None  # not a data folder: nothing committed
    store = GitStore.open(repo.data)
    assert store.prefix == "data/"
    commits = store.commits()
    assert [c.sha for c in commits] == [last, shas["kpi"], shas["october"], shas["august"],
                                        shas["june"]]  # fmt: skip
    assert commits[0].date == dt.date(2025, 11, 30)  # the committer's own day, not UTC's
    assert store.commit_at(dt.date(2025, 6, 14)) is None
    assert store.commit_at(dt.date(2025, 8, 10)).sha == shas["august"]
    assert sorted(store.files(shas["august"])) == [
        "decisions/DEC-A.yaml", "tasks/DEC-A/1.yaml", "tasks/DEC-A/2.yaml",
    ]  # fmt: skip
    removed = store.changes(commits[0])
    assert [(c.status, c.rel, c.new) for c in removed] == [("D", "tasks/DEC-A/2.yaml", None)]
    root = store.changes(commits[-1])
    assert {(c.status, c.rel) for c in root} == {
        ("A", "decisions/DEC-A.yaml"), ("A", "tasks/DEC-A/1.yaml"),
    }  # fmt: skip
    edited = {c.rel: c for c in store.changes(commits[2])}
    assert edited["tasks/DEC-A/1.yaml"].status == "M"
    blob = edited["tasks/DEC-A/1.yaml"]
    texts = store.blobs([blob.old, blob.new, blob.old])
    assert "Tháng 9/2025" in texts[blob.old].decode("utf-8")
    assert "Tháng 3/2026" in texts[blob.new].decode("utf-8")
    assert store.blobs(["0" * 40]) == {}


def test_outside_git_there_is_no_store(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "data").mkdir()
    assert GitStore.open(tmp_path / "data") is None


def test_blob_cache_keeps_parses_between_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NQ57_CACHE_DIR", str(tmp_path / "cache"))
    cache = BlobCache(tmp_path)
    cache.put("a" * 40, {"id": "X"}, [])
    cache.save()
    assert BlobCache(tmp_path).get("a" * 40) == ({"id": "X"}, [])
    assert BlobCache(tmp_path / "other").get("a" * 40) is None
