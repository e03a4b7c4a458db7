"""DataSet: the loaded decisions, tasks, KPIs and agencies, with the files they came
from and the diagnostics found; a plain container (the load pipeline is
:mod:`nq57.check.pipeline`)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nq57.diagnostics import Diagnostic
from nq57.io.loader import SourceFile
from nq57.model.agencies import AgencyIndex
from nq57.model.entities import AgencyRegistry, Decision, Kpi, Task


@dataclass
class DataSet:
    roots: list[Path]
    decisions: dict[str, Decision] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    agencies: AgencyIndex = field(default_factory=lambda: AgencyIndex.build(None))
    registries: list[AgencyRegistry] = field(default_factory=list)
    files: dict[str, SourceFile] = field(default_factory=dict)  # "kind:id" -> file
    sources: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # ids implied by every file path, valid or not: references to a broken file are
    # reported on that file, not as dangling on every file that points to it.
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    # restored from the snapshot: the data was loaded unchanged before (commands keep
    # date-independent indexes only of such data, not on the first load after an edit)
    restored: bool = field(default=False, compare=False)

    @property
    def invalid_files(self) -> list[str]:
        return sorted({d.path for d in self.diagnostics if d.is_error})

    def pack_files(self, packed: bytes) -> None:
        """Keep files, sources and known ids pickled until first used: a snapshot
        restore (:mod:`nq57.check.snapshot`) need not build 30,000 paths for `status`."""
        del self.files, self.sources, self.known_ids
        self._packed = packed

    def __getattr__(self, name: str) -> Any:
        # Reached only for attributes that are not set: the packed ones.
        packed = self.__dict__.get("_packed")
        if packed is None or name not in ("files", "sources", "known_ids"):
            raise AttributeError(name)
        self.files, self.sources, self.known_ids = pickle.loads(packed)
        del self._packed
        return getattr(self, name)

    def file_of(self, kind: str, entity_id: str) -> SourceFile | None:
        return self.files.get(f"{kind}:{entity_id}")

    def children(self) -> dict[str, list[str]]:
        """Task id -> ids of tasks whose ``parent`` is it, in id order."""
        result: dict[str, list[str]] = {}
        for task in self.tasks.values():
            if task.parent:
                result.setdefault(task.parent, []).append(task.id)
        return result

    def issuer_of(self, decision_id: str) -> str | None:
        decision = self.decisions.get(decision_id)
        return decision.issuer if decision else None
