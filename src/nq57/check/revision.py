"""A data folder as it was committed: a :class:`DataSet` built from git blobs.

Each file goes through the one read path (:func:`nq57.io.loader.parse_bytes`) and the
same per-file validation and registration as :func:`nq57.check.pipeline.load`; parses
are kept by blob id (:class:`nq57.io.gitstore.BlobCache`) and validated models by blob id
for the run, so reading a further state costs only its changed files. The cross-file
checks are not run: they add diagnostics but leave no file out, and a past state is read
for its counts, not to be checked again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from nq57.check.pipeline import _register, validate_document
from nq57.io.gitstore import BlobCache, GitStore
from nq57.io.loader import SourceFile, display_path, parse_bytes
from nq57.model.config import repository_org
from nq57.model.dataset import DataSet

_KINDS = {"decisions": "decision", "tasks": "task", "kpis": "kpi"}


def source_for(root: Path, rel: str, sha: str, root_shown: str | None = None) -> SourceFile:
    """A file of the data folder as committed (shown as ``path@blob``)."""
    folder, _, rest = rel.partition("/")
    root_shown = display_path(root) if root_shown is None else root_shown
    shown = f"{os.path.join(root_shown, *rel.split('/'))}@{sha[:7]}"
    path = Path(os.path.join(root, rel))
    if rel == "agencies.yaml":
        return SourceFile(path, shown, "agencies", None, rel=rel)
    expected = rest.rsplit(".", 1)[0]
    return SourceFile(path, shown, _KINDS[folder], expected, rel=rel)


class Revisions:
    """Reads states of one data folder from its git store, sharing parses between them."""

    def __init__(self, root: Path, store: GitStore):
        self.root = root
        self.store = store
        self.cache = BlobCache(store.top)
        self.models: dict[tuple[str, str], BaseModel | None] = {}  # (kind, blob) -> model
        self.sources: dict[tuple[str, str], SourceFile] = {}  # (path, blob) -> file read
        self.shown = display_path(root)
        self.datasets: dict[str, DataSet] = {}  # commit -> data set

    def documents(self, shas: list[str]) -> dict[str, tuple[Any, list[Any]]]:
        """Blob id -> (plain document or None, read-stage diagnostics)."""
        found = {}
        todo = []
        for sha in dict.fromkeys(shas):
            hit = self.cache.get(sha)
            if hit is None:
                todo.append(sha)
            else:
                found[sha] = hit
        for sha, raw in self.store.blobs(todo).items():
            source = SourceFile(Path(sha), sha, "task", None)
            parse_bytes(source, raw)
            found[sha] = source.portable()
            self.cache.put(sha, *found[sha])
        return found

    def dataset(self, commit: str) -> DataSet:
        """The data set at a commit (built once per commit in a run)."""
        if commit in self.datasets:
            return self.datasets[commit]
        files = self.store.files(commit)
        documents = self.documents([s for r, s in files.items() if (r, s) not in self.sources])
        data = DataSet(roots=[self.root])
        ordered = sorted(files.items(), key=lambda item: (item[0] != "agencies.yaml", item[0]))
        for rel, sha in ordered:
            source = self.sources.get((rel, sha))
            if source is None:
                source = self.sources[rel, sha] = source_for(self.root, rel, sha, self.shown)
                if sha in documents:
                    source.restore(*documents[sha])
            data.sources.append(source)
            if source.expected_id:
                data.known_ids.setdefault(source.kind, set()).add(source.expected_id)
            key = (source.kind, sha)
            if key not in self.models:
                document = source.document
                self.models[key] = validate_document(source) if document is not None else None
            data.diagnostics.extend(source.diagnostics)
            model = self.models[key]
            if model is not None:
                _register(data, source, model)
            source.document = None  # the model is what stays
        data.agencies.home = repository_org([self.root])
        self.datasets[commit] = data
        return data

    def save(self) -> None:
        self.cache.save()
