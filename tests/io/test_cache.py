"""The parse cache: never stale, never trusted when broken, never changes results."""

from __future__ import annotations

import os
import pickle

import pytest

from nq57.check import pipeline as dataset
from nq57.io import cache as cache_module
from nq57.io.cache import cache_path

from conftest import FIXTURES


def _summary(data):
    return (
        [d.format() for d in data.diagnostics],
        sorted(data.tasks),
        {k: t.model_dump() for k, t in data.tasks.items()},
    )


@pytest.fixture
def workspace(cache_workspace):
    return cache_workspace(cache_module)


def test_warm_run_equals_cold_run(workspace):
    for name in ("status", "broken"):
        cold = dataset.load([workspace / name], use_cache=False)
        first = dataset.load([workspace / name])
        assert cache_path(workspace / name).exists()
        warm = dataset.load([workspace / name])
        assert _summary(cold) == _summary(first) == _summary(warm)


def test_changed_file_with_same_size_and_mtime_is_read_again(workspace):
    root = workspace / "status"
    path = root / "tasks" / "NEW" / "overdue.yaml"
    dataset.load([root])
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("Tháng 6/2025", "Tháng 7/2025")
    assert len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # hide the edit
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    data = dataset.load([root])
    assert data.tasks["NEW/overdue"].deadline == "Tháng 7/2025"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage",
        pickle.dumps({"format": "someone-else", "entries": {}}),
        pickle.dumps({"format": cache_module.CACHE_FORMAT, "entries": "not a dict"}),
    ],
)
def test_broken_or_foreign_cache_is_ignored_and_rebuilt(workspace, content):
    root = workspace / "status"
    expected = _summary(dataset.load([root], use_cache=False))
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert _summary(dataset.load([root])) == expected
    assert pickle.loads(path.read_bytes())["format"] == cache_module.CACHE_FORMAT


def test_tampered_entry_with_wrong_key_is_not_served(workspace):
    root = workspace / "status"
    dataset.load([root])
    path = cache_path(root)
    payload = pickle.loads(path.read_bytes())
    rel = "tasks/NEW/overdue.yaml"
    key, document, diags = payload["entries"][rel]
    payload["entries"][rel] = ((0, 0, 0, 0), {**document, "title": "FAKE"}, diags)
    path.write_bytes(pickle.dumps(payload))
    assert dataset.load([root]).tasks["NEW/overdue"].title != "FAKE"


def test_recently_changed_files_are_not_cached(workspace, monkeypatch):
    """Two writes within one timestamp tick leave the key unchanged ("racy git")."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600)
    root = workspace / "status"
    dataset.load([root], warnings=False)
    assert not cache_path(root).exists()


def test_no_cache_writes_nothing(workspace):
    root = workspace / "status"
    dataset.load([root], use_cache=False)
    assert not cache_path(root).exists()


def test_unwritable_cache_folder_is_not_an_error(workspace, monkeypatch):
    blocker = workspace / "blocked"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NQ57_CACHE_DIR", str(blocker / "sub"))
    assert dataset.load([workspace / "status"]).tasks


def test_parallel_read_gives_identical_results(workspace, monkeypatch):
    root = workspace / "broken"
    sequential = _summary(dataset.load([root], use_cache=False))
    monkeypatch.setattr(dataset, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(dataset, "_fast_parse", lambda: False)  # workers even with yaml_rs
    parallel = _summary(dataset.load([root], use_cache=False))
    assert parallel == sequential


def test_default_cache_lives_outside_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("NQ57_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = cache_path(tmp_path / "repo" / "data")
    assert path.parent == tmp_path / "xdg" / "nq57"
    assert (tmp_path / "repo") not in path.parents
    assert FIXTURES not in path.parents


def test_cache_of_the_previous_format_is_ignored(workspace):
    """Entries of format 3 held diagnostics as English text; they are not served."""
    root = workspace / "broken"
    expected = _summary(dataset.load([root], use_cache=False))
    dataset.load([root])
    path = cache_path(root)
    payload = pickle.loads(path.read_bytes())
    old = {
        rel: (
            key,
            document,
            [(line, col, code, "old English text") for line, col, code, _ in diags],
        )
        for rel, (key, document, diags) in payload["entries"].items()
    }
    stale_format = cache_module.CACHE_FORMAT.replace("nq57-parse-4", "nq57-parse-3")
    path.write_bytes(pickle.dumps({"format": stale_format, "entries": old}))
    data = dataset.load([root])
    assert _summary(data) == expected
    assert not any("old English text" in d.format() for d in data.diagnostics)


def test_cached_diagnostics_follow_the_language_of_the_run(workspace):
    from nq57.i18n import language

    root = workspace / "broken"
    with language("vi"):
        vi_cold = [d.format() for d in dataset.load([root], use_cache=False).diagnostics]
        dataset.load([root])  # writes the cache
    with language("en"):
        en_cold = [d.format() for d in dataset.load([root], use_cache=False).diagnostics]
        en_warm = [d.format() for d in dataset.load([root]).diagnostics]
    assert en_warm == en_cold != vi_cold
    assert any("tab character in indentation" in line for line in en_warm)
