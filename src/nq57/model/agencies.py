"""Agency names: folding, alias resolution, successors of merged bodies.

Names in ``lead``/``support``/``owner`` are matched after Unicode NFC, case and
whitespace folding. A short name shared by units of different ministries
("Vụ Pháp chế") resolves by the issuer of the decision that uses it.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from nq57.model.entities import Agency, AgencyRegistry

_WS = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)  # the same few hundred names, over and over
def fold(name: str) -> str:
    """The matching key of a name: NFC, casefolded, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFC", name).casefold()
    return _WS.sub(" ", text).strip(" .,;")


@dataclass
class AgencyIndex:
    agencies: dict[str, Agency]  # canonical name -> entry
    by_key: dict[str, list[str]]  # folded name or alias -> canonical names

    @classmethod
    def build(cls, registry: AgencyRegistry | None) -> AgencyIndex:
        agencies: dict[str, Agency] = {}
        by_key: dict[str, list[str]] = defaultdict(list)
        for agency in registry.agencies if registry else []:
            agencies[agency.name] = agency
            for variant in (agency.name, agency.short, *agency.aliases):
                if variant and agency.name not in by_key[fold(variant)]:
                    by_key[fold(variant)].append(agency.name)
        return cls(agencies, dict(by_key))

    @property
    def empty(self) -> bool:
        return not self.agencies

    def resolve(self, name: str, issuer: str | None = None) -> Agency | None:
        """The entry a printed name means, or None when unknown.

        When several entries share the name, the one belonging to ``issuer``
        (the issuing body of the decision) wins; otherwise the first.
        """
        candidates = self.by_key.get(fold(name), [])
        if not candidates:
            return None
        if len(candidates) > 1 and issuer:
            owner = self.resolve(issuer)
            owner_name = owner.name if owner else issuer
            for candidate in candidates:
                if self.agencies[candidate].parent == owner_name:
                    return self.agencies[candidate]
        return self.agencies[candidates[0]]

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
