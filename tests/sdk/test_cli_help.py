"""Every `--help` is complete: each option explained, with its variable and default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.testing import CliRunner

from contactd.cli import cli


def commands(group: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


ROOT = typer.main.get_command(cli)
assert isinstance(ROOT, TyperGroup)
COMMANDS = list(commands(ROOT))


def command_at(path: tuple[str, ...]) -> typer.core.TyperCommand | TyperGroup:
    command: typer.core.TyperCommand | TyperGroup = ROOT
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "contactd")
def test_help_names_every_option_with_its_variable_and_default(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # wrapped lines joined
    assert "<bool>" not in text
    for param in command_at(path).params:
        if isinstance(param, TyperArgument):
            assert param.help, f"argument {param.name} has no help text"
            continue
        if not isinstance(param, TyperOption) or param.name == "help":
            continue
        assert param.help, f"{param.opts[0]} has no help text"
        assert param.opts[0] in text
        if param.envvar:
            assert f"env var: {param.envvar}" in text
        if param.is_flag and param.secondary_opts:  # --x/--no-x: the default is named
            shown = param.opts[0] if param.default else param.secondary_opts[0]
            assert f"default: {shown.removeprefix('--')}" in text
        elif param.default not in (None, False, "") and not param.hide_input:
            assert f"default: {param.default}" in text.replace("default: (", "default: ")


def test_serve_help_shows_the_variables_and_defaults() -> None:
    text = " ".join(CliRunner().invoke(cli, ["serve", "--help"]).output.split())
    assert "[env var: CONTACTD_PORT; default: 8080; 0<=x<=65535]" in text
    assert "env var: CONTACTD_DATABASE_URL; default: sqlite:///contactd.db" in text
    assert "<critical|error|warning|info|debug>" in text
