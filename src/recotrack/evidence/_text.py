"""Which text encoding an evidence file is in, decided without reading it all into memory.

Spreadsheet exports arrive as UTF-8, UTF-8 with a byte-order mark, or Windows-1252. Anything else
(UTF-16, binary) is refused with a clear message instead of being read as mojibake.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sniffed:
    encoding: str
    """A codec name for :func:`open`: ``utf-8``, ``utf-8-sig`` or ``cp1252``."""
    sha256: str


class EncodingRefused(Exception):
    def __init__(self, message: str, line: int, expected: str) -> None:
        super().__init__(message)
        self.line = line
        self.expected = expected


def sniff(path: Path) -> Sniffed:
    """Check a whole file in one streaming pass; raise :class:`EncodingRefused` if unusable."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok = True
    cp1252_failure: EncodingRefused | None = None
    first = True
    bom = False
    newlines = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            if first:
                if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise EncodingRefused("file is UTF-16 text", 1, "UTF-8 or Windows-1252 (save as 'CSV UTF-8')")
                bom = chunk.startswith(codecs.BOM_UTF8)
                first = False
            nul = chunk.find(b"\x00")
            if nul >= 0:
                line = newlines + chunk[:nul].count(b"\n") + 1
                raise EncodingRefused("file contains NUL bytes; it looks binary, not text", line, "a text file")
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if cp1252_failure is None:
                try:
                    cp1252.decode(chunk)
                except UnicodeDecodeError as exc:
                    line = newlines + chunk[: exc.start].count(b"\n") + 1
                    cp1252_failure = EncodingRefused(
                        f"file is neither UTF-8 nor Windows-1252 text (byte 0x{chunk[exc.start]:02x})",
                        line,
                        "UTF-8 (or a Windows-1252 spreadsheet export)",
                    )
            if not utf8_ok and cp1252_failure is not None:
                raise cp1252_failure
            newlines += chunk.count(b"\n")
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        return Sniffed("utf-8-sig" if bom else "utf-8", digest.hexdigest())
    # cp1252 decodes every byte sequence except five unassigned bytes, which were checked above.
    return Sniffed("cp1252", digest.hexdigest())
