"""The package's floors: io -> model -> check -> analysis -> render -> cli, edit beside.

A module may import from its own floor or below, never above, and no import cycle
exists (imports inside functions and ``lazy("nq57....")`` of cli/ count too). Imports
sit at module level: cli/ defers through ``nq57.cli.lazy.lazy``, nothing imports inside
a function except the modules of ``NESTED_IMPORTS``, each with its reason."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from nq57.errors import Nq57Error

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


# module -> why it still imports inside a function (names used only for typing sit
# under `if TYPE_CHECKING:` and are not counted). Each is a cost a fast path avoids (#17).
NESTED_IMPORTS = {
    "nq57.i18n": "PyYAML only when the message catalogue must be compiled, not at start",
    "nq57.render.status": "rich only for a table: warm JSON/CSV status never loads it",
    "nq57.render.sql": "rich only for a table, NumPy only when DuckDB is filled",
    "nq57.io.loader": "libyaml only when a file is parsed: a run the snapshot answers skips it",
    "nq57.check.pipeline": "multiprocessing and libyaml only for a cold run (workers, parsing)",
}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")


def _lazy_target(node: ast.AST) -> str | None:
    """``lazy("nq57.x")`` -> ``"nq57.x"`` (the one deferred import of cli/)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "lazy"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _modules() -> dict[str, set[str]]:
    modules: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        name = _module_name(path)
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps.add(node.module)
                deps.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
            elif target := _lazy_target(node):
                deps.add(target)
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


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nested_imports(tree: ast.Module) -> list[int]:
    """Lines of the imports inside a function (``if TYPE_CHECKING:`` blocks skipped)."""
    found: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                children: list[ast.AST] = list(child.orelse)
            else:
                children = [child]
            for item in children:
                if in_function and isinstance(item, ast.Import | ast.ImportFrom):
                    found.append(item.lineno)
                inside = isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                visit(item, in_function or inside)

    visit(tree, False)
    return found


def test_no_imports_inside_functions():
    """Imports sit at module level; cli/ defers them with nq57.cli.lazy.lazy. Only the
    modules of NESTED_IMPORTS still import inside a function, each for its reason."""
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        if name in NESTED_IMPORTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong += [f"{path.relative_to(SRC)}:{line}" for line in _nested_imports(tree)]
    assert not wrong, wrong


def test_nested_imports_are_found():
    tree = ast.parse(
        "import os\n"
        "if TYPE_CHECKING:\n    from x import Y\n"
        "def f():\n    import json\n    if TYPE_CHECKING:\n        import z\n"
        "class C:\n    def g(self):\n        from a import b\n"
    )
    assert _nested_imports(tree) == [5, 10]


# Exceptions of nq57 that are not an nq57.errors.Nq57Error, each with why: what reaches
# the user is an Nq57Error (message and exit code), turned into both by cli/app.run only.
NOT_USER_ERRORS = {
    "nq57.io.yamlio.AliasFound": "caught by the loader: becomes a diagnostic",
    "nq57.io.yamlio.TagFound": "caught by the loader: becomes a diagnostic",
    "nq57.io.fastyaml.Unsupported": "caught by the loader: the file is read the slow way",
    "nq57.edit.splice._Unsupported": "caught by the editor: the edit is refused (EditError)",
    "nq57.edit.fmt.FormatRefused": "caught by fmt.format_file: the file is left alone, listed",
    "nq57.io.gitstore.GitError": "git failing on a repository it accepted: a bug (exit 3)",
    "nq57.i18n.CatalogueError": "a broken message catalogue: a bug in nq57 (exit 3)",
    "nq57.edit.tables.common.CorrectionError": "raised only for tools/databuild (make data)",
    "nq57.cli.terminal.NotUtf8Argument": "the terminal's bytes, not the data: app.run says so",
}


def _exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        vars(module)  # a module of cli.lazy runs its code here
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_error_for_the_user_is_an_nq57_error():
    """A new exception class is an Nq57Error, or listed in NOT_USER_ERRORS with why."""
    classes = _exception_classes()
    stray = [n for n, c in classes.items() if not issubclass(c, Nq57Error)]
    assert sorted(stray) == sorted(NOT_USER_ERRORS), stray
