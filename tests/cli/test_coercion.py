"""nq57.cli.coercion gives every option value exactly what typer's pydantic coercion gives:
the same value, or the same error (it hands every case it is unsure of to typer)."""

from __future__ import annotations

import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import core as click_core
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from nq57.cli.app import app
from nq57.cli.coercion import LightParam, light_param


def _params() -> list[tuple[click_core.Command, click_core.Parameter]]:
    found = []

    def walk(command: click_core.Command) -> None:
        found.extend((command, param) for param in command.params)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


PARAMS = _params()


def _outcome(runtime, value, param, ctx):
    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "bad", exc.format_message()


def test_every_option_of_nq57_is_coerced_without_pydantic():
    """Each kind of option nq57 has (text, flag, path, enum, integer, lists) is light."""
    heavy = [
        f"{command.name} {param.name}: {param.type_descriptor.annotation}"
        for command, param in PARAMS
        if light_param(param.type_descriptor) is None
    ]
    assert not heavy


TEXTS = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"[+-]?[0-9_ ]{0,25}(\.[0-9]*)?", fullmatch=True),
    st.sampled_from(["0", "100", "101", "36500", "36501", "-1", "007", "1e2", "٣", "JSON", "csv"]),
    st.text(alphabet="\udcff\x00/é. ", max_size=6),
)
VALUES = st.one_of(TEXTS, st.lists(TEXTS, max_size=3), st.integers(-5, 40000), st.booleans())


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, len(PARAMS) - 1), value=VALUES)
def test_light_coercion_gives_what_typer_gives(index, value):
    command, param = PARAMS[index]
    ctx = click_core.Context(command)
    light = light_param(param.type_descriptor)
    assert isinstance(light, LightParam)
    full = build_runtime_param(param.type_descriptor)
    if isinstance(value, list) and not light.many:
        value = value[0] if value else ""
    expected = _outcome(full, value, param, ctx)
    got = _outcome(light, value, param, ctx)
    assert got == expected
    if got[0] == "ok":
        assert type(got[1]) is type(expected[1])
