"""Every YAML setup of nq57, in one place.

Data files, ``config.yaml`` and the bundled registry follow YAML 1.2 (``yes`` and
``on`` are text, no sexagesimal numbers):

- :func:`checked_yaml` reads data files with positions (ruamel.yaml round-trip):
  dates stay text, aliases and exotic tags are refused, duplicate keys are errors;
- :func:`round_trip_yaml` writes in the house style (two-space indent, no wrapping);
- :func:`canonical_yaml` is the house style as ``nq57 fmt`` writes it;
- :func:`compose_yaml` gives the node tree the edit commands splice text by;
- :func:`load_settings` reads settings (``config.yaml``, the bundled registry):
  plain data, no positions; :data:`YAMLError` is what it raises.

The libyaml reader of data files with the 1.2 semantics is :mod:`nq57.io.fastyaml`
(speed; its equivalence with :func:`checked_yaml` is tested). The message catalogues,
our own files, are compiled by :mod:`nq57.i18n` itself (PyYAML's safe reader, once per
change of the catalogue), so the ground floor imports nothing from this one.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import Node
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

__all__ = [
    "MAX_DEPTH",
    "AliasFound",
    "Stamp",
    "TagFound",
    "YAMLError",
    "canonical_yaml",
    "checked_yaml",
    "compose_yaml",
    "dump_mapping",
    "load_settings",
    "round_trip_yaml",
]

MAX_DEPTH = 50  # data files nest three levels deep; this only stops pathological input


# --- writing ------------------------------------------------------------------------------------


def round_trip_yaml() -> YAML:
    """A round-trip (comment-preserving) YAML 1.2 instance in the house style."""
    yaml = YAML(typ="rt")
    yaml.version = None  # no %YAML directive in output; 1.2 semantics by default
    yaml.width = 1_000_000  # never wrap long Vietnamese cells (keeps diffs small)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def dump_mapping(data: dict[str, Any]) -> str:
    """Serialise a plain mapping in the house style."""
    buf = io.StringIO()
    round_trip_yaml().dump(data, buf)
    return buf.getvalue()


# --- reading data files -------------------------------------------------------------------------


class _TextDateConstructor(RoundTripConstructor):
    """Keeps ``2025-02-30`` as text so the model reports it with its position
    (YAML 1.2's core schema has no timestamps anyway)."""


_TextDateConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)


class AliasFound(Exception):
    """An alias (``*name``) in a data file: refused before it is resolved."""

    def __init__(self, mark: Any):
        super().__init__("alias")
        self.mark = mark


class TagFound(Exception):
    """An explicit tag other than the core ones (``!!omap``, ``!python/...``, ``!x``)."""

    def __init__(self, tag: str, mark: Any):
        super().__init__(tag)
        self.tag = tag
        self.mark = mark


_CORE_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
}


class _NoAliasComposer(Composer):
    """Stops at the first alias, so alias bombs cost nothing and merge keys
    (``<<: *base``) cannot hide fields from review; refuses exotic tags."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # an unused anchor is harmless; print nothing

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            raise AliasFound(self.parser.peek_event().start_mark)
        event = self.parser.peek_event()
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in _CORE_TAGS and str(tag) != "!":
            raise TagFound(str(tag), event.start_mark)
        return super().compose_node(parent, index)


def checked_yaml() -> YAML:
    """The data files' reader: positions kept, dates as text, no aliases or odd tags,
    duplicate keys refused, nesting limited to :data:`MAX_DEPTH`."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDateConstructor
    yaml.Composer = _NoAliasComposer
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    return yaml


def compose_yaml(text: str) -> Node:
    """The node tree of a document (with positions), duplicate keys refused."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    node: Node = yaml.compose(text)
    return node


# --- fmt's canonical style ----------------------------------------------------------------------


class Stamp(str):
    """A plain scalar YAML would read as a timestamp, kept as written (2025-02-30 too)."""


class _CanonicalConstructor(RoundTripConstructor):
    pass


_CanonicalConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: Stamp(loader.construct_scalar(node)),
)


class _CanonicalRepresenter(RoundTripRepresenter):
    pass


_CanonicalRepresenter.add_representer(
    Stamp, lambda r, value: r.represent_scalar("tag:yaml.org,2002:timestamp", str(value))
)
_CanonicalRepresenter.add_representer(
    type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
)


class _CanonicalEmitter(Emitter):
    """Two spaces between a value and the comment on its line (not the old column)."""

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        if not pre and self.column and comment.value and not comment.value.startswith("\n"):
            comment = CommentToken(comment.value, CommentMark(self.column + 2))
        super().write_comment(comment, pre)


def canonical_yaml() -> YAML:
    """The house style as ``nq57 fmt`` writes it: quotes only where needed, ``null``
    for an empty value, dates (even impossible ones) kept as written (:class:`Stamp`)."""
    yaml = round_trip_yaml()
    yaml.preserve_quotes = False
    yaml.Constructor = _CanonicalConstructor
    yaml.Representer = _CanonicalRepresenter
    yaml.Emitter = _CanonicalEmitter
    return yaml


# --- settings and package data ------------------------------------------------------------------


def load_settings(text: str) -> Any:
    """Plain data of a settings file (``config.yaml``, the bundled registry), YAML 1.2.
    Raises :data:`YAMLError`."""
    return YAML(typ="safe", pure=True).load(text)
