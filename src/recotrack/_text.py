"""Which text encoding a CSV file is in, decided in one streaming pass, never guessed for part of a file.

Spreadsheet exports arrive as UTF-8, UTF-8 with a byte-order mark, or Windows-1252. The rule:

* a file that is valid UTF-8 throughout is UTF-8;
* a file with a byte-order mark, or with at least one valid UTF-8 multibyte sequence (``ë`` written
  as ``c3 ab``), is UTF-8 text: a byte that is not valid UTF-8 in it is an **error at its line**
  (a stray Windows-1252 ``’`` pasted into a UTF-8 file), never a reason to read the whole file as
  Windows-1252 and turn every ``Zoë`` into ``ZoÃ«``;
* a file with no valid multibyte sequence at all, whose other bytes all decode as Windows-1252, is
  Windows-1252 (Excel's plain "CSV" on Windows);
* anything else (UTF-16, NUL bytes, bytes that are neither UTF-8 nor Windows-1252) is refused with a
  clear message.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

_CHUNK = 1 << 20

_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
"""A well-formed UTF-8 multibyte sequence: evidence that a file is UTF-8 text."""


@dataclass(frozen=True)
class Sniffed:
    encoding: str
    """A codec name for :func:`open`: ``utf-8``, ``utf-8-sig`` or ``cp1252``."""
    sha256: str
    size: int = 0
    """Bytes in the file."""
    lone_cr: bool = True
    """Whether a carriage return stands anywhere but before a line feed (an old Mac line end)."""
    crlf: int = 0
    """How many line ends are written ``\\r\\n``."""
    final_newline: bool = True
    """Whether the file ends with a line end (or is empty)."""
    long_lines: bool = True
    """Whether a line is longer than the ``line_limit`` given to :func:`sniff` (in bytes, its end included)."""
    quote_count: int = 0
    """How many double quotes the file holds."""

    @property
    def quotes(self) -> bool:
        """Whether the file holds a double quote anywhere (then only a quote-aware parser can read it)."""
        return self.quote_count > 0

    @property
    def columnar(self) -> bool:
        """Whether a columnar parser may try it: UTF-8, no lone carriage returns, no line over the limit.

        (Quotes are allowed; whether they only wrap whole cells is the parser's to check.)
        """
        return self.encoding != "cp1252" and not self.lone_cr and not self.long_lines


class EncodingRefused(Exception):
    def __init__(self, message: str, line: int, expected: str) -> None:
        super().__init__(message)
        self.line = line
        self.expected = expected


def sniff(stream: BinaryIO, line_limit: int = 1 << 62) -> Sniffed:
    """Check a whole file in one streaming pass; raise :class:`EncodingRefused` if unusable."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    first_invalid: tuple[int, int] | None = None
    """(line, byte) of the first byte that is not valid UTF-8."""
    multibyte = False
    cp1252_failure: EncodingRefused | None = None
    first = True
    bom = False
    newlines = 0
    tail = b""
    size = carriage_returns = crlf = 0
    long_lines = False
    quotes = 0
    line_so_far = 0
    """Bytes of the line the last chunk ended in."""
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if not long_lines:
            long_lines, line_so_far = _long_line(chunk, line_so_far, line_limit)
        if b'"' in chunk:  # a search stops at the first; counting is slower, so only where there are any
            quotes += chunk.count(b'"')
        if b"\r" in chunk or tail.endswith(b"\r"):
            carriage_returns += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
        if first:
            if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise EncodingRefused("file is UTF-16 text", 1, "UTF-8 or Windows-1252 (save as 'CSV UTF-8')")
            bom = chunk.startswith(codecs.BOM_UTF8)
            first = False
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = newlines + chunk[:nul].count(b"\n") + 1
            raise EncodingRefused("file contains NUL bytes; it looks binary, not text", line, "a text file")
        plain_ascii = chunk.isascii() and not utf8.getstate()[0]
        if first_invalid is None and not plain_ascii:  # ASCII is UTF-8 and Windows-1252 alike: nothing to decode
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError as exc:
                first_invalid = _invalid_at(tail, chunk, exc, newlines)
        if not multibyte and not chunk.isascii():
            multibyte = _MULTIBYTE.search(tail + chunk) is not None
        if cp1252_failure is None and not plain_ascii:
            try:
                cp1252.decode(chunk)
            except UnicodeDecodeError as exc:
                line = newlines + chunk[: exc.start].count(b"\n") + 1
                cp1252_failure = EncodingRefused(
                    f"file is neither UTF-8 nor Windows-1252 text (byte 0x{chunk[exc.start]:02x})",
                    line,
                    "UTF-8 (or a Windows-1252 spreadsheet export)",
                )
        newlines += chunk.count(b"\n")
        tail = chunk[-3:]
    if first_invalid is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            # The file ends in the middle of a character: name its first byte.
            first_invalid = (newlines + 1, next((b for b in reversed(tail) if b >= 0xC0), tail[-1] if tail else 0))
    final_newline = not tail or tail.endswith(b"\n")
    shape = (
        size,
        carriage_returns > crlf,
        crlf,
        final_newline,
        long_lines or line_so_far > line_limit,
        quotes,
    )
    if first_invalid is None:
        return Sniffed("utf-8-sig" if bom else "utf-8", digest.hexdigest(), *shape)
    if cp1252_failure is not None:
        raise cp1252_failure
    if multibyte or bom:
        line, byte = first_invalid
        raise EncodingRefused(
            f"file is UTF-8 text but has a byte that is not valid UTF-8 (byte 0x{byte:02x}); it is not read",
            line,
            "UTF-8 throughout (a character pasted from another program, such as a Windows-1252 ’, is often the "
            "cause: retype it, or save the whole file again as 'CSV UTF-8')",
        )
    # cp1252 decodes every byte sequence except five unassigned bytes, which were checked above.
    return Sniffed("cp1252", digest.hexdigest(), *shape)


def _long_line(chunk: bytes, line_so_far: int, limit: int) -> tuple[bool, int]:
    """Whether ``chunk`` ends a line longer than ``limit`` (or holds one), and the bytes of the line it ends in.

    A line within the chunk is no longer than the chunk: only a limit below the chunk's size needs
    the lines split to be measured, and no real limit is that small.
    """
    first = chunk.find(b"\n")
    if first < 0:
        return line_so_far + len(chunk) > limit, line_so_far + len(chunk)
    if line_so_far + first + 1 > limit:
        return True, 0
    if limit < len(chunk) and max(map(len, chunk.split(b"\n")[1:-1]), default=0) + 1 > limit:
        return True, 0
    return False, len(chunk) - chunk.rfind(b"\n") - 1


def _invalid_at(tail: bytes, chunk: bytes, exc: UnicodeDecodeError, newlines: int) -> tuple[int, int]:
    """The line and value of the first invalid byte, from a decoder error raised on ``chunk``.

    The incremental decoder keeps up to three bytes of an unfinished sequence from the previous
    chunk, so the error's offset counts from those (the end of ``tail``).
    """
    data = exc.object if isinstance(exc.object, bytes) else chunk
    carried = len(data) - len(chunk)
    start = exc.start - carried
    if start < 0:
        return newlines + 1, tail[start] if -start <= len(tail) else 0
    return newlines + chunk[:start].count(b"\n") + 1, chunk[start]


class LineTooLong(Exception):
    """A line longer than the ``line-bytes`` limit: a CSV file is not read from there on."""


def bounded_lines(text: TextIO, limit: int) -> Iterator[str]:
    """The lines of ``text`` for the csv module, refusing one longer than ``limit`` before more of it is read."""
    readline = text.readline
    while line := readline(limit):
        if len(line) == limit and not line.endswith(("\n", "\r")):
            raise LineTooLong
        yield line
