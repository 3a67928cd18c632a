"""What the spreadsheet reporters (CSV and XLSX) share: the guard against formula injection.

A spreadsheet that opens a cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one of them) may run it as a formula: ``=HYPERLINK(...)`` in a unit's or an option's
name would then become a live link, or worse. Names and texts come from the tracker's files, so
every text cell is checked: the XLSX reporter writes such a cell as a string, never as a formula,
and the CSV reporter prefixes it with a single quote, as OWASP recommends. Numbers stay numbers.
"""

from __future__ import annotations

__all__ = ["FORMULA_TRIGGERS", "csv_safe", "looks_like_formula"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_safe(text: str) -> str:
    """``text`` for a CSV field: prefixed with ``'`` when a spreadsheet could take it for a formula."""
    return "'" + text if looks_like_formula(text) else text
