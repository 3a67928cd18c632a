"""The problem sink: every reader puts what it finds here, so that loading never stops at the first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from recotrack.errors import Problem, Severity


class ProblemSink:
    """Collects problems (errors and warnings) from every reader, in the order they were found."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self._problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self._problems)

    def ordered(self) -> list[Problem]:
        """By file, line and column: how they are shown (found order is kept within one place)."""
        return sorted(self._problems, key=lambda p: (p.file, p.line, p.column))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems)

    def __len__(self) -> int:
        return len(self._problems)
