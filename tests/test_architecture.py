"""The package's floors: io -> model -> check -> analysis -> render -> cli, edit beside.

A module may import from its own floor or below, never above, and no import cycle
exists (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lower number = lower floor. edit sits beside render: both may use check and analysis.
FLOORS = {
    "nq57.i18n": 0,
    "nq57.diagnostics": 0,
    "nq57.errors": 0,
    "nq57.io": 1,
    "nq57.model": 2,
    "nq57.check": 3,
    "nq57.analysis": 4,
    "nq57.render": 5,
    "nq57.edit": 5,
    "nq57.cli": 6,
    "nq57.__main__": 7,
}


def _modules() -> dict[str, set[str]]:
    modules: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps.add(node.module)
                deps.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        modules[name] = {d for d in deps if d.startswith("nq57")}
    return modules


def _floor(module: str) -> int | None:
    for prefix, floor in FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return floor
    return None


def _graph() -> dict[str, set[str]]:
    modules = _modules()

    def known(dep: str) -> str | None:
        while dep and dep not in modules:
            dep = dep.rpartition(".")[0]
        return dep or None

    return {m: {k for d in deps if (k := known(d)) and k != m} for m, deps in modules.items()}


def test_no_module_imports_from_a_higher_floor():
    wrong = []
    for module, deps in _graph().items():
        mine = _floor(module)
        for dep in deps:
            theirs = _floor(dep)
            if mine is not None and theirs is not None and theirs > mine:
                wrong.append(f"{module} -> {dep}")
    assert not wrong, wrong


def test_every_module_has_a_floor():
    homeless = [m for m in _graph() if m != "nq57" and _floor(m) is None]
    assert not homeless, homeless


def test_no_import_cycles():
    graph = _graph()
    done: set[str] = set()
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append(" -> ".join([*path[path.index(module) :], module]))
            return
        if module in done:
            return
        for dep in sorted(graph.get(module, ())):
            visit(dep, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert not cycles, cycles
