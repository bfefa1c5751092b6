"""Turning what callers pass in into text: decoding bytes and splitting lines."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._errors import InputTooLargeError, InputTypeError, InputValueError, PageDecodeError

__all__ = ["DEFAULT_MAX_CHARS", "Line", "check_length", "decode_page", "require_choice", "require_text", "split_lines"]

#: Pages longer than this are refused unless the caller raises the limit: a
#: digest page is rarely over a few hundred kilobytes, and an accidental
#: multi-gigabyte input should fail fast instead of exhausting memory.
DEFAULT_MAX_CHARS = 50_000_000

_BYTE_ORDER_MARKS = (
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# C0 controls other than tab and line breaks: plenty of them means the bytes
# were not text in the encoding we tried.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_page(page: object, *, encoding: str | None = None, max_chars: int | None = DEFAULT_MAX_CHARS) -> str:
    """Return ``page`` as text, decoding bytes.

    Bytes are decoded with ``encoding`` when given; otherwise by their byte-order
    mark, then by a charset declared in an HTML ``<meta>`` tag, then as UTF-8,
    then as Windows-1252 (a superset of Latin-1 used by most legacy Western
    pages) when the result looks like text.

    Raises
    ------
    InputTypeError
        ``page`` is neither ``str`` nor bytes.
    PageDecodeError
        The bytes are not text in any of those encodings.
    InputTooLargeError
        The text is longer than ``max_chars``.
    """
    if isinstance(page, str):
        text = page
    elif isinstance(page, (bytes, bytearray, memoryview)):
        text = _decode_bytes(bytes(page), encoding)
    else:
        raise InputTypeError(f"page must be str or bytes, not {type(page).__name__}")
    check_length(text, max_chars)
    return text


def check_length(text: str, max_chars: int | None) -> None:
    """Raise :class:`InputTooLargeError` when ``text`` is over ``max_chars``."""
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(
            f"page has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it, or pass a larger max_chars (None for no limit)"
        )


def _decode_bytes(data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        return _decode_with(data, encoding, source="the given encoding")
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode_with(data, codec, source="its byte-order mark")
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        codec = declared.group(1).decode("ascii")
        try:
            codecs.lookup(codec)
        except LookupError:
            pass  # an unknown declaration is ignored, as browsers do
        else:
            return _decode_with(data, codec, source="its <meta charset>")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        legacy = _try_windows_1252(data)
        if legacy is not None:
            return legacy
        raise PageDecodeError(
            f"page bytes are not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at byte "
            f"{utf8_error.start}) nor Windows-1252/Latin-1 text; pass encoding=... "
            "or decode the page yourself",
            position=utf8_error.start,
        ) from None


def _decode_with(data: bytes, codec: str, *, source: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as error:
        position = getattr(error, "start", None)
        where = f" at byte {position}" if position is not None else ""
        raise PageDecodeError(
            f"page bytes cannot be decoded as {codec!r} (from {source}){where}: {error}",
            position=position,
        ) from None


def _try_windows_1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    # Binary data decodes "successfully" too; real text has few control characters.
    if len(_CONTROL_CHARACTERS.findall(text)) > max(1, len(text) // 100):
        return None
    return text


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: its text without the line break, and where it is."""

    number: int  # 1-based
    start: int  # offset of the first character
    end: int  # offset just past the last character, before the line break
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> Iterator[Line]:
    """Yield the lines of ``text``; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line.

    Unlike :meth:`str.splitlines`, form feeds and Unicode separators do not end
    a line, so line numbers match what editors and ``wc -l`` show.
    """
    position = 0
    number = 1
    for line_break in _LINE_BREAK.finditer(text):
        yield Line(number, position, line_break.start(), text[position : line_break.start()])
        position = line_break.end()
        number += 1
    if position < len(text) or position == 0:
        yield Line(number, position, len(text), text[position:])


def require_text(value: object, *, what: str, position: int | None = None) -> str:
    """Return ``value`` when it is a ``str``; raise a clear error otherwise."""
    if isinstance(value, str):
        return value
    where = f" at position {position}" if position is not None else ""
    raise InputTypeError(f"{what}{where} must be str, not {type(value).__name__}", position=position)


def require_choice(value: object, *, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` when it is one of ``choices``; raise listing them otherwise."""
    if value not in choices:
        raise InputValueError(f"{name} must be one of {list(choices)}, not {value!r}")
    return value  # type: ignore[return-value]
