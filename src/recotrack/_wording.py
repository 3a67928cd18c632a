"""How problems are worded: pydantic's errors in plain English, and the "did you mean" choices.

Every reader words the same mistake the same way because they all come here; nothing in this
module decides *whether* something is wrong, only how to say it.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from recotrack._yaml import ItemOrigin, Origin
from recotrack.errors import FieldPath, Problem
from recotrack.model import Option, normalise_label

_UNION_MEMBERS = {
    "date",
    "constrained-str",
    "constrained-int",
    "constrained-float",
    "str",
    "int",
    "float",
    "bool",
    "none",
}
"""How pydantic names the members of a union type in an error's location."""


# -- choices ----------------------------------------------------------------------------------------

LONGEST_SUGGESTED = 200
"""No id or label is longer: a value beyond it gets no 'did you mean' (comparing a megabyte cell would be slow)."""


def _close(found: str, choices: list[str], n: int, cutoff: float) -> list[str]:
    if len(found) > LONGEST_SUGGESTED:
        return []
    return difflib.get_close_matches(found, choices, n=n, cutoff=cutoff)


def one_of(choices: Iterable[str], found: str | None = None, limit: int = 8) -> str:
    """'one of a, b, c' — or, when ``found`` is close to some, 'did you mean …' (catalog references)."""
    choices = list(choices)
    if not choices:
        return "one declared in the catalog (none are)"
    if found is not None:
        close = _close(found, choices, 3, 0.6)
        if close:
            return "one of the declared ids; did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(repr(c) for c in choices[:limit])
    more = f" and {len(choices) - limit} more" if len(choices) > limit else ""
    return f"one of {shown}{more}"


def one_of_names(allowed: Iterable[str], found: str) -> str:
    """Every allowed name (sections, fields: short lists), and the nearest one to ``found``."""
    allowed = list(allowed)
    close = _close(found, allowed, 1, 0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return "one of " + ", ".join(allowed) + hint


def declared_id(found: str, choices: Iterable[str]) -> str:
    """'a declared id', with the nearest one (ids in evidence: units, questions; lists can be long)."""
    names = list(choices)
    close = _close(found, names, 1, 0.6)
    return f"a declared id; did you mean {close[0]!r}?" if close else "a declared id"


def one_of_options(found: str, options: tuple[Option, ...]) -> str:
    """Every option of a scale with its label, and the nearest by id or label to the answer ``found``."""
    by_text = {normalise_label(o.label): o for o in options} | {normalise_label(o.id): o for o in options}
    close = _close(normalise_label(found), list(by_text), 1, 0.5)
    listed = ", ".join(f"{o.id!r} ({o.label})" for o in options)
    if close:
        option = by_text[close[0]]
        return f"one of {listed}; did you mean {option.label!r}?"
    return f"one of {listed}"


def describe(value: Any) -> str:
    """A value as a problem's 'found' shows it: its kind for containers, else its (shortened) repr."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- pydantic errors ------------------------------------------------------------------------------


def validation_problems(
    error: ValidationError, section: str, raw: Any, origin: ItemOrigin, models: Mapping[str, type[BaseModel]]
) -> list[Problem]:
    """One plain-English problem per wrong field of ``raw``, an item of ``section`` read at ``origin``.

    ``models`` maps section names (and ``indicator:<kind>``) to their models, to suggest the
    field meant when one is misspelt.
    """
    errors = error.errors(include_url=False)
    # A field that accepts several types fails once per type; one message per field is enough.
    parents = Counter(tuple(e["loc"])[:-1] for e in errors if e["loc"] and e["loc"][-1] in _UNION_MEMBERS)
    reported: set[tuple[str | int, ...]] = set()
    problems = []
    for item in errors:
        loc = tuple(item["loc"])
        if loc and loc[-1] in _UNION_MEMBERS and parents[loc[:-1]] > 1:
            loc = loc[:-1]
            item = {**item, "loc": loc}
        if loc in reported:
            continue
        reported.add(loc)
        problems.append(_problem(section, raw, origin, item, models))
    return problems


def _problem(section: str, raw: Any, origin: ItemOrigin, error: Any, models: Mapping[str, type[BaseModel]]) -> Problem:
    loc: FieldPath = tuple(error["loc"])
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if section == "indicators" and loc and loc[0] == kind:
        loc = loc[1:]
    model = _model_at(models.get(section) or models.get(f"indicator:{kind}"), loc)
    type_ = error["type"]
    value = error.get("input")
    found = None if type_ == "missing" else describe(value)
    expected: str | None = None
    message = error["msg"]
    if type_ == "missing":
        message = f"missing required field {loc[-1]!r}" if loc else "missing required field"
    elif type_ == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
        found = None
        expected = one_of_names(_field_names(model), str(loc[-1])) if model else None
    elif type_ in ("union_tag_not_found", "union_tag_invalid"):
        loc = (*loc, "kind")
        message = "unknown or missing indicator kind"
        found = describe(kind) if kind is not None else "no `kind`"
        expected = "one of 'scale', 'milestone', 'numeric'"
    elif (
        type_ == "string_type"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and isinstance(origin, Origin)
    ):
        raw_text = origin.document.raw_scalars.get((*origin.path, *loc), str(value))
        message = "ids, periods and labels are text, but YAML read this as a number"
        found = raw_text
        expected = f'the value in quotes: "{raw_text}"'
    elif type_ == "invalid_period":
        expected = error["ctx"]["expected"]
    elif type_ == "string_pattern_mismatch":
        message = "not a valid id"
        expected = "letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit"
    elif type_ in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        expected = "a date written YYYY-MM-DD"
    return origin.problem(loc, message[0].lower() + message[1:], found, expected)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel] | None, loc: FieldPath) -> type[BaseModel] | None:
    """The model that owns the last field of ``loc`` (for 'unknown field' suggestions)."""
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        info = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
