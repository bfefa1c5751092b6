"""``python -m newsclass``: the same as the ``newsclass`` command."""

from .cli.main import console_main

console_main()
