"""Entry point of the ``newsclass`` command: global options and subcommand dispatch."""

from __future__ import annotations

import argparse
import logging
import platform
import sys
from collections.abc import Sequence

from .._errors import NewsclassError
from .._persist import sklearn_version
from .._version import __version__
from . import classify, evaluate, segment, train

_SUBCOMMANDS = (segment, classify, train, evaluate)
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def version_text() -> str:
    """The line ``--version`` prints: newsclass, scikit-learn and Python versions."""
    return (
        f"newsclass {__version__} (scikit-learn {sklearn_version()}, "
        f"Python {platform.python_version()})"
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the whole command, subcommands included."""
    parser = argparse.ArgumentParser(
        prog="newsclass",
        description="Split news pages into story items and tag each with its topics.",
        epilog="Exit codes: 0 ok, 1 failure, 2 usage error. "
        "Run 'newsclass COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    # Also before the command ("newsclass -v classify ..."); the command's own -v adds to it.
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="global_verbose", help="more diagnostics on stderr (-vv for debug)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def configure_logging(verbosity: int) -> None:
    """Send log records to stderr: warnings by default, -v info, -vv debug."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="newsclass: %(levelname)s: %(message)s", stream=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if hasattr(args, "check"):  # options that cannot go together: also usage errors
            args.check(args)
    except SystemExit as exit_request:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_request.code or 0)
    configure_logging(args.verbose + args.global_verbose)
    try:
        return int(args.run(args))
    except NewsclassError as error:
        print(f"newsclass: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("newsclass: interrupted", file=sys.stderr)
        return 130


def console_main() -> None:
    """The ``newsclass`` console script."""
    sys.exit(main())


if __name__ == "__main__":
    console_main()
