"""Progress of a long run on stderr: items done, items per second, and the time left when the size is known."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

_INTERVAL = 0.5  # seconds between two updates of the line


class Progress:
    """Counts items and input bytes, and redraws one status line on stderr at most twice a second.

    The share done and the time left are estimated when the input's size is known: from the
    items written and the bytes per line read so far (reading runs ahead of the writing,
    the more so with worker processes). On a terminal the line is redrawn in place; in a file
    each update is a line of its own, with no terminal codes.
    """

    def __init__(self, *, total_bytes: int | None, enabled: bool, stream: TextIO | None = None) -> None:
        self.items = 0
        self.bytes_read = 0
        self.lines_read = 0
        self._total_bytes = total_bytes or None
        self._enabled = enabled
        self._stream = stream or sys.stderr
        self._started = time.perf_counter()
        self._shown = self._started

    def counting(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        """The lines, counting their bytes as they are read."""
        for line in lines:
            self.bytes_read += len(line)
            self.lines_read += 1
            yield line

    def advance(self, items: int = 1) -> None:
        self.items += items
        if self._enabled and self.items // 256 != (self.items - items) // 256:
            now = time.perf_counter()
            if now - self._shown >= _INTERVAL:
                self._shown = now
                self._show(self.status(now), final=False)

    def status(self, now: float | None = None) -> str:
        elapsed = max((now or time.perf_counter()) - self._started, 1e-9)
        text = f"newsclass: {self.items:,} items, {self.items / elapsed:,.0f} items/s"
        if self._total_bytes and self.lines_read:
            share = min(self.items * self.bytes_read / self.lines_read / self._total_bytes, 1.0)
            text += f", {share:.0%}, ETA {_duration(elapsed * (1 - share) / max(share, 1e-9))}"
        return text

    def finish(self) -> None:
        if self._enabled:
            self._show(self.status() + ", done", final=True)

    def _show(self, status: str, *, final: bool) -> None:
        if self._stream.isatty():
            self._stream.write("\r" + status + "\033[K" + ("\n" if final else ""))
        else:
            self._stream.write(status + "\n")
        self._stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m"
