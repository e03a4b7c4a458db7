"""Candidate YAML parsers against the libyaml floor and nq57's fast reader, on the same files.

    .venv/bin/python scripts/parser_shootout.py DIR [DIR ...] [--repeat 5]

For each data folder, every ``*.yaml`` file is read into memory once; then each candidate
turns every text into Python data, ``--repeat`` times, alternating the candidates, and the
median CPU time (``time.process_time``; the cyclic garbage collector off, as in nq57's
load) is reported, with its ratio to the floor and to the fast reader as it was before
yaml_rs (libyaml + nq57's resolver/converter, ``fastyaml.USE_RUST = False``).

Semantics: each candidate's data must equal that reader's (``repr``, so types and NaN
count), file by file, and on a list of probe documents (YAML 1.2 as nq57 reads it:
``yes``/``on`` are text, ``0o17``/``1_000`` are numbers, dates stay text; duplicate keys,
non-text keys and several documents are refused). A candidate that raises where the
reader gives data, or the reverse, counts as a difference.

Candidates (each skipped when not installed):
  floor        ``yaml.load(f, Loader=yaml.CSafeLoader)`` on the open file (scripts/bench.py)
  floor-text   the same on the text in memory
  fast-libyaml nq57.io.fastyaml.load, libyaml path only (the reader before yaml_rs)
  fast         nq57.io.fastyaml.load as it is (yaml_rs first, libyaml as the fallback)
  yaml_rs      ``yaml_rs.loads(text, parse_datetime=False)`` alone (Rust)
  yaml12       ``yaml12.parse_yaml(text)`` (py-yaml12, Rust, YAML 1.2)
  ryaml        ``ryaml.loads(text)`` (Rust)
  rapidyaml    ``ryml.parse_in_arena`` (C++) + a Python walk of its tree with nq57's
               resolvers (its Python API gives a tree, not Python data)
  ryml-parse   ``ryml.parse_in_arena`` alone: a lower bound, no Python data
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import yaml  # noqa: E402

from nq57.io import fastyaml  # noqa: E402

_SCALARS = (
    "0o17 017 0x1F 0X1F 0b101 1_000 _1 1e3 1e_3 .5 .5e3 1. 1:30 yes No on off y ~ null"
    " True FALSE -.inf .NaN .iNf +12 -0 2025-02-30 2025-09-30 1.5e-3 0.1_5 16. 1,5"
    " 99999999999999999999999 1e400"
)
PROBES = [
    *(f"value: {s}\n" for s in _SCALARS.split()),
    "value: '1.1'\n",
    'value: "16."\n',
    "value: Tháng 9/2025\n",
    "value: KH&CN\n",
    "value: a # comment\n",
    "a: 1\na: 2\n",
    "1: x\n",
    "~: x\n",
    "a: 1\n---\nb: 2\n",
    'a: "\\ud83d\\ude00"\n',
    "k: |\n x\n  y",
    "k: |+\n  x\n\n",
    "k: >-\n  x\n\n  y\n",
    "a: 'x\r\n  y'\r\n",
    "a: [1, [2, [3]]]\nb: {c: d}\n",
]


def _libyaml(text: str) -> Any:
    saved, fastyaml.USE_RUST = fastyaml.USE_RUST, False
    try:
        return fastyaml.load(text)
    finally:
        fastyaml.USE_RUST = saved


def _rapidyaml() -> Callable[[str], Any] | None:
    try:
        import ryml
    except ImportError:
        return None

    def scalar(tree: Any, node: int, value: Any, quoted: bool) -> Any:
        text = bytes(value).decode() if value is not None else ""
        if quoted:
            return text
        for tag, regexp in fastyaml._IMPLICIT_BY_FIRST.get(text[:1], ()):
            if regexp.match(text):
                if tag == fastyaml._INT:
                    return fastyaml._int(text)
                if tag == fastyaml._FLOAT:
                    return fastyaml._float(text)
                if tag == fastyaml._BOOL:
                    return text[0] in "tT"
                return None
        return text

    def convert(tree: Any, node: int) -> Any:
        if tree.is_map(node):
            out: dict[str, Any] = {}
            child = tree.first_child(node)
            while child != ryml.NONE:
                key = scalar(tree, child, tree.key(child), tree.is_key_quoted(child))
                if not isinstance(key, str) or key in out:
                    raise ValueError("duplicate or non-text key")
                out[key] = convert(tree, child)
                child = tree.next_sibling(child)
            return out
        if tree.is_seq(node):
            items = []
            child = tree.first_child(node)
            while child != ryml.NONE:
                items.append(convert(tree, child))
                child = tree.next_sibling(child)
            return items
        styled = tree.is_val_quoted(node) or tree.is_val_literal(node) or tree.is_val_folded(node)
        return scalar(tree, node, tree.val(node), styled)

    def load(text: str) -> Any:
        tree = ryml.parse_in_arena(text.encode())
        root = tree.root_id()
        if tree.is_stream(root):
            if tree.num_children(root) != 1:
                raise ValueError("several documents")
            root = tree.first_child(root)
        return convert(tree, root)

    return load


def candidates() -> dict[str, Callable[[str], Any]]:
    found: dict[str, Callable[[str], Any]] = {
        "floor-text": lambda text: yaml.load(text, Loader=yaml.CSafeLoader),
        "fast-libyaml": _libyaml,
        "fast": fastyaml.load,
    }
    try:
        import yaml_rs

        found["yaml_rs"] = lambda text: yaml_rs.loads(text, parse_datetime=False)
    except ImportError:
        pass
    try:
        import yaml12

        found["yaml12"] = yaml12.parse_yaml
    except ImportError:
        pass
    try:
        import ryaml

        found["ryaml"] = ryaml.loads
    except ImportError:
        pass
    walk = _rapidyaml()
    if walk is not None:
        import ryml

        found["rapidyaml"] = walk
        found["ryml-parse"] = lambda text: ryml.parse_in_arena(text.encode())
    return found


def _answer(load: Callable[[str], Any], text: str) -> str:
    try:
        return repr(load(text))
    except Exception:  # noqa: BLE001 - a refusal, compared as such
        return "<refused>"


def run(folder: Path, repeat: int) -> list[str]:
    paths = sorted(p for p in folder.rglob("*.yaml") if not p.name.startswith("."))
    texts = [p.read_bytes().decode("utf-8-sig") for p in paths]
    loads = candidates()
    expected = [_answer(_libyaml, text) for text in texts]
    probes = [_answer(_libyaml, text) for text in PROBES]
    times: dict[str, list[float]] = {"floor": [], **{name: [] for name in loads}}
    gc.disable()
    for _ in range(repeat):
        start = time.process_time()
        for path in paths:
            with open(path, "rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
        times["floor"].append(time.process_time() - start)
        for name, load in loads.items():
            start = time.process_time()
            for text in texts:
                try:
                    load(text)
                except Exception:  # noqa: BLE001, S112 - refusals cost time too
                    continue
            times[name].append(time.process_time() - start)
    gc.enable()
    floor = statistics.median(times["floor"])
    before = statistics.median(times["fast-libyaml"])
    size = sum(len(t.encode()) for t in texts) / 1e6
    lines = [
        f"{folder}: {len(texts):,} files, {size:.1f} MB; median of {repeat} runs, CPU s",
        "",
        "| parser | CPU s | × floor | × fast reader before | files differing "
        f"| probes differing (of {len(PROBES)}) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        if name in ("floor", "ryml-parse"):
            files = probes_off = "–"
        else:
            load = loads[name]
            files = str(sum(_answer(load, t) != e for t, e in zip(texts, expected, strict=True)))
            probes_off = str(
                sum(_answer(load, t) != e for t, e in zip(PROBES, probes, strict=True))
            )
        lines.append(
            f"| {name} | {median:.3f} | {median / floor:.2f} | {median / before:.2f} "
            f"| {files} | {probes_off} |"
        )
    return lines


def differences(name: str) -> list[str]:
    """The probes on which a candidate differs from the fast reader (for the verdicts)."""
    load = candidates()[name]
    return [
        f"{text!r}: {_answer(load, text)[:40]} vs {_answer(_libyaml, text)[:40]}"
        for text in PROBES
        if _answer(load, text) != _answer(_libyaml, text)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="list each probe that differs")
    opts = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}, load {os.getloadavg()}")
    for folder in opts.folders:
        print("\n".join(run(folder, opts.repeat)), end="\n\n")
    if opts.explain:
        for name in candidates():
            if name != "ryml-parse":
                print(name, *differences(name), sep="\n  ")


if __name__ == "__main__":
    main()
