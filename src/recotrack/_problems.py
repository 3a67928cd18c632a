"""The problem sink: every reader puts what it finds here, so that loading never stops at the first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from recotrack.errors import Problem, Severity
from recotrack.limits import how_to_raise


class ProblemSink:
    """Collects problems (errors and warnings) from every reader, in the order they were found.

    At most ``per_file`` problems are kept for one file (the ``errors`` limit): beyond it they are
    counted, and one problem says how many were not kept, so a hostile file cannot fill the memory
    with messages about itself.
    """

    def __init__(self, per_file: int = 100_000) -> None:
        self._problems: list[Problem] = []
        self._per_file = per_file
        self._counts: dict[str, int] = {}
        self._dropped: dict[str, list[int]] = {}
        """File → [errors, warnings] not kept."""
        self._errors = 0

    def add(self, problem: Problem) -> None:
        if self.full(problem.file):
            self.count(problem.file, problem.severity)
            return
        self._errors += problem.severity is Severity.ERROR
        self._counts[problem.file] = self._counts.get(problem.file, 0) + 1
        self._problems.append(problem)

    def room(self, file: str) -> int:
        """How many more problems of ``file`` would be kept."""
        return max(self._per_file - self._counts.get(file, 0), 0)

    def add_kept(self, file: str, problems: list[Problem]) -> None:
        """Add problems of ``file`` that :meth:`room` said would be kept, all at once (a flood's first ones)."""
        if len(problems) > self.room(file):
            raise ValueError(f"{len(problems)} problems for {self.room(file)} places")
        self._problems.extend(problems)
        self._counts[file] = self._counts.get(file, 0) + len(problems)
        self._errors += sum(1 for problem in problems if problem.severity is Severity.ERROR)

    def full(self, file: str) -> bool:
        """Whether ``file`` has as many problems kept as the limit allows: more are only counted."""
        return self._counts.get(file, 0) >= self._per_file

    def count(self, file: str, severity: Severity, times: int = 1) -> None:
        """Count ``times`` problems of a full file without keeping them (a flood need not be worded to be counted)."""
        self._errors += times if severity is Severity.ERROR else 0
        self._counts[file] = self._counts.get(file, 0) + times
        dropped = self._dropped.setdefault(file, [0, 0])
        dropped[0 if severity is Severity.ERROR else 1] += times

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def has_errors(self) -> bool:
        return self._errors > 0

    def error_count(self, files: Iterable[str] | None = None) -> int:
        """How many errors were found (in ``files``, when given), kept or not."""
        if files is None:
            return self._errors
        wanted = set(files)
        kept = sum(1 for p in self._problems if p.severity is Severity.ERROR and p.file in wanted)
        return kept + sum(d[0] for f, d in self._dropped.items() if f in wanted)

    def _summaries(self) -> list[Problem]:
        found = []
        for file, (errors, warnings) in self._dropped.items():
            parts = [
                f"{n:,} more {word}{'s' if n != 1 else ''}"
                for n, word in ((errors, "error"), (warnings, "warning"))
                if n
            ]
            found.append(
                Problem(
                    file,
                    0,
                    0,
                    "",
                    f"{' and '.join(parts)} in this file are not listed (the limit errors is {self._per_file:,})",
                    expected=how_to_raise("errors"),
                    severity=Severity.ERROR if errors else Severity.WARNING,
                )
            )
        return found

    def ordered(self) -> list[Problem]:
        """By file, line and column: how they are shown (found order is kept within one place)."""
        return sorted([*self._problems, *self._summaries()], key=lambda p: (p.file, p.line, p.column))

    def __iter__(self) -> Iterator[Problem]:
        return iter([*self._problems, *self._summaries()])

    def __len__(self) -> int:
        return len(self._problems) + len(self._dropped)
