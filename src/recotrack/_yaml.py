"""Safe YAML reading that remembers where every value came from.

ruamel.yaml (libyaml underneath) parses events; we build plain Python values from them ourselves
so that we can refuse aliases (the "billion laughs" attack), duplicate keys and absurd nesting,
and keep the line and column of every field for error messages.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError

from recotrack.errors import FieldPath, Problem, Severity, format_field

MAX_YAML_BYTES = 16 * 1024 * 1024
"""Larger YAML files are refused: YAML is for catalogs and returns, bulk answers belong in CSV
(the default of the ``yaml-bytes`` limit, :class:`recotrack.limits.Limits`)."""

MAX_YAML_VALUES = 200_000
"""Most values in one YAML file (the default of the ``yaml-values`` limit): what bounds its memory."""

MAX_DEPTH = 64
"""No tracker file needs deeper nesting; deeper input is hostile or broken."""

_STRING_TAG = "tag:yaml.org,2002:str"


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the (1-based) line and column of every field path."""

    file: str
    data: Any
    positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[FieldPath, str] = field(default_factory=dict)
    sha256: str = ""
    """Hash of the file's bytes, taken while they are in hand (for the provenance of reports)."""

    def position(self, path: FieldPath) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that we know of."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class ItemOrigin(Protocol):
    """Where an item was read (a YAML value, a CSV row): what a problem about one of its fields is placed at."""

    def problem(
        self,
        rel: FieldPath,
        message: str,
        found: str | None = None,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> Problem: ...


@dataclass(frozen=True)
class Origin:
    """Where a value sits in a YAML document: the document and the field path inside it."""

    document: YamlDocument
    path: FieldPath

    def problem(
        self,
        rel: FieldPath,
        message: str,
        found: str | None = None,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """A problem at ``rel`` below this value, with the file, line and column it was read from."""
        path = (*self.path, *rel)
        line, column = self.document.position(path)
        return Problem(self.document.file, line, column, format_field(path), message, found, expected, severity)


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM). Raises UnicodeDecodeError otherwise."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def parse_yaml(
    raw: bytes, shown_as: str, max_values: int = MAX_YAML_VALUES, limit_advice: str = ""
) -> YamlDocument | Problem:
    """Parse the bytes of one YAML file; on failure a single Problem that says where and why.

    At most ``max_values`` values (scalars, lists, mappings) are built: a file with more is refused
    at the value that reaches the limit, so a hostile file cannot take memory beyond it.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem(shown_as, 1, 1, "", "file is UTF-16 text", expected="UTF-8 (save the file as UTF-8)")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return Problem(
            shown_as,
            line,
            1,
            "",
            "file contains a NUL byte; it looks binary, not YAML text",
            expected="a UTF-8 text file",
        )
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            shown_as,
            line,
            1,
            "",
            "file is not valid UTF-8 text",
            found=f"byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            expected="UTF-8 (save the file as UTF-8 in your editor)",
        )
    document = YamlDocument(shown_as, None, sha256=hashlib.sha256(raw).hexdigest())
    try:
        document.data = _Builder(document, max_values, limit_advice).build(_events(text))
    except _Refused as exc:
        return Problem(shown_as, exc.line, exc.column, "", exc.message, expected=exc.expected)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = exc.problem or exc.context or "invalid YAML"
        return Problem(shown_as, line, col, "", f"invalid YAML: {reason}")
    except ReaderError as exc:
        # Raised before any line is known: count the lines up to the character's position ourselves.
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(
            shown_as,
            line,
            column,
            "",
            f"invalid YAML: unacceptable character U+{code:04X}",
            expected="printable text (no control characters)",
        )
    except YAMLError as exc:
        return Problem(shown_as, 0, 0, "", f"invalid YAML: {exc}")
    return document


def _events(text: str) -> Iterator[Any]:
    """Parse events from libyaml when available (ten times faster), else ruamel's pure parser.

    Both event parsers are iterative, so hostile nesting cannot exhaust the stack; values are
    built from the events here rather than by a recursive composer (the C one crashes on deep input).
    """
    try:
        yield from YAML(typ="safe", pure=False).parse(io.StringIO(text))
    except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency, but keep working without it
        yield from YAML(typ="safe", pure=True).parse(io.StringIO(text))


_SCALARS = YAML(typ="safe", pure=True)
"""Resolves and constructs plain scalars (numbers, dates, booleans) exactly as ruamel.yaml does."""


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, expected: str | None = None) -> None:
        self.line = mark.line + 1
        self.column = mark.column + 1
        self.message = message
        self.expected = expected


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: FieldPath
    key: str | None = None
    key_position: tuple[int, int] = (0, 0)


class _Builder:
    def __init__(self, document: YamlDocument, max_values: int = MAX_YAML_VALUES, advice: str = "") -> None:
        self._document = document
        self._left = max_values
        self._max_values = max_values
        self._advice = advice

    def build(self, events: Iterator[Any]) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        for event in events:
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _Refused(
                        event.start_mark,
                        "more than one YAML document in the file",
                        "one document (remove the second '---')",
                    )
                continue
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if kind == "AliasEvent" or getattr(event, "anchor", None):
                raise _Refused(
                    event.start_mark,
                    "YAML anchors and aliases (&name, *name) are not allowed",
                    "each value written out in full",
                )
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                continue
            top = stack[-1] if stack else None
            self._left -= 1
            if self._left < 0:
                raise _Refused(
                    event.start_mark,
                    f"the file holds more than {self._max_values:,} values (the limit yaml-values)",
                    self._advice or "fewer values in one file (put bulk answers in CSV)",
                )
            if top is not None and isinstance(top.container, dict) and top.key is None:
                if kind != "ScalarEvent":
                    raise _Refused(event.start_mark, "a mapping key must be a plain value", "a name such as `id`")
                self._take_key(top, event)
                continue
            if kind == "ScalarEvent":
                value: Any = self._scalar(event, self._path(top))
                self._attach(stack, top, value, event, scalar=True)
                if top is None:
                    root = value
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(event.start_mark, "YAML is nested too deeply", f"at most {MAX_DEPTH} levels")
                container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
                path = self._path(top)
                self._attach(stack, top, container, event, scalar=False)
                if top is None:
                    root = container
                stack.append(_Frame(container, path))
        return root

    def _path(self, top: _Frame | None) -> FieldPath:
        if top is None:
            return ()
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        assert top.key is not None
        return (*top.path, top.key)

    def _take_key(self, top: _Frame, event: Any) -> None:
        assert isinstance(top.container, dict)
        if event.value == "<<" and not event.style:
            raise _Refused(event.start_mark, "YAML merge keys (<<) are not allowed", "each value written out in full")
        # Keys are names: keep them as written, so that `1.10:` stays "1.10", not the number 1.1.
        key = str(event.value)
        if key in top.container:
            raise _Refused(event.start_mark, f"duplicate key {key!r}", "each key once in a mapping")
        top.key = key
        top.key_position = (event.start_mark.line + 1, event.start_mark.column + 1)

    def _attach(self, stack: list[_Frame], top: _Frame | None, value: Any, event: Any, *, scalar: bool) -> None:
        path = self._path(top)
        mark = event.start_mark
        # Errors about a scalar point at the value; about a block, at its key.
        position = (mark.line + 1, mark.column + 1)
        if top is not None and isinstance(top.container, dict):
            if not scalar:
                position = top.key_position
            assert top.key is not None
            top.container[top.key] = value
            top.key = None
        elif top is not None and isinstance(top.container, list):
            top.container.append(value)
        self._document.positions[path] = position

    def _scalar(self, event: Any, path: FieldPath) -> Any:
        tag = event.tag
        implicit = tag is None or tag == "!"
        if implicit:
            tag = _SCALARS.resolver.resolve(ScalarNode, event.value, event.implicit)
        if tag != _STRING_TAG and not event.style:
            self._document.raw_scalars[path] = str(event.value)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style or None)
        try:
            return _SCALARS.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, OverflowError) as exc:
            if implicit:
                # Looks like a date or number but is not one (2019-02-30): keep the text as written, so
                # that only the field that needs a date fails, at its line, and the rest is still read.
                return str(event.value)
            raise _Refused(event.start_mark, f"cannot read this value: {exc}") from None
