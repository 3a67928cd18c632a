"""How every reporter says what a report left out (``results.excluded``): the same words in every format.

A report made with ``--skip-invalid`` is computed without the evidence its errors concern. It must say
so where a reader sees it, near the top: how many answers and returns, from which files, and why.
"""

from __future__ import annotations

from recotrack.results import Excluded, ExcludedFile, Results

__all__ = ["REASONS", "excluded_files", "excluded_headline", "excluded_view", "file_line", "reasons_text"]

REASONS: dict[str, str] = {
    "unknown-option": "answers not on the question's scale",
    "unknown-question": "unknown questions",
    "unknown-unit": "unknown units",
    "second-answer": "second answers to one question",
    "conflicting-returns": "returns of one unit and period that cannot be told apart",
    "undated-return": "returns without a submission date among dated ones",
    "invalid-period": "invalid periods",
    "undeclared-period": "periods the tracker does not declare",
    "period-conflict": "periods that differ from the evidence manifest's",
    "no-period": "returns with no period",
    "invalid-return": "returns with invalid fields",
    "malformed-row": "rows that do not fit the header",
    "malformed-csv": "CSV that cannot be read past a point",
    "unreadable-file": "files that cannot be read",
    "not-read": "files or folders not read",
    "encoding": "text encoding",
    "layout": "unrecognised CSV layout",
    "limit": "a reading limit reached",
    "tally": "published tallies that do not add up",
    "invalid-tallies": "invalid published tallies",
    "duplicate-tallies": "published tallies given twice",
    "no-other-entries": "free-text entries for questions that take none",
    "invalid-milestone": "invalid milestone statuses",
    "unknown-status": "unknown milestone statuses",
    "invalid-value": "invalid values",
    "not-numeric": "values of indicators that are not numeric",
}
"""Reason code → how reports word it."""


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def excluded_headline(excluded: Excluded) -> str:
    """One sentence: what was left out, over all files (for the top of a report)."""
    parts = [_plural(excluded.count, "answer")]
    if excluded.returns:
        parts.append(f"{_plural(excluded.returns, 'whole return')}")
    files = _plural(len(excluded.files), "evidence file")
    return (
        f"Left out of these figures: {' and '.join(parts)} from {files}, because of errors in the evidence "
        "(the report was made with --skip-invalid; `recotrack validate` lists every error)."
    )


def reasons_text(reasons: tuple[str, ...]) -> str:
    return ", ".join(REASONS.get(code, code.replace("-", " ")) for code in reasons)


def _counts(file: ExcludedFile) -> str:
    """'40 answers, 2 returns': how much of one file was left out."""
    counts = [_plural(file.count, "answer")]
    if file.returns:
        counts.append(_plural(file.returns, "return"))
    return ", ".join(counts)


def file_line(file: ExcludedFile) -> str:
    """One file: what of it was left out, and why ('evidence/x.csv: 40 answers, 2 returns (unknown units)')."""
    return f"{file.path}: {_counts(file)} ({reasons_text(file.reasons)})"


def excluded_files(excluded: Excluded, limit: int = 20) -> list[str]:
    """A line per file, at most ``limit`` of them, the last saying how many more files there are."""
    lines = [file_line(f) for f in excluded.files[:limit]]
    if len(excluded.files) > limit:
        lines.append(f"… and {len(excluded.files) - limit:,} more files")
    return lines


def excluded_view(results: Results) -> dict[str, object] | None:
    """What the HTML page's notice shows (plain strings, escaped by the template); None: nothing left out."""
    excluded = results.excluded
    if excluded is None:
        return None
    return {
        "headline": excluded_headline(excluded),
        "files": tuple(
            {"path": f.path, "counts": _counts(f), "reasons": reasons_text(f.reasons)} for f in excluded.files
        ),
    }
