"""Safe YAML reading that remembers where every value came from.

ruamel.yaml composes the node graph; we build plain Python values ourselves so that we can
refuse aliases (the "billion laughs" attack), duplicate keys and absurd nesting, and keep the
line and column of every field for error messages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from recotrack.errors import FieldPath, Problem

MAX_YAML_BYTES = 64 * 1024 * 1024
"""Larger YAML files are refused: YAML is for catalogs and returns, bulk answers belong in CSV."""

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

    def position(self, path: FieldPath) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that we know of."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class _Refused(Exception):
    def __init__(self, node: Node, message: str, expected: str | None = None) -> None:
        self.node = node
        self.message = message
        self.expected = expected


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM). Raises UnicodeDecodeError otherwise."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def read_yaml(path: Path, shown_as: str) -> YamlDocument | Problem:
    """Parse one YAML file; on failure return a single Problem that says where and why."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            return Problem(
                shown_as,
                0,
                0,
                "",
                "file is too large to read as YAML",
                found=f"{size:,} bytes",
                expected=f"at most {MAX_YAML_BYTES:,} bytes (put bulk answers in CSV)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(shown_as, 0, 0, "", f"cannot read file: {exc.strerror or exc}")
    return parse_yaml(raw, shown_as)


def parse_yaml(raw: bytes, shown_as: str) -> YamlDocument | Problem:
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
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = exc.problem or exc.context or "invalid YAML"
        return Problem(shown_as, line, col, "", f"invalid YAML: {reason}")
    except (YAMLError, RecursionError) as exc:
        if isinstance(exc, RecursionError):
            return Problem(shown_as, 0, 0, "", "YAML is nested too deeply", expected=f"at most {MAX_DEPTH} levels")
        return Problem(shown_as, 0, 0, "", f"invalid YAML: {exc}")
    document = YamlDocument(shown_as, None)
    if root is None:
        return document
    builder = _Builder(yaml, document)
    try:
        document.data = builder.build(root, (), 0)
    except _Refused as exc:
        mark = exc.node.start_mark
        return Problem(shown_as, mark.line + 1, mark.column + 1, "", exc.message, expected=exc.expected)
    return document


class _Builder:
    def __init__(self, yaml: YAML, document: YamlDocument) -> None:
        self._constructor = yaml.constructor
        self._document = document
        self._seen: set[int] = set()

    def build(self, node: Node, path: FieldPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(node, "YAML is nested too deeply", f"at most {MAX_DEPTH} levels")
        if id(node) in self._seen or getattr(node, "anchor", None):
            raise _Refused(
                node, "YAML anchors and aliases (&name, *name) are not allowed", "each value written out in full"
            )
        self._seen.add(id(node))
        mark = node.start_mark
        self._document.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise _Refused(key_node, "a mapping key must be a plain value", "a name such as `id`")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused(key_node, "YAML merge keys (<<) are not allowed", "each value written out in full")
                # Keys are names: keep them as written, so that `1.10:` stays "1.10", not the number 1.1.
                key = str(key_node.value)
                if key in result:
                    raise _Refused(key_node, f"duplicate key {key!r}", "each key once in a mapping")
                result[key] = self.build(value_node, (*path, key), depth + 1)
                # Errors about a scalar point at the value; about a block, at its key.
                if not isinstance(value_node, ScalarNode):
                    km = key_node.start_mark
                    self._document.positions[(*path, key)] = (km.line + 1, km.column + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag != _STRING_TAG and node.style is None:
            self._document.raw_scalars[path] = str(node.value)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, OverflowError) as exc:
            raise _Refused(node, f"cannot read this value: {exc}") from None
