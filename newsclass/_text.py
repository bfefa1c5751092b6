"""Turning what callers pass in into text: decoding bytes and splitting lines."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._errors import InputTooLargeError, InputTypeError, InputValueError, PageDecodeError

__all__ = ["DEFAULT_MAX_CHARS", "MAX_BYTES_PER_CHAR", "Line", "check_length", "check_max_chars", "decode_page", "require_choice", "require_text", "split_lines"]

#: Pages longer than this are refused unless the caller raises the limit: a
#: digest page is rarely over a few hundred kilobytes, and an accidental or
#: hostile huge input should fail fast instead of exhausting memory. The
#: segmenter needs about 300 bytes per line, so the worst page under this limit
#: (5 million empty lines) takes about 1.5 GB and 10 to 20 seconds.
DEFAULT_MAX_CHARS = 5_000_000

_BYTE_ORDER_MARKS = (
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Charsets a page may declare in <meta>: the WHATWG Encoding Standard's, as
# Python names them. Python-only codecs ("unicode_escape", "undefined", "zlib",
# "rot13"...) are ignored, as browsers ignore labels they do not know; so are
# UTF-16 and UTF-32, which a page can only announce with a byte-order mark.
_WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "ascii", "latin-1", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
        "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
        "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253",
        "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb18030", "big5", "big5hkscs", "euc-jp",
        "iso2022-jp", "shift-jis", "euc-kr",
    )
)
#: No supported encoding spends more than this many bytes on a character, so
#: bytes longer than this many times ``max_chars`` are refused before decoding.
MAX_BYTES_PER_CHAR = 4
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I)
# A feed (or XHTML page) names its encoding in the XML declaration, which must open the document.
_XML_DECLARED_ENCODING = re.compile(rb"""\A\s*<\?xml\s[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_:.-]{1,40})["']""", re.I)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# C0 controls other than tab and line breaks: plenty of them means the bytes
# were not text in the encoding we tried.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_page(page: object, *, encoding: str | None = None, max_chars: int | None = DEFAULT_MAX_CHARS) -> str:
    """Return ``page`` as text, decoding bytes.

    Bytes are decoded with ``encoding`` when given; otherwise by their byte-order
    mark, then by a web charset declared in an XML declaration or an HTML ``<meta>`` tag (when the
    bytes fit it), then as UTF-8, then as UTF-16 when every other byte is NUL,
    then as Windows-1252 (a superset of Latin-1 used by most legacy Western
    pages) when the result looks like text.

    Raises
    ------
    InputTypeError
        ``page`` is neither ``str`` nor bytes, ``encoding`` is not a ``str``, or
        ``max_chars`` is not an ``int``.
    InputValueError
        ``max_chars`` is negative.
    PageDecodeError
        The bytes are not text in any of those encodings.
    InputTooLargeError
        The text is longer than ``max_chars``, or the bytes are too many to
        decode to at most ``max_chars`` characters.
    """
    check_max_chars(max_chars)
    if isinstance(page, str):
        text = page
    elif isinstance(page, (bytes, bytearray, memoryview)):
        if encoding is not None and not isinstance(encoding, str):
            raise InputTypeError(f"encoding must be a codec name such as 'utf-8', or None, not {type(encoding).__name__}")
        data = bytes(page)
        if max_chars is not None and len(data) > MAX_BYTES_PER_CHAR * max_chars:
            # Refused before decoding, so an oversized page costs no more memory than it already takes.
            raise InputTooLargeError(
                f"page has {len(data):,} bytes, too many for max_chars={max_chars:,} characters "
                f"(at most {MAX_BYTES_PER_CHAR} bytes each); split it, or pass a larger max_chars (None for no limit)"
            )
        text = _decode_bytes(data, encoding)
    else:
        raise InputTypeError(f"page must be str or bytes, not {type(page).__name__}")
    check_length(text, max_chars)
    return text


def check_max_chars(max_chars: object) -> None:
    """Refuse a ``max_chars`` that is neither None nor a non-negative ``int``."""
    if max_chars is None:
        return
    if isinstance(max_chars, bool) or not isinstance(max_chars, int):
        raise InputTypeError(f"max_chars must be an int or None (no limit), not {type(max_chars).__name__}")
    if max_chars < 0:
        raise InputValueError(f"max_chars must be 0 or more, or None for no limit, not {max_chars}")


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
    declared = _declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared[0])
        except UnicodeError:
            pass  # a wrong declaration is common; detect as if there were none
    utf16 = _try_utf16_without_mark(data)  # before UTF-8, which NULs do not disturb
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        legacy = _try_windows_1252(data)
        if legacy is not None:
            return legacy
        raise PageDecodeError(
            f"page bytes are not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at byte "
            f"{utf8_error.start}) nor Windows-1252/Latin-1 text"
            + (f" nor {declared[0]!r} as {declared[1]} says" if declared else "")
            + "; pass encoding=... or decode the page yourself",
            position=utf8_error.start,
        ) from None


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """The Python name of the web charset the page declares, and where: its XML declaration or an HTML ``<meta>``."""
    head = data[:4096]
    declared, where = _XML_DECLARED_ENCODING.match(head), "its XML declaration"
    if declared is None:
        declared, where = _DECLARED_CHARSET.search(head), "its <meta charset>"
    if declared is None:
        return None
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        return None
    return (codec, where) if codec in _WEB_ENCODINGS else None


def _try_utf16_without_mark(data: bytes) -> str | None:
    # UTF-16 text of a Latin script has a NUL in every other byte; Windows tools
    # sometimes save it without a byte-order mark.
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    for codec, nuls in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if nuls.count(0) * 4 >= len(nuls) * 3:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else text
    return None


def _decode_with(data: bytes, codec: str, *, source: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError) as error:
        position = getattr(error, "start", None)
        if position is not None and codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
            position += len(codecs.BOM_UTF8)  # the codec counts from after the mark it strips
        where = f" at byte {position}" if position is not None else ""
        reason = getattr(error, "reason", None) or str(error)
        raise PageDecodeError(
            f"page bytes cannot be decoded as {codec!r} (from {source}){where}: {reason}",
            position=position,
        ) from None


def _try_windows_1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _looks_binary(text) else text


def _looks_binary(text: str) -> bool:
    # Binary data decodes "successfully" too; real text has few control characters.
    return len(_CONTROL_CHARACTERS.findall(text)) > max(1, len(text) // 100)


# Characters that show nothing: spaces, C0 controls, DEL, soft hyphen, zero-width and direction
# marks, word joiners and the byte-order mark. A line's features are read without them at its ends.
_SPACE_OR_INVISIBLE = "".join(
    chr(code)
    for code in [*range(0x00, 0x21), 0x7F, 0x85, 0xA0, 0xAD, 0x1680, *range(0x2000, 0x2010), 0x2028, 0x2029,
                 *range(0x202A, 0x2030), *range(0x205F, 0x2065), 0x3000, 0xFEFF]
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: its text without the line break, and where it is."""

    number: int  # 1-based
    start: int  # offset of the first character
    end: int  # offset just past the last character, before the line break
    text: str

    @property
    def stripped(self) -> str:
        """The text without surrounding spaces: what an item shows of the line."""
        return self.text.strip()

    @property
    def visible(self) -> str:
        """The text without surrounding spaces or invisible characters, which would hide how it
        ends (a full stop followed by a zero-width space still ends a sentence): what the
        segmenter reads the line's features from."""
        return self.text.strip(_SPACE_OR_INVISIBLE)

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
