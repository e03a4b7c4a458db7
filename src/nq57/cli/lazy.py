"""The one way ``cli/`` defers imports: modules imported on first use.

``nq57 --help`` and ``nq57 --version`` import the command modules (to list and parse the
commands) and nothing below ``cli/``: pydantic, ruamel.yaml, rich and the data code are
imported only by the command that runs. So a command module imports the layers below it
through :func:`lazy`, at module level, and uses them as attributes::

    pipeline = lazy("nq57.check.pipeline")

    def status(...):
        dataset = pipeline.load(...)

The module object is returned at once; its code runs on the first attribute access
(:class:`importlib.util.LazyLoader`). Names that typer needs while building the commands
(option types such as enums, ``Annotated`` aliases) come from ``cli/`` itself or from
light modules (:mod:`nq57.i18n`, :mod:`nq57.errors`, :mod:`nq57.render`'s ``__init__``).
``tests/cli/test_startup.py`` checks that listing the commands imports nothing heavy.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module ``name``, imported when one of its attributes is first used."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)  # imports the parent packages (light __init__s)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module
