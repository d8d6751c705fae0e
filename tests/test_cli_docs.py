"""docs/cli.md documents every command of `review` and every option of each: a command or an option
added without its documentation fails here (the commands and options are read from the parser)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from review.cli import parser

DOC = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(p: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, p
    for action in subs:
        for name, child in action.choices.items():
            yield from _commands(child, (*path, name))


def _section(path: tuple[str, ...]) -> str | None:
    """The text of the section whose heading names the command (`review submission return|validate|...`)."""
    found = []
    for section in re.split(r"^### ", DOC, flags=re.M)[1:]:
        heading = re.match(r"`review ([^`]*)`", section)
        words = heading.group(1).split() if heading else []
        if len(words) >= len(path) and all(name in word.split("|") for name, word in zip(path, words)):
            found.append(section)
    return "\n".join(found) or None


def test_every_command_and_option_is_documented():
    commands = list(_commands(parser()))
    assert len(commands) > 30
    undocumented, options = [], []
    for path, command in commands:
        section = _section(path)
        if section is None:
            undocumented.append(" ".join(path))
            continue
        options += [(" ".join(path), o) for a in command._actions for o in a.option_strings
                    if o.startswith("--") and o != "--help" and o not in section]
    assert undocumented == [] and options == []
