"""The limits every reader works within, so that no input can hang recotrack or exhaust its memory.

Each limit has a name, a documented default and a message: a file that reaches one is an error that
names the file, the limit and how to raise it (``--limit NAME=VALUE`` on the command line, the
``RECOTRACK_LIMITS`` environment variable, or ``limits=`` in :func:`recotrack.load`). The defaults
are far above what a real tracker needs (docs/formats.md, "Limits").
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from recotrack.errors import RecotrackError

__all__ = ["LIMITS_ENV", "LimitError", "Limits", "parse_limit", "resolve_limits"]

LIMITS_ENV = "RECOTRACK_LIMITS"
"""Environment variable holding limits as ``NAME=VALUE`` pairs separated by commas or spaces."""

_KIB = 1024
_MIB = 1024 * _KIB
_GIB = 1024 * _MIB


class LimitError(RecotrackError, ValueError):
    """A limit given that is not one of :class:`Limits`, or not a positive whole number."""


@dataclass(frozen=True)
class Limits:
    """How much of any one input recotrack reads; every field is a positive whole number."""

    yaml_bytes: int = 16 * _MIB
    """Largest YAML file (catalog, units or evidence): YAML is for catalogs and returns, bulk answers go in CSV."""
    yaml_values: int = 200_000
    """Values (scalars, lists and mappings) in one YAML file: what bounds the memory a YAML file can take."""
    csv_bytes: int = 2 * _GIB
    """Largest CSV file."""
    line_bytes: int = 4 * _MIB
    """Longest line of a CSV file, the header included."""
    cell_bytes: int = _MIB
    """Largest cell of a CSV file."""
    columns: int = 10_000
    """Most cells in one CSV row (the header's columns included)."""
    returns: int = 1_000_000
    """Most returns in one evidence file."""
    units: int = 500_000
    """Most units in one units CSV file (a national register is tens of thousands; each unit kept costs memory)."""
    errors: int = 100_000
    """Most problems kept for one file; beyond it they are counted, not listed (the file is still checked)."""
    files: int = 100_000
    """Most evidence files in one tracker."""

    @classmethod
    def names(cls) -> dict[str, str]:
        """Limit name as written on the command line (``yaml-bytes``) → field name (``yaml_bytes``)."""
        return {f.name.replace("_", "-"): f.name for f in dataclasses.fields(cls)}

    def value(self, name: str) -> int:
        """The value of the limit called ``name`` (``yaml-bytes`` or ``yaml_bytes``)."""
        value: int = getattr(self, name.replace("-", "_"))
        return value

    def replace(self, changes: Mapping[str, int]) -> Limits:
        """These limits with some changed, by name (``yaml-bytes`` or ``yaml_bytes``)."""
        fields = self.names()
        update: dict[str, int] = {}
        for name, value in changes.items():
            field = fields.get(name) or (name if name in fields.values() else None)
            if field is None:
                raise LimitError(f"unknown limit {name!r}; the limits are {', '.join(fields)}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise LimitError(f"limit {name!r} must be a positive whole number, not {value!r}")
            update[field] = value
        return dataclasses.replace(self, **update)


def how_to_raise(name: str) -> str:
    """The advice every 'limit reached' message ends with."""
    return f"raise it with --limit {name}=N, or {LIMITS_ENV}={name}=N"


_VALUE = re.compile(r"^\s*([0-9][0-9_,]*)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": _KIB, "m": _MIB, "g": _GIB}


def parse_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` as (name, value); VALUE may use ``_`` or ``,`` between digits and a K, M or G suffix (×1024)."""
    name, equals, value = text.partition("=")
    name = name.strip().lower()
    if not equals:
        raise LimitError(f"expected NAME=VALUE, got {text!r}")
    if name not in Limits.names():
        raise LimitError(f"unknown limit {name!r}; the limits are {', '.join(Limits.names())}")
    match = _VALUE.match(value)
    if match is None:
        raise LimitError(f"limit {name!r}: {value.strip()!r} is not a whole number (such as 1000, 10_000 or 64M)")
    number = int(match.group(1).replace("_", "").replace(",", ""))
    unit = (match.group(2) or "").lower()[:1]
    number *= _UNITS[unit]
    if number < 1:
        raise LimitError(f"limit {name!r} must be at least 1")
    return name, number


def resolve_limits(
    given: Limits | Mapping[str, int] | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    extra: Iterable[str] = (),
) -> Limits:
    """The limits in force: the defaults, then ``RECOTRACK_LIMITS``, then ``given``, then ``extra`` (``NAME=VALUE``).

    A :class:`Limits` given is used as it is. Raises :class:`LimitError` for a limit that is not known
    or not a positive whole number, wherever it was written.
    """
    if isinstance(given, Limits):
        limits = given
    else:
        limits = Limits()
        environment = environ.get(LIMITS_ENV, "")
        pairs = [part for part in re.split(r"[,\s]+(?=[A-Za-z])", environment.strip()) if part.strip()]
        try:
            limits = limits.replace(dict(parse_limit(pair) for pair in pairs))
        except LimitError as exc:
            raise LimitError(f"{LIMITS_ENV}: {exc}") from None
        if given:
            limits = limits.replace(given)
    extras = [parse_limit(item) for item in extra]
    return limits.replace(dict(extras)) if extras else limits
