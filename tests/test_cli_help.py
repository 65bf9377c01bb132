"""Every command and option explains itself: a command or option without help text fails here."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from ficlens.cli import main

COMMANDS = sorted(main.commands)


def test_all_contract_commands_exist():
    assert {"analyze", "index", "search", "reuse", "serve", "eval", "check"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_examples(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`ficlens {name} --help` shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name):
    command = main.commands[name]
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, f"ficlens {name} {param.opts[0]} has no help text"


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2
