"""What a reporting period may be called: one rule for every file format.

YAML files are checked through the models (``recotrack.model.Period`` calls :func:`period_problem`),
CSV files by the evidence rules calling the same function, so a bad period gets the same message
whether it was typed in a YAML return, a CSV cell or on the command line.
"""

from __future__ import annotations

import re
from functools import lru_cache

PERIOD_MAX_LENGTH = 40
PERIOD_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$"
"""Letters, digits, space, '.', '/', '_' and '-', starting with a letter or digit (ASCII only)."""

INVALID_PERIOD = "missing or invalid period"
PERIOD_EXAMPLES = "a period such as 2019 or 2019-20"

_PERIOD = re.compile(PERIOD_PATTERN)
_CHARACTERS = "letters, digits, space, '.', '/', '_' and '-', starting with a letter or digit"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
"""Dashes that look like '-' but are not: word processors put en dashes into '2019–20'."""


def is_valid_period(text: str) -> bool:
    return len(text) <= PERIOD_MAX_LENGTH and _PERIOD.fullmatch(text) is not None


@lru_cache(maxsize=1024)
def period_problem(text: str) -> tuple[str, str] | None:
    """None for a valid period; otherwise the message and what was expected instead.

    Cached: a CSV file repeats the same few periods on every return.
    """
    if is_valid_period(text):
        return None
    if any(dash in text for dash in _DASHES):
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}, written with '-' (a plain hyphen, not a dash)"
    if len(text) > PERIOD_MAX_LENGTH:
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}, at most {PERIOD_MAX_LENGTH} characters"
    if text:
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}: {_CHARACTERS}"
    return INVALID_PERIOD, PERIOD_EXAMPLES
