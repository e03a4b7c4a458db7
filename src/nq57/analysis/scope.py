"""Which tasks and KPIs a question is about: --decision and --lead filters."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from nq57.analysis.search import fold as plain
from nq57.i18n import t
from nq57.model.agencies import fold
from nq57.model.dataset import DataSet
from nq57.model.entities import Kpi, Task


def plan_family(data: DataSet, decision_id: str) -> set[str]:
    """The decision and every plan that implements it, directly or through others."""
    family = {decision_id}
    changed = True
    while changed:
        changed = False
        for d in data.decisions.values():
            if d.id not in family and family.intersection(d.implements):
                family.add(d.id)
                changed = True
    return family


def reaches(data: DataSet, task: Task, family: set[str]) -> bool:
    """Does the task's ``parent`` chain reach a task of one of the plans?"""
    seen: set[str] = set()
    node: Task | None = task
    while node is not None and node.id not in seen:
        if node.decision in family:
            return True
        seen.add(node.id)
        node = data.tasks.get(node.parent) if node.parent else None
    return False


def led_by(data: DataSet, task: Task, agency: str) -> bool:
    """Is the task led by the agency (aliases, merged predecessors, sub-units)?"""
    issuer = data.issuer_of(task.decision)
    return any(data.agencies.matches(agency, name, issuer) for name in task.lead)


def agencies_of(data: DataSet, task: Task) -> set[str]:
    """Every agency a task counts for, by the one rule `report --org` and the site's agency
    pages share (the rule of :func:`led_by`): each lead under its current name (aliases,
    merged predecessors), and every body above it through ``parent`` links."""
    issuer = data.issuer_of(task.decision)
    found: set[str] = set()
    for name in task.lead:
        current = data.agencies.current(name, issuer)
        found.add(current)
        agency = data.agencies.agencies.get(current)
        while agency and agency.parent and agency.parent not in found:
            parent = data.agencies.current(agency.parent)
            found.add(parent)
            agency = data.agencies.agencies.get(parent)
    return found


def unit_of(data: DataSet, task: Task, org: str) -> str | None:
    """The unit of ``org`` a task counts under in an ``--org`` report: the current name of
    its first lead that falls under the org (a unit, a unit of a body merged into it) and
    is not the org itself (nor an alias or merged predecessor of it); None when no unit
    leads it."""
    issuer = data.issuer_of(task.decision)
    home = fold(data.agencies.current(org))
    for name in task.lead:
        current = data.agencies.current(name, issuer)
        if fold(current) != home and data.agencies.matches(org, name, issuer):
            return current
    return None


def select_tasks(data: DataSet, decision: str | None = None, lead: str | None = None) -> list[Task]:
    tasks = sorted(data.tasks.values(), key=lambda t: t.id)
    if decision:
        family = plan_family(data, decision)
        tasks = [t for t in tasks if reaches(data, t, family)]
    if lead:
        tasks = [t for t in tasks if led_by(data, t, lead)]
    return tasks


def select_kpis(data: DataSet, decision: str | None = None, lead: str | None = None) -> list[Kpi]:
    kpis = sorted(data.kpis.values(), key=lambda k: k.id)
    if decision:
        family = plan_family(data, decision)
        kpis = [
            k
            for k in kpis
            if k.decision in family or (k.parent and k.parent.split("/")[0] in family)
        ]
    if lead:
        kpis = [
            k
            for k in kpis
            if k.owner and data.agencies.matches(lead, k.owner, data.issuer_of(k.decision))
        ]
    return kpis


def lead_group(data: DataSet, task: Task) -> str:
    """The agency a task is counted under in per-agency tables (first lead, current name)."""
    if not task.lead:
        return t("label.no_lead")
    return data.agencies.current(task.lead[0], data.issuer_of(task.decision))


@dataclass(frozen=True)
class AgencyChoice:
    """What an agency named on the command line (--lead, --org) means in the data."""

    name: str | None  # the name to filter by; None when unknown or ambiguous
    close: tuple[str, ...] = ()  # the registry or data names it may mean
    ambiguous: bool = False  # several names fold to it (without diacritics)
    units: bool = False  # ambiguous as written: a unit name several bodies have


def _names_in_data(data: DataSet) -> list[str]:
    """Every lead and KPI owner named in the data, each once, in a stable order."""
    names = {name for task in data.tasks.values() for name in task.lead}
    names.update(k.owner for k in data.kpis.values() if k.owner)
    return sorted(names)


def choose_agency(data: DataSet, query: str) -> AgencyChoice:
    """The agency meant by ``query``: a registry name, short name or alias, or a lead or
    owner in the data (case and Unicode form ignored); else the one name that matches
    it without diacritics ("bo tai chinh" -> "Bộ Tài chính"); else nothing, with the
    closest names (several when the query without diacritics fits more than one)."""
    used = _names_in_data(data)
    key = fold(query)
    meanings = data.agencies.meanings(query)
    if len(meanings) > 1:  # "Vụ Pháp chế": of which ministry?
        return AgencyChoice(None, tuple(meanings), ambiguous=True, units=True)
    if meanings and len(data.agencies.by_key[key]) > 1:
        return AgencyChoice(meanings[0])  # the unit of the repository's own organisation
    if key in data.agencies.by_key or any(fold(name) == key for name in used):
        return AgencyChoice(query)
    # name without diacritics -> {spelling (folded) -> the name shown for it}
    spellings: dict[str, dict[str, str]] = {}
    for agency in data.agencies.agencies.values():
        for variant in (agency.name, agency.short, *agency.aliases):
            if variant:
                owners = data.agencies.by_key[fold(variant)]
                shown = agency.name if len(owners) == 1 else variant
                spellings.setdefault(plain(fold(variant)), {})[fold(variant)] = shown
    for name in used:
        spellings.setdefault(plain(fold(name)), {}).setdefault(fold(name), name)
    wanted = plain(fold(query))
    same = sorted(set(spellings.get(wanted, {}).values()))
    if len(same) == 1:
        meanings = data.agencies.meanings(same[0])
        if len(meanings) > 1:
            return AgencyChoice(None, tuple(meanings), ambiguous=True, units=True)
        return AgencyChoice(meanings[0] if meanings else same[0])
    if same:
        return AgencyChoice(None, tuple(same), ambiguous=True)
    close: list[str] = []
    registry = {plain(fold(name)) for name in data.agencies.by_key}
    for near in _closest(wanted, list(spellings), registry):
        close.extend(n for n in sorted(set(spellings[near].values())) if n not in close)
    return AgencyChoice(None, tuple(close[:MAX_CLOSE]))


MAX_CLOSE = 5  # names offered for an unknown agency


def _closest(wanted: str, keys: list[str], registry: set[str]) -> list[str]:
    """The spellings (without diacritics, casefolded) closest to ``wanted``: registry names
    it begins ("bo khoa hoc" -> "bo khoa hoc va cong nghe"), registry names whose words
    its words begin ("tai chinh" -> "bo tai chinh"), shortest first, then fuzzy matches
    among every name (registry and data)."""
    words = wanted.split()
    if not words:
        return []
    names = sorted((k for k in keys if k in registry), key=lambda k: (len(k), k))
    prefix = [k for k in names if k.startswith(wanted)]
    by_words = [
        k
        for k in names
        if k not in prefix and all(any(w.startswith(q) for w in k.split()) for q in words)
    ]
    fuzzy = difflib.get_close_matches(wanted, keys, n=MAX_CLOSE, cutoff=0.7)
    found: list[str] = []
    for key in (*prefix, *by_words, *fuzzy):
        if key not in found:
            found.append(key)
    return found[:MAX_CLOSE]


def is_collective(data: DataSet, name: str) -> bool:
    """A lead that names many bodies at once ("Các bộ, ngành, địa phương"): registry kind
    ``group``; a name not in the registry that starts with "Các"; no lead at all."""
    entry = data.agencies.agencies.get(name)
    if entry is not None:
        return entry.kind == "group"
    return name == t("label.no_lead") or name.lower().startswith(("các ", "các "))
