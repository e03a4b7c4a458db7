"""The data-set snapshot: never stale, never trusted when broken, never changes results."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import shutil

import pytest

from nq57.check import pipeline as dataset
from nq57.check import snapshot
from nq57.check.snapshot import snapshot_path

from conftest import invoke


def _summary(data):
    sources = [
        (s.display, s.kind, s.expected_id, s.rel, str(s.path), [d.format() for d in s.diagnostics])
        for s in data.sources
    ]
    return (
        [d.format() for d in data.diagnostics],
        {k: t.model_dump() for k, t in data.tasks.items()},
        {k: t.model_dump() for k, t in data.kpis.items()},
        {k: t.model_dump() for k, t in data.decisions.items()},
        sorted(data.agencies.agencies),
        data.agencies.by_key,
        [r.model_dump() for r in data.registries],
        {kind: sorted(ids) for kind, ids in data.known_ids.items()},
        {key: s.display for key, s in data.files.items()},
        sources,
    )


def _restored(root, **options):
    """Load, and say whether the data came from the snapshot."""
    data = dataset.load([root], **options)
    return data, "_packed" in data.__dict__


@pytest.fixture
def workspace(cache_workspace):
    return cache_workspace(snapshot)


@pytest.mark.parametrize("name", ["status", "broken"])
@pytest.mark.parametrize("warnings", [True, False])
def test_restored_data_set_equals_a_fresh_load(workspace, name, warnings):
    root = workspace / name
    cold = dataset.load([root], use_cache=False, warnings=warnings)
    first, restored = _restored(root, warnings=warnings)
    assert not restored and snapshot_path([root]).exists()
    warm, restored = _restored(root, warnings=warnings)
    assert restored
    assert _summary(cold) == _summary(first) == _summary(warm)


def test_snapshot_with_warnings_serves_a_run_without_them_but_not_the_reverse(workspace):
    root = workspace / "broken"
    dataset.load([root], warnings=False)
    data, restored = _restored(root, warnings=True)  # needs the warning-only checks
    assert not restored
    assert _summary(data) == _summary(dataset.load([root], use_cache=False, warnings=True))
    data, restored = _restored(root, warnings=False)
    assert restored
    assert _summary(data) == _summary(dataset.load([root], use_cache=False, warnings=False))


def test_status_json_is_the_same_from_the_snapshot_for_any_date(workspace, capsys):
    for as_of in ("2025-07-15", "2024-03-31", "2026-01-01"):
        args = ("status", "--data", "status", "--as-of", as_of, "--format", "json")
        code, fresh, _ = invoke(capsys, *args, "--no-cache")
        assert code == 0
        invoke(capsys, *args)  # fills the snapshot (on the first date)
        assert snapshot_path([workspace / "status"]).exists()
        assert invoke(capsys, *args) == (0, fresh, "")
        assert json.loads(fresh)["as_of"] == as_of


def _changed_same_size_and_mtime(path):
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("Tháng 6/2025", "Tháng 7/2025")
    assert changed != text and len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # hide the edit
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_file_changed_with_same_size_and_mtime_is_read_again(workspace):
    root = workspace / "status"
    dataset.load([root])
    assert _restored(root)[1]
    _changed_same_size_and_mtime(root / "tasks" / "NEW" / "overdue.yaml")
    data, restored = _restored(root)
    assert not restored
    assert data.tasks["NEW/overdue"].deadline == "Tháng 7/2025"


def test_file_replaced_by_another_inode_is_read_again(workspace):
    root = workspace / "status"
    path = root / "tasks" / "NEW" / "overdue.yaml"
    dataset.load([root])
    before = path.stat()
    other = path.with_name("tmp.txt")
    other.write_text(path.read_text(encoding="utf-8").replace("6/2025", "7/2025"), "utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    data, restored = _restored(root)
    assert not restored
    assert data.tasks["NEW/overdue"].deadline == "Tháng 7/2025"


@pytest.mark.parametrize("change", ["add", "remove", "rename", "stray file", "agencies"])
def test_added_removed_or_renamed_files_invalidate_it(workspace, change):
    root = workspace / "status"
    dataset.load([root])
    folder = root / "tasks" / "NEW"
    if change == "add":
        shutil.copy(folder / "overdue.yaml", folder / "copy.yaml")
    elif change == "remove":
        (folder / "overdue.yaml").unlink()
    elif change == "rename":
        (folder / "overdue.yaml").rename(folder / "renamed.yaml")
    elif change == "stray file":
        (folder / "notes.txt").write_text("not data", encoding="utf-8")
    else:
        (root / "agencies.yaml").write_text("agencies: []\n", encoding="utf-8")
    data, restored = _restored(root)
    assert not restored
    assert _summary(data) == _summary(dataset.load([root], use_cache=False))


def test_retargeted_symlink_invalidates_it(workspace):
    root = workspace / "status"
    folder = root / "tasks" / "NEW"
    (workspace / "elsewhere.yaml").write_text("id: x\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(folder / "overdue.yaml")
    dataset.load([root])
    assert _restored(root)[1]
    (folder / "link.yaml").unlink()
    (folder / "link.yaml").symlink_to(workspace / "elsewhere.yaml")  # out of the data folder
    data, restored = _restored(root)
    assert not restored
    assert _summary(data) == _summary(dataset.load([root], use_cache=False))


def test_data_folder_without_kpis_is_snapshotted(workspace):
    root = workspace / "status"
    shutil.rmtree(root / "kpis", ignore_errors=True)
    dataset.load([root])
    assert _restored(root)[1]


def test_messages_show_paths_as_given_from_another_folder(workspace, monkeypatch):
    dataset.load([workspace / "broken"])
    monkeypatch.chdir(workspace / "status")
    relative = workspace / "status" / ".." / "broken"
    data = dataset.load([relative.relative_to(workspace / "status")])
    assert _summary(data) == _summary(
        dataset.load([relative.relative_to(workspace / "status")], use_cache=False)
    )
    assert data.diagnostics[0].path.startswith("../broken/")


def test_no_cache_neither_reads_nor_writes_it(workspace):
    root = workspace / "status"
    dataset.load([root], use_cache=False)
    assert not snapshot_path([root]).exists()
    dataset.load([root])
    path = snapshot_path([root])
    with open(path, "rb") as handle:
        header = pickle.load(handle)
        payload = pickle.load(handle)
    payload["tasks"]["NEW/overdue"].title = "FAKE"
    with open(path, "wb") as handle:
        pickle.dump(header, handle)
        pickle.dump(payload, handle)
    assert dataset.load([root], use_cache=False).tasks["NEW/overdue"].title != "FAKE"


def _valid_snapshot(root) -> bytes:
    dataset.load([root])
    return snapshot_path([root]).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: b"",
        lambda good: b"garbage",
        lambda good: good[: len(good) // 2],  # truncated
        lambda good: good[:-1],
        lambda good: pickle.dumps((("someone-else", [], [], []), True)) + good,
        lambda good: pickle.dumps(("not", "a", "header")),
        lambda good: good.replace(snapshot.FORMAT.encode(), b"x" * len(snapshot.FORMAT)),
    ],
)
def test_broken_or_foreign_snapshot_is_ignored_and_rebuilt(workspace, damage):
    root = workspace / "broken"
    expected = _summary(dataset.load([root], use_cache=False))
    good = _valid_snapshot(root)
    snapshot_path([root]).write_bytes(damage(good))
    data, restored = _restored(root)
    assert not restored
    assert _summary(data) == expected
    assert _restored(root)[1]  # rebuilt


def test_recently_changed_files_are_not_snapshotted(workspace, monkeypatch):
    """Two writes within one timestamp tick leave the key unchanged ("racy git")."""
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 3600)
    root = workspace / "status"
    dataset.load([root])
    assert not snapshot_path([root]).exists()


def test_writes_atomically_and_leaves_no_temporary_files(workspace):
    root = workspace / "status"
    dataset.load([root])
    folder = snapshot_path([root]).parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tmp")] == []


def _load_in_child(root):
    dataset.load([root])


def test_concurrent_runs_leave_a_valid_snapshot(workspace):
    root = workspace / "broken"
    expected = _summary(dataset.load([root], use_cache=False))
    context = multiprocessing.get_context("fork")  # children keep RACY_SECONDS = 0
    children = [context.Process(target=_load_in_child, args=(root,)) for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    data, restored = _restored(root)
    assert restored
    assert _summary(data) == expected


def test_unwritable_cache_folder_is_not_an_error(workspace, monkeypatch):
    blocker = workspace / "blocked"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NQ57_CACHE_DIR", str(blocker / "sub"))
    assert dataset.load([workspace / "status"]).tasks


def test_edit_commands_find_files_in_a_restored_data_set(workspace):
    root = workspace / "status"
    dataset.load([root])
    data, restored = _restored(root)
    assert restored
    source = data.file_of("task", "NEW/overdue")
    assert source is not None and source.path == root / "tasks" / "NEW" / "overdue.yaml"
    assert source.locate(("deadline",))[0] > 1  # positions are looked up from the file
