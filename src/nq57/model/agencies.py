"""Agency names: folding, alias resolution, successors of merged bodies.

Names in ``lead``/``support``/``owner`` are matched after Unicode NFC, case and
whitespace folding. A short name of a unit ("Văn phòng Bộ", "Vụ Pháp chế") means
the unit of the body that uses it: the issuer of the decision, else the
repository's own organisation (``org`` in config.yaml). Such a name is *relative*
when the unit's registered name adds its parent body to it ("Vụ Pháp chế (Bộ Tài
chính)", "Văn phòng Bộ Tài chính"); it never resolves to another body's unit.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from nq57.model.entities import Agency, AgencyRegistry

_WS = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)  # the same few hundred names, over and over
def fold(name: str) -> str:
    """The matching key of a name: NFC, casefolded, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFC", name).casefold()
    return _WS.sub(" ", text).strip(" .,;")


def _is_relative(agency: Agency, variant: str, parent_names: list[str]) -> bool:
    """Is ``variant`` a short name that leaves out the parent body the registered
    name spells out ("Vụ Pháp chế" for "Vụ Pháp chế (Bộ Tài chính)")?
    ``parent_names``: the parent's name, short name and aliases."""
    if not agency.parent or variant == agency.name:
        return False
    parent = fold(agency.parent)
    names = [fold(n) for n in (agency.parent, *parent_names) if n]
    return parent in fold(agency.name) and not any(n in fold(variant) for n in names)


@dataclass
class AgencyIndex:
    agencies: dict[str, Agency]  # canonical name -> entry
    by_key: dict[str, list[str]]  # folded name or alias -> canonical names
    # (folded key, canonical name) pairs where the key is a relative short name
    relative: set[tuple[str, str]] = field(default_factory=set)
    home: str | None = None  # the repository's own organisation (config.yaml `org`)

    @classmethod
    def build(cls, registry: AgencyRegistry | None, home: str | None = None) -> AgencyIndex:
        agencies: dict[str, Agency] = {}
        by_key: dict[str, list[str]] = defaultdict(list)
        relative: set[tuple[str, str]] = set()
        entries = registry.agencies if registry else []
        names_of = {a.name: [n for n in (a.short, *a.aliases) if n] for a in entries}
        for agency in entries:
            agencies[agency.name] = agency
            variants = [v for v in (agency.name, agency.short, *agency.aliases) if v]
            parent_names = names_of.get(agency.parent or "", [])
            absolute = {fold(v) for v in variants if not _is_relative(agency, v, parent_names)}
            for variant in variants:
                key = fold(variant)
                if agency.name not in by_key[key]:
                    by_key[key].append(agency.name)
                    if key not in absolute:
                        relative.add((key, agency.name))
        return cls(agencies, dict(by_key), relative, home)

    @property
    def empty(self) -> bool:
        return not self.agencies

    def resolve(self, name: str, issuer: str | None = None) -> Agency | None:
        """The entry a printed name means, or None when unknown.

        A unit of the body that uses the name wins: that of ``issuer`` (the issuing
        body of the decision), else of :attr:`home`. A relative short name that
        belongs to neither is None (see :meth:`foreign_units`); another shared name
        is the first entry.
        """
        key = fold(name)
        candidates = self.by_key.get(key, [])
        if not candidates:
            return None
        owners = self._owners(issuer)
        for owner in owners:
            for candidate in candidates:
                if self._belongs(candidate, owner):
                    return self.agencies[candidate]
        plain = [c for c in candidates if (key, c) not in self.relative]
        if plain:
            return self.agencies[plain[0]]
        return None if owners else self.agencies[candidates[0]]

    def meanings(self, name: str) -> list[str]:
        """The entries a name typed on the command line may mean (no decision says whose
        unit it is): the unit of :attr:`home` when it has one (none when only other bodies'
        units bear the name), else the one entry that does not need a parent body to be
        read; several entries when the name is ambiguous."""
        key = fold(name)
        candidates = self.by_key.get(key, [])
        if len(candidates) < 2:
            return list(candidates)
        owners = self._owners(None)
        for owner in owners:
            mine = [c for c in candidates if self._belongs(c, owner)]
            if mine:
                return mine[:1]
        plain = [c for c in candidates if (key, c) not in self.relative]
        if len(plain) == 1:
            return plain
        if owners and not plain:  # a unit of home that the registry lacks: never another's
            return []
        distinct = {self.current(c): c for c in candidates}
        return sorted(distinct.values())

    def foreign_units(self, name: str, issuer: str | None = None) -> list[str]:
        """The units of other bodies a relative short name would mean, when it
        resolves to none of the user's own (empty otherwise)."""
        if self.resolve(name, issuer) is not None:
            return []
        key = fold(name)
        return [c for c in self.by_key.get(key, []) if (key, c) in self.relative]

    def owner(self, issuer: str | None = None) -> str | None:
        """The body whose units short names mean: the issuer, else :attr:`home`."""
        owners = self._owners(issuer)
        return owners[0] if owners else None

    def _belongs(self, name: str, owner: str) -> bool:
        """Is ``owner`` the parent body of ``name``, or the parent's parent …?"""
        seen: set[str] = set()
        agency = self.agencies.get(name)
        while agency and agency.parent and agency.parent not in seen:
            if agency.parent == owner:
                return True
            seen.add(agency.parent)
            agency = self.agencies.get(agency.parent)
        return False

    def _owners(self, issuer: str | None) -> list[str]:
        """The bodies that own the units a short name may mean, nearest first:
        the issuer then the repository's organisation (a unit stands for its parent)."""
        owners: list[str] = []
        for body in (issuer, self.home):
            if not body:
                continue
            key = fold(body)
            names = [c for c in self.by_key.get(key, []) if (key, c) not in self.relative]
            agency = self.agencies[names[0]] if names else None
            if agency is None:
                owner = body
            elif agency.kind == "unit" and agency.parent:
                owner = agency.parent
            else:
                owner = agency.name
            if owner not in owners:
                owners.append(owner)
        return owners

    def current(self, name: str, issuer: str | None = None) -> str:
        """Canonical name after following ``successor`` links (merged bodies)."""
        agency = self.resolve(name, issuer)
        if agency is None:
            return name
        seen = {agency.name}
        while agency.successor and agency.successor in self.agencies:
            agency = self.agencies[agency.successor]
            if agency.name in seen:
                break
            seen.add(agency.name)
        return agency.name

    def matches(self, query: str, name: str, issuer: str | None = None) -> bool:
        """Does a printed name fall under ``query`` (alias, successor or parent body)?"""
        target = self.current(query)
        current = self.current(name, issuer)
        if fold(current) == fold(target) or fold(name) == fold(query):
            return True
        agency = self.agencies.get(current)
        seen: set[str] = set()
        while agency and agency.parent and agency.parent not in seen:
            seen.add(agency.parent)
            if fold(self.current(agency.parent)) == fold(target):
                return True
            agency = self.agencies.get(agency.parent)
        return False

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        keys = difflib.get_close_matches(fold(name), list(self.by_key), n=limit, cutoff=0.6)
        names: list[str] = []
        for key in keys:
            for candidate in self.by_key[key]:
                if candidate not in names:
                    names.append(candidate)
        return names[:limit]
