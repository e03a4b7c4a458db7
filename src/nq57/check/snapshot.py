"""A snapshot of a whole loaded data set, so a run on unchanged files skips loading.

After a full load, :meth:`Snapshot.save` writes one file holding the validated
models and the diagnostics, in the user's cache folder like the parse cache (never
in the data repository: a pickle could run code). It is keyed by:

* the snapshot format, the nq57 version, Python and pydantic, and the size and
  mtime of every nq57 source file (a changed checker never sees an old result);
* the data folders (resolved, and as shown in messages);
* the exact listing of every folder and file under ``decisions/``, ``tasks/`` and
  ``kpis/`` plus ``agencies.yaml`` and ``config.yaml``: name, size, mtime, ctime and
  inode. Any write changes a file's ctime, and adding, removing or renaming a
  file changes the listing.

Diagnostics of the warning-only checks are flagged: a snapshot written with them
serves runs without them, not the reverse.

The listing is taken before the files are read, so the snapshot is never newer
than its key. Files changed within the last :data:`RACY_SECONDS` prevent the save:
a second write within one timestamp tick would not change the key ("racy git").
A snapshot that cannot be read, or whose key differs, is ignored (and replaced
after the full load). Where ctime does not mean change time (Windows) no snapshot
is used. Time-dependent results (task classes as of a date) are not stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

import nq57
from nq57.io.cache import cache_dir
from nq57.io.loader import display_path
from nq57.io.resultcache import code_stamp, racy, take_listing
from nq57.model import entities as models
from nq57.model.dataset import DataSet

_VERSIONS = f"{nq57.__version__}/{sys.version_info[:2]}/{pydantic.VERSION}"
ENABLED = os.name == "posix"  # ctime is the change time
RACY_SECONDS = 2.0

# Models are stored as (class, field values, fields set) and rebuilt without
# validation: they were validated when the snapshot was written. A dict of the values
# restores faster than a tuple zipped with the names.
_MODELS = (
    models.Decision,
    models.Reporting,
    models.Task,
    models.Update,
    models.Kpi,
    models.Baseline,
    models.Measurement,
    models.InterimTarget,
    models.Agency,
    models.AgencyRegistry,
)
_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {c: tuple(c.model_fields) for c in _MODELS}
# A model that gains a field must not be rebuilt from a snapshot written without it.
_SHAPE = repr(sorted((c.__name__, f) for c, f in _FIELDS.items()))
FORMAT = f"nq57-snapshot-2/{_VERSIONS}/{hashlib.sha1(_SHAPE.encode()).hexdigest()[:10]}"
_new = object.__new__
_set = object.__setattr__


def _model(cls: type[BaseModel], values: dict[str, Any], fields_set: frozenset[str]) -> BaseModel:
    model = _new(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(fields_set))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


class _Reducer:
    """Models as (class, field values, fields set) for the pickler, with equal texts,
    dates and field sets stored once (tasks share leads and sections, updates share
    notes and dates): the unpickler then mostly refers back instead of building."""

    def __init__(self) -> None:
        self.same: dict[Any, Any] = {}

    def __call__(self, model: BaseModel) -> Any:
        if model.__pydantic_extra__ or model.__pydantic_private__:
            return model.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        # The shared values go into the model's own dict and lists (equal immutable values,
        # so nothing changes for the program): the pickler's memo then refers only to objects
        # that live anyway, instead of keeping a new dict per model alive until the end.
        same, values = self.same, model.__dict__
        for name, value in values.items():
            if type(value) is list:  # of texts, dates or models (which come here themselves)
                for i, v in enumerate(value):
                    if type(v) in _SHARED:
                        value[i] = same.setdefault(v, v)
            elif type(value) in _SHARED:
                values[name] = same.setdefault(value, value)
        fields_set = frozenset(model.__pydantic_fields_set__)
        return _model, (type(model), values, same.setdefault(fields_set, fields_set))


_SHARED = {str, dt.date}  # immutable, so one object can stand for all equal ones


def dumps(value: Any) -> bytes:
    """``value`` pickled as the snapshot pickles its models (restored without validation
    by ``pickle.loads``): for other caches of validated models (`nq57 query`'s tables)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = dict.fromkeys(_MODELS, _Reducer())
    pickler.dump(value)
    return buffer.getvalue()


def snapshot_path(roots: list[Path]) -> Path:
    joined = "\n".join(str(root.resolve()) for root in roots)
    return cache_dir() / f"snapshot-{hashlib.sha1(joined.encode('utf-8')).hexdigest()[:12]}.pickle"


class Snapshot:
    """The snapshot of one set of data folders; the key is taken on creation."""

    def __init__(self, roots: list[Path], warnings: bool):
        self.roots = roots
        self.warnings = warnings
        self.path = snapshot_path(roots)
        self.taken = time.time_ns()
        try:
            shown = [(str(root.resolve()), display_path(root)) for root in roots]
            # the listing the result cache is keyed by too (one rule for both; taken once
            # when a result cache has just missed, with its time for the racy guard)
            self.taken, listing = take_listing(roots)
            self.key: tuple[Any, ...] | None = (FORMAT, code_stamp(), shown, listing)
        except OSError:  # an unreadable folder or a vanishing file: load normally
            self.key = None

    def restore(self) -> DataSet | None:
        """The DataSet as saved, or None (missing, stale, unreadable, foreign)."""
        if self.key is None:
            return None
        try:
            with open(self.path, "rb") as handle:
                key, has_warnings = pickle.load(handle)
                if key != self.key or (self.warnings and not has_warnings):
                    return None
                payload = pickle.load(handle)
            data = DataSet(
                roots=list(self.roots),
                decisions=payload["decisions"],
                tasks=payload["tasks"],
                kpis=payload["kpis"],
                agencies=payload["agencies"],
                registries=payload["registries"],
                diagnostics=[
                    d
                    for d, warning_only in zip(
                        payload["diagnostics"], payload["warning_only"], strict=True
                    )
                    if self.warnings or not warning_only
                ],
            )
            data.pack_files(payload["files"])
            data.restored = True
            return data
        except Exception:  # missing, truncated, foreign or tampered: load afresh
            return None

    def save(self, data: DataSet, warning_only: set[int]) -> None:
        """Write the snapshot atomically; ``warning_only`` holds the ids of the
        diagnostics that came from warning-only checks."""
        if not ENABLED or self.key is None or self._racy():
            return
        payload = {
            "decisions": data.decisions,
            "tasks": data.tasks,
            "kpis": data.kpis,
            "agencies": data.agencies,
            "registries": data.registries,
            "diagnostics": data.diagnostics,
            "warning_only": [id(d) in warning_only for d in data.diagnostics],
            "files": pickle.dumps(
                (data.files, data.sources, data.known_ids), protocol=pickle.HIGHEST_PROTOCOL
            ),
        }
        with contextlib.suppress(Exception):  # one that cannot be written is not written
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".pickle")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
                    reducer = _Reducer()
                    pickler.dispatch_table = dict.fromkeys(_MODELS, reducer)
                    pickler.dump((self.key, self.warnings))
                    pickler.clear_memo()  # the two parts are read by two unpicklers
                    pickler.dump(payload)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)

    def _racy(self) -> bool:
        """Was any file changed so recently that a second change might not show?"""
        return racy(self.key[3], self.taken, RACY_SECONDS)  # type: ignore[index]  # save(): set
