"""Regenerate docs/api.md (from docstrings) and docs/cli.md (from --help).

Run ``python docs/generate.py`` after changing a public docstring or a CLI option;
``tests/test_docs.py`` fails while the committed files are out of date.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

import newsclass  # noqa: E402
from newsclass.cli import build_parser, main  # noqa: E402


def cli_commands() -> list[list[str]]:
    """The top-level command, then every subcommand in the order --help lists them."""
    subparsers = next(action for action in build_parser()._actions if action.dest == "command")
    return [[], *([name] for name in subparsers.choices)]


def api_reference() -> str:
    parts = ["# API reference", "", "Generated from the docstrings by `python docs/generate.py`.", ""]
    for name in newsclass.__all__:
        obj = getattr(newsclass, name)
        if name.startswith("__") or inspect.ismodule(obj):
            continue
        if inspect.isclass(obj) and issubclass(obj, Warning | Exception):
            continue  # errors have their own page, docs/errors.md
        if not callable(obj):  # a constant: its module's docstring says what it is for
            module = importlib.import_module(newsclass._MODULE_OF[name], "newsclass")
            words = ", ".join(sorted(obj)) if isinstance(obj, frozenset) else repr(obj)
            parts += [f"## `newsclass.{name}`", "", "*constant*", "", "```text", inspect.getdoc(module) or "", "", words, "```", ""]
            continue
        kind = "class" if inspect.isclass(obj) else "function"
        try:
            signature = str(inspect.signature(obj))
        except (TypeError, ValueError):
            signature = "(...)"
        parts += [f"## `newsclass.{name}{signature}`", "", f"*{kind}*", "", "```text", inspect.getdoc(obj) or "", "```", ""]
    return "\n".join(parts)


def cli_reference() -> str:
    parts = ["# Command-line reference", "", "Generated from `--help` by `python docs/generate.py`.", ""]
    for command in cli_commands():
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            main([*command, "--help"])
        title = " ".join(["newsclass", *command])
        parts += [f"## `{title}`", "", "```text", output.getvalue().rstrip(), "```", ""]
    return "\n".join(parts)


def generated() -> dict[Path, str]:
    return {DOCS / "api.md": api_reference(), DOCS / "cli.md": cli_reference()}


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help, and no stray arguments
    os.environ["COLUMNS"] = "100"  # argparse wraps --help to the terminal width
    for path, text in generated().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
