"""The data listing that keys the result cache, the snapshot and the query tables: read
through open folders (``stat`` of a name in a folder) it is the listing read by paths,
symlinks, dangling links, nested folders and missing entity folders included."""

from __future__ import annotations

import os

import pytest

from nq57.io import resultcache

pytestmark = pytest.mark.skipif(not resultcache._BY_FD, reason="folders not opened by descriptor")


def _tree(root):
    (root / "tasks" / "A" / "sub").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    (root / "tasks" / "A" / "1.yaml").write_text("id: A/1\n", encoding="utf-8")
    (root / "tasks" / "A" / "sub" / "2.yaml").write_text("id: A/2\n", encoding="utf-8")
    (root / "elsewhere" / "t.yaml").write_text("x: 1\n", encoding="utf-8")
    os.symlink("../../elsewhere/t.yaml", root / "tasks" / "A" / "link.yaml")
    os.symlink("/nonexistent/nq57", root / "tasks" / "A" / "dangling.yaml")
    os.symlink("../elsewhere", root / "tasks" / "linked")
    os.symlink("elsewhere", root / "decisions")  # an entity folder that is a link
    (root / "kpis").write_text("not a folder\n", encoding="utf-8")
    (root / "config.yaml").write_text("stale_after_days: 30\n", encoding="utf-8")


def test_the_listing_by_folder_equals_the_listing_by_path(tmp_path, monkeypatch):
    _tree(tmp_path)
    by_fd = resultcache.data_listing([tmp_path])
    monkeypatch.setattr(resultcache, "_BY_FD", False)
    assert by_fd == resultcache.data_listing([tmp_path])
    folders = [folder for folder, _ in by_fd]
    assert str(tmp_path / "tasks" / "A" / "sub") in folders
    assert str(tmp_path / "tasks" / "linked") not in folders  # a link is listed, not entered
    links = {e[0]: e for _, entries in by_fd for e in entries if e[1:2] == ("link",)}
    assert links["dangling.yaml"][3] is None and links["link.yaml"][3] is not None


def test_a_changed_file_changes_the_listing(tmp_path):
    _tree(tmp_path)
    before = resultcache.data_listing([tmp_path])
    (tmp_path / "tasks" / "A" / "sub" / "2.yaml").write_text(
        "id: A/2\nref: '2'\n", encoding="utf-8"
    )
    assert resultcache.data_listing([tmp_path]) != before
