"""What every model shares: identifiers, periods, text, and the refusal of control characters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from recotrack.periods import PERIOD_MAX_LENGTH, PERIOD_PATTERN, period_problem

__all__ = [
    "Id",
    "IdList",
    "Period",
    "QuestionId",
    "Text",
    "ids_as_list",
    "normalise_label",
    "reject_control_characters",
    "slugify",
]

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]
"""An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit."""

QuestionId = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=401, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"
    ),
]
"""What a unit answers: a question's id, or a grid item's ``<question>/<item slug>``."""


def ids_as_list(value: object) -> object:
    """One id written alone (``asked_of: hwb``) is a list of one."""
    return [value] if isinstance(value, str) else value


IdList = Annotated[tuple[Id, ...], BeforeValidator(ids_as_list, json_schema_input_type=Id | list[Id])]
"""One id, or a list of them (``asked_of: region`` or ``asked_of: [region, local]``)."""


def _check_period(value: str) -> str:
    problem = period_problem(value)
    if problem is not None:
        message, expected = problem
        raise PydanticCustomError("invalid_period", message, {"expected": expected})
    return value


Period = Annotated[
    str,
    AfterValidator(_check_period),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": PERIOD_MAX_LENGTH, "pattern": PERIOD_PATTERN}),
]
"""A reporting period as the tracker names it, such as ``"2019"`` or ``"2019-20"`` (see :mod:`recotrack.periods`)."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]

_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(label: str) -> str:
    """The id part of a grid item: lower case, each run of other characters as one '-', trimmed."""
    return _SLUG_SEPARATORS.sub("-", label.lower()).strip("-")


def normalise_label(text: str) -> str:
    """How option labels are compared: case-, space- and apostrophe-style-insensitively."""
    return "".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def reject_control_characters(value: object) -> object:
    """Refuse terminal control characters (e.g. ESC) in any text: they could rewrite a reader's terminal."""
    texts: list[object]
    if isinstance(value, dict):
        texts = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        texts = list(value)
    else:
        texts = [value]
    for text in texts:
        if isinstance(text, str) and (found := _CONTROL.search(text)):
            raise ValueError(f"text contains the control character {found.group()!r}; remove it")
        if isinstance(text, list | tuple):
            reject_control_characters(text)
    return value


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    _no_control_characters = field_validator("*", mode="after")(reject_control_characters)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose cached look-ups (``Catalog.questions``...) are worked out again from its own fields."""
        copied = super().model_copy(update=update, deep=deep)
        for klass in type(self).__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, cached_property):
                    copied.__dict__.pop(name, None)
        return copied
