"""`nq57 search`: find tasks, KPIs and decisions by words, ignoring diacritics and case.

"chuyen doi so" finds "chuyển đổi số": text and query are folded (NFC, casefold,
accents dropped, đ -> d). Every query word must start a word somewhere in the
entity's text fields (AND). Ranking: the exact phrase (folded) in the title/name, then
in another field, then all the words in the title/name, then spread over the fields;
then by id. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel

from nq57.model.dataset import DataSet
from nq57.model.entities import Decision, Kpi, Task

KINDS = ("task", "kpi", "decision")
PRIMARY = {"task": ("title",), "kpi": ("name",), "decision": ("title", "number")}
# The title again with HTML tags, and codes rather than text (status: done, type: luat).
SKIPPED = {"title_raw_html", "status", "type", "frequency", "for_period", "project_kind"}
SNIPPET = 90  # characters of context shown around the first match


_MARKS = re.compile("[\u0300-\u036f]")  # combining accents: every Vietnamese tone and vowel mark


def fold(text: str) -> str:
    """The search key of a text: "Chuyển đổi SỐ" -> "chuyen doi so" (any normal form)."""
    plain = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return plain.replace("đ", "d").replace("Đ", "d").casefold()


def fold_map(text: str) -> tuple[str, list[int]]:
    """fold(text) and, for each of its characters, the index in the NFC text (snippets)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        for piece in fold(ch):
            out.append(piece)
            where.append(i)
    return "".join(out), where


def query_words(query: str) -> list[str]:
    return [w for w in fold(query).split() if w]


@dataclass(frozen=True)
class Hit:
    kind: str  # "task" | "kpi" | "decision"
    id: str
    title: str
    field: str  # the field shown (the title/name when it matches every word)
    text: str  # that field's text
    fields: tuple[str, ...]  # every field with at least one query word
    primary: bool  # the title/name holds every word
    words: tuple[str, ...]  # the folded query words

    @property
    def snippet(self) -> str:
        """Computed when shown: thousands of hits may be counted but only a few printed."""
        return _snippet(self.text, list(self.words))

    def record(self) -> dict[str, Any]:
        """The JSON view (`nq57 search --format json`)."""
        keys = ("kind", "id", "title", "field", "snippet", "fields", "primary")
        return {k: list(self.fields) if k == "fields" else getattr(self, k) for k in keys}


def text_fields(entity: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field name, text) for every text value, nested lists and objects included."""
    for name in type(entity).model_fields:
        if name in SKIPPED:
            continue
        value = getattr(entity, name)
        key = f"{prefix}{name}"
        if name == "deadline" and isinstance(value, int):
            value = str(value)
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, BaseModel):
            yield from text_fields(value, f"{key}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    yield key, item
                elif isinstance(item, BaseModel):
                    yield from text_fields(item, f"{key}.")


def _patterns(words: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(r"(?<!\w)" + re.escape(w)) for w in words]


def _snippet(text: str, words: list[str]) -> str:
    """About SNIPPET characters around the query: the whole phrase where it occurs,
    else the first word's first match, else the first match of any word."""
    folded, where = fold_map(text)
    nfc = unicodedata.normalize("NFC", text)
    phrase = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)))
    tries = [phrase, *_patterns(words)]
    starts = [m.start() for p in tries if (m := p.search(folded))]
    if not starts:
        return ""
    first = where[starts[0]]
    begin = max(0, first - SNIPPET // 3)
    end = min(len(nfc), begin + SNIPPET)
    begin = max(0, min(begin, end - SNIPPET))
    piece = " ".join(nfc[begin:end].split())
    return ("…" if begin > 0 else "") + piece + ("…" if end < len(nfc) else "")


def match(kind: str, entity: BaseModel, words: list[str]) -> Hit | None:
    """A hit when every word starts a word in some text field of the entity."""
    patterns = _patterns(words)
    texts = list(text_fields(entity))
    whole = fold("\n".join(text for _, text in texts))  # most entities stop here
    if not all(p.search(whole) for p in patterns):
        return None
    found: set[int] = set()
    candidates = []  # (-words matched, not title/name, field order, field, text)
    for order, (name, text) in enumerate(texts):
        folded = fold(text)
        here = {i for i, p in enumerate(patterns) if p.search(folded)}
        if here:
            found |= here
            candidates.append((-len(here), name not in PRIMARY[kind], order, name, text))
    if len(found) < len(patterns):
        return None
    *_, name, text = min(candidates)
    primary = any(c[0] == -len(patterns) and not c[1] for c in candidates)
    fields = tuple(dict.fromkeys(c[3] for c in candidates))
    title = getattr(entity, PRIMARY[kind][0])
    entity_id = cast("Task | Kpi | Decision", entity).id
    return Hit(kind, entity_id, title, name, text, fields, primary, tuple(words))


def search(data: DataSet, query: str, kinds: tuple[str, ...] = KINDS) -> list[Hit]:
    """Every entity holding all the query words: title/name matches first, then by id."""
    words = query_words(query)
    if not words:
        return []
    tables: dict[str, dict[str, Task] | dict[str, Kpi] | dict[str, Decision]] = {
        "task": data.tasks,
        "kpi": data.kpis,
        "decision": data.decisions,
    }
    hits = [
        hit
        for kind in kinds
        for entity in tables[kind].values()
        if (hit := match(kind, entity, words)) is not None
    ]
    phrase = _phrase(words)
    return sorted(hits, key=lambda h: (_rank(h, phrase), h.id, KINDS.index(h.kind)))


def _phrase(words: list[str]) -> re.Pattern[str]:
    """The query words in order, as a phrase (punctuation and spaces between them)."""
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)")


def _rank(hit: Hit, phrase: re.Pattern[str]) -> int:
    """0: the exact phrase in the title/name; 1: the phrase in another field;
    2: every word in the title/name; 3: the words spread over several fields."""
    if phrase.search(fold(hit.title)):
        return 0
    if phrase.search(fold(hit.text)):
        return 1
    return 2 if hit.primary else 3
