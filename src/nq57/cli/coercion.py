"""Option values without pydantic, when the answer is plain.

typer 0.29 turns every command-line value into its Python type through a pydantic
``TypeAdapter`` per parameter (``typer/_adapters.py``), so each command imported pydantic
(~0.06-0.08 s) just to read ``--check`` or ``--data DIR``. The options of nq57 are of a few
kinds: text, flags, paths, lists of them, enums and small integers. For those,
:func:`install_light_coercion` gives typer a :class:`LightParam`: the value is converted as
typer's adapter would convert it (text as is, ``Path(value)``, the enum member typer's
own ``coerce_cli_choice`` picks, a plain decimal integer inside its bounds). Anything else
-- a bad value, a bound crossed, an integer written ``+5`` or ``1_000``, a type not listed
-- goes to typer's own coercion, so its result and its error message are typer's, word for
word (``tests/cli/test_coercion.py`` holds the two against each other).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.models import ParameterInfo

UNSURE = object()  # a leaf's answer when typer's own coercion must decide
MAX_DIGITS = 18  # a plain integer of at most this many digits is certainly an int64

Leaf = Callable[[Any, Any, Any], Any]  # (value, param, ctx) -> converted value or UNSURE


@dataclass(frozen=True)
class LightParam(RuntimeParam):
    """A parameter's coercion: the plain cases here, the rest by typer (pydantic)."""

    descriptor: TypeDescriptor
    leaf: Leaf
    many: bool  # list[...]: each item converted by ``leaf``

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            if self.many:
                items = value if isinstance(value, (list, tuple)) else [value]
                done = [self.leaf(item, param, ctx) for item in items]
                if all(item is not UNSURE for item in done):
                    return done
            else:
                one = self.leaf(value, param, ctx)
                if one is not UNSURE:
                    return one
        except Exception:  # typer's coercion raises its own error, with its own words
            pass
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _text(value: Any, param: Any, ctx: Any) -> Any:
    return value if isinstance(value, str) else UNSURE


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    return value if isinstance(value, bool) else UNSURE


def _integer(info: ParameterInfo) -> Leaf:
    def leaf(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and value.isascii() and value.isdigit():
            if len(value) > MAX_DIGITS:
                return UNSURE
            value = int(value)
        elif type(value) is not int:
            return UNSURE
        if (info.min is not None and value < info.min) or (
            info.max is not None and value > info.max
        ):
            return UNSURE  # typer says what the bound is
        return value

    return leaf


def _choice(annotation: type[Enum], info: ParameterInfo) -> Leaf:
    choices = list(annotation)

    def leaf(value: Any, param: Any, ctx: Any) -> Any:
        sensitive = info.case_sensitive
        return coerce_cli_choice(value, choices=choices, case_sensitive=sensitive, ctx=ctx)

    return leaf


def _path(info: ParameterInfo) -> Leaf:
    def leaf(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str):
            value = Path(value)  # what pydantic's Path validator makes of any text
        elif not isinstance(value, Path):
            return UNSURE
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)

    return leaf


def _leaf(annotation: Any, info: ParameterInfo) -> Leaf | None:
    """The light conversion of one value, in the order of typer's ``build_leaf_adapter``."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info)
    if annotation is int:
        return None if info.clamp else _integer(info)
    if annotation is bool:
        return _flag
    if annotation is str:
        return _text
    if annotation is Path and info.path_type in (None, Path):
        return _path(info)
    return None


def light_param(descriptor: TypeDescriptor) -> LightParam | None:
    """A :class:`LightParam` for the parameter, or None when typer's coercion must do it."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return None
    annotation = descriptor.annotation
    many = get_origin(annotation) is list
    if many:
        (annotation,) = get_args(annotation)
    leaf = _leaf(annotation, info)
    if leaf is None:
        return None
    return LightParam(
        parameter_info=info,
        annotation=descriptor.annotation,
        descriptor=descriptor,
        leaf=leaf,
        many=many,
    )


def _runtime_param(self: typer.core._TyperParameter) -> RuntimeParam:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        self._runtime_param = light_param(descriptor) or build_runtime_param(descriptor)
    return self._runtime_param


def install_light_coercion() -> None:
    """Route typer's per-parameter coercion through :func:`light_param` first."""
    typer.core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]
