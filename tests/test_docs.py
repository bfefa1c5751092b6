"""The generated reference pages cover every public name and every CLI option; the training walkthrough quotes real output."""

from __future__ import annotations

import re

import newsclass
from newsclass.cli import build_parser

from .conftest import REPOSITORY

DOCS = REPOSITORY / "docs"


def test_api_reference_documents_every_public_function_and_class():
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    for name in newsclass.__all__:
        if name != "__version__":
            assert f"newsclass.{name}" in api or f"`{name}`" in errors, name


def test_cli_reference_lists_every_option():
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    for name, subparser in subparsers.choices.items():
        assert f"## `newsclass {name}`" in cli
        for action in subparser._actions:
            for option in action.option_strings:
                assert re.search(rf"{re.escape(option)}\b", cli), f"{name} {option}"


def test_readme_links_resolve():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (REPOSITORY / target).exists(), target


def test_training_walkthrough_shows_what_the_commands_print(tmp_path, capsys):
    # docs/training.md quotes the evaluate table of its retrain-evaluate cycle: a recipe change
    # that moves it must update the page.
    from newsclass.cli import main

    examples = REPOSITORY / "examples"
    assert main(["train", str(examples / "train_small.csv"), "--out", str(tmp_path / "mine")]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "mine"), str(examples / "evaluate_small.csv")]) == 0
    table = capsys.readouterr().out.split("\n\n")[0].strip()
    assert table.startswith("label          precision")
    assert table in (DOCS / "training.md").read_text(encoding="utf-8")
