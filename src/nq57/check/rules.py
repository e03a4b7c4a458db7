"""Rules across fields and files. Each check is ``(DataSet) -> list[Diagnostic]``.

None of them reads the clock: validation gives the same result on any day.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from nq57.check.document import check_task_completion
from nq57.diagnostics import Diagnostic
from nq57.i18n import M, Message
from nq57.io.loader import SourceFile
from nq57.model.dataset import DataSet
from nq57.model.deadlines import parse_deadline

Check = Callable[[DataSet], list[Diagnostic]]


def _at(
    data: DataSet, kind: str, entity_id: str, loc: tuple[Any, ...], code: str, msg: Message
) -> Diagnostic:
    source = data.file_of(kind, entity_id)
    assert source is not None
    line, col = source.locate(loc)
    return Diagnostic(source.display, line, col, code, msg)


def _exists(data: DataSet, kind: str, entity_id: str) -> bool:
    return entity_id in data.known_ids.get(kind, set())


def check_references(data: DataSet) -> list[Diagnostic]:
    """Every id a file points to must have a file."""
    out: list[Diagnostic] = []
    for d in data.decisions.values():
        for relation in ("implements", "supersedes", "amends", "based_on"):
            for i, target in enumerate(getattr(d, relation)):
                if not _exists(data, "decision", target):
                    out.append(
                        _at(
                            data,
                            "decision",
                            d.id,
                            (relation, i),
                            "E122",
                            M("diag.no_decision", field=relation, target=target),
                        )
                    )
    for kind, table in (("task", data.tasks), ("kpi", data.kpis)):
        for e in table.values():
            folder = e.id.split("/")[0]
            if e.decision != folder:
                out.append(
                    _at(
                        data,
                        kind,
                        e.id,
                        ("decision",),
                        "E120",
                        M("diag.decision_folder", decision=e.decision, folder=folder),
                    )
                )
            elif not _exists(data, "decision", e.decision):
                out.append(
                    _at(
                        data,
                        kind,
                        e.id,
                        ("decision",),
                        "E122",
                        M("diag.no_decision", field="decision", target=e.decision),
                    )
                )
            if e.parent and not _exists(data, kind, e.parent):
                out.append(
                    _at(data, kind, e.id, ("parent",), "E122", M(_NO_PARENT[kind], target=e.parent))
                )
    for t in data.tasks.values():
        for i, kpi in enumerate(t.kpis):
            if not _exists(data, "kpi", kpi):
                out.append(
                    _at(data, "task", t.id, ("kpis", i), "E122", M("diag.no_kpi", target=kpi))
                )
    return out


_NO_PARENT = {"task": "diag.no_parent_task", "kpi": "diag.no_parent_kpi"}


def check_cycles(data: DataSet) -> list[Diagnostic]:
    """``parent`` chains must end; report each cycle once, on its smallest id."""
    out: list[Diagnostic] = []
    for kind, table in (("task", data.tasks), ("kpi", data.kpis)):
        reported: set[str] = set()
        for start in sorted(table):
            chain: list[str] = []
            node: str | None = start
            while node is not None and node in table and node not in chain:
                chain.append(node)
                node = table[node].parent
            if node is not None and node in chain:
                cycle = chain[chain.index(node) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    first = min(cycle)
                    path = " -> ".join(
                        [*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first]
                    )
                    out.append(
                        _at(
                            data,
                            kind,
                            first,
                            ("parent",),
                            "E123",
                            M("diag.cycle", chain=path),
                        )
                    )
    return out


def check_completion(data: DataSet) -> list[Diagnostic]:
    """The completion rule on every task (:func:`nq57.check.document.check_task_completion`)."""
    out: list[Diagnostic] = []
    for task in data.tasks.values():
        source = data.file_of("task", task.id)
        assert source is not None
        out.extend(check_task_completion(task, source))
    return out


def check_agencies(data: DataSet) -> list[Diagnostic]:
    """Unknown agency names are warnings with the closest known names."""
    if data.agencies.empty:
        return []
    out: list[Diagnostic] = []
    # Names recur across tens of thousands of tasks: each name known to resolve, per
    # issuer, is resolved once (unknown ones are rare, and warned about each time).
    resolved: dict[str | None, set[str]] = {}

    def check(kind: str, eid: str, loc: tuple[Any, ...], name: str, issuer: str | None) -> None:
        if data.agencies.resolve(name, issuer) is not None:
            resolved.setdefault(issuer, set()).add(name)
        else:
            foreign = data.agencies.foreign_units(name, issuer)
            close = data.agencies.suggest(name)
            if foreign:
                message = M(
                    "diag.short_name_of_other_body",
                    name=name,
                    owner=data.agencies.owner(issuer) or "",
                    names=", ".join(repr(c) for c in foreign),
                )
            elif close:
                names = ", ".join(repr(c) for c in close)
                message = M("diag.unknown_agency_hint", name=name, names=names)
            else:
                message = M("diag.unknown_agency", name=name)
            out.append(_at(data, kind, eid, loc, "W200", message))

    for t in data.tasks.values():
        issuer = data.issuer_of(t.decision)
        known = resolved.get(issuer, ())
        for field_name in ("lead", "support", "focal"):
            for i, name in enumerate(getattr(t, field_name)):
                if name not in known:
                    check("task", t.id, (field_name, i), name, issuer)
                    known = resolved.get(issuer, ())
        if t.transferred_from:
            check("task", t.id, ("transferred_from",), t.transferred_from, issuer)
    for k in data.kpis.values():
        issuer = data.issuer_of(k.decision)
        if k.owner:
            check("kpi", k.id, ("owner",), k.owner, issuer)
        for i, name in enumerate(k.support):
            check("kpi", k.id, ("support", i), name, issuer)
    for d in data.decisions.values():
        check("decision", d.id, ("issuer",), d.issuer, None)
        for i, ob in enumerate(d.reporting):
            for field_name in ("to", "via"):
                if getattr(ob, field_name):
                    check(
                        "decision",
                        d.id,
                        ("reporting", i, field_name),
                        getattr(ob, field_name),
                        d.issuer,
                    )
    return out


def check_registry(data: DataSet) -> list[Diagnostic]:
    """agencies.yaml itself: unique names, parents and successors that exist."""
    out: list[Diagnostic] = []
    for source in data.sources:
        if source.kind == "agencies" and source.ok:
            out.extend(_registry_problems(data, source))
    return out


def _registry_problems(data: DataSet, source: SourceFile) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[str] = set()
    entries = source.document.get("agencies") or []
    for i, entry in enumerate(entries):
        name = entry.get("name")
        if name in seen:
            line, col = source.locate(("agencies", i, "name"))
            out.append(
                Diagnostic(source.display, line, col, "E121", M("diag.agency_twice", name=name))
            )
        seen.add(name)
    for i, entry in enumerate(entries):
        for field_name in ("parent", "successor"):
            target = entry.get(field_name)
            if target and target not in data.agencies.agencies:
                line, col = source.locate(("agencies", i, field_name))
                close = data.agencies.suggest(target)
                message = (
                    M("diag.no_agency_hint", field=field_name, name=target, suggestion=close[0])
                    if close
                    else M("diag.no_agency", field=field_name, name=target)
                )
                out.append(Diagnostic(source.display, line, col, "E122", message))
    return out


def check_five_clear(data: DataSet) -> list[Diagnostic]:
    """Directive 07/CT-TTg "5 rõ": a task needs a lead, a deadline and an output.

    Parent rows (tasks with children) are headings whose children carry these,
    so they are not flagged.
    """
    out: list[Diagnostic] = []
    # Only children in the same plan make a heading row; a task of another plan that
    # names this one as its parent does not fill this one's own gaps.
    parents = {
        t.parent for t in data.tasks.values() if t.parent and t.parent.split("/")[0] == t.decision
    }
    # One message object each (they are immutable): thousands of tasks share them.
    no_lead, no_deadline, no_output = M("diag.no_lead"), M("diag.no_deadline"), M("diag.no_output")
    for t in data.tasks.values():
        if t.id in parents:
            continue
        if not t.lead:
            out.append(_at(data, "task", t.id, ("title",), "W202", no_lead))
        if _blank(t.deadline) and t.due is None:
            out.append(_at(data, "task", t.id, ("title",), "W203", no_deadline))
        elif t.due is None and t.deadline is not None:
            parsed = parse_deadline(t.deadline)
            if parsed.kind == "unscheduled":
                out.append(
                    _at(
                        data,
                        "task",
                        t.id,
                        ("deadline",),
                        "W201",
                        M("diag.unparsed_deadline", reason=parsed.reason),
                    )
                )
        if not t.output:
            out.append(_at(data, "task", t.id, ("title",), "W204", no_output))
    return out


def _blank(value: object) -> bool:
    return value is None or str(value).strip() in ("", "-", "–", "—")


def check_kpi_targets(data: DataSet) -> list[Diagnostic]:
    parents = {
        k.parent for k in data.kpis.values() if k.parent and k.parent.split("/")[0] == k.decision
    }
    return [
        _at(data, "kpi", k.id, ("name",), "W209", M("diag.no_target"))
        for k in data.kpis.values()
        if not k.target and k.id not in parents
    ]


def _strings(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*loc, i))
    elif isinstance(node, str):
        yield loc, node


def check_nfc(data: DataSet) -> list[Diagnostic]:
    """Decomposed Vietnamese (NFD) looks identical but breaks search and matching."""
    out: list[Diagnostic] = []
    for source in data.sources:
        if source.document is None:
            continue
        if source.text is not None and unicodedata.is_normalized("NFC", source.text):
            continue  # one check of the whole text instead of every value
        out.extend(_nfc_in(source))
    return out


def _nfc_in(source: SourceFile) -> list[Diagnostic]:
    out = []
    for loc, text in _strings(source.document):
        if not unicodedata.is_normalized("NFC", text):
            line, col = source.locate(loc)
            where = ".".join(str(p) for p in loc)
            out.append(
                Diagnostic(
                    source.display,
                    line,
                    col,
                    "W205",
                    M("diag.not_nfc", field=where),
                )
            )
    return out


CHECKS: list[Check] = [
    check_references,
    check_cycles,
    check_completion,
    check_registry,
]
# Checks that only ever warn; reports skip them (they list invalid files, not gaps).
WARNING_CHECKS: list[Check] = [
    check_agencies,
    check_five_clear,
    check_kpi_targets,
    check_nfc,
]


def run_checks(data: DataSet, *, warnings: bool = True) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in CHECKS + (WARNING_CHECKS if warnings else []):
        out.extend(check(data))
    return out


def run_warning_checks(data: DataSet) -> list[Diagnostic]:
    return [d for check in WARNING_CHECKS for d in check(data)]
