"""The loading core: where findings live, one period rule, one file discovery, one input registry."""

from __future__ import annotations

import recotrack.checks
import recotrack.errors


def test_finding_lives_with_problems_below_the_checks() -> None:
    """Checks and loaders both use findings; defined at the bottom, neither imports the other for it."""
    assert recotrack.checks.Finding is recotrack.errors.Finding
    assert recotrack.errors.Finding.__module__ == "recotrack.errors"


def test_the_unused_problems_collection_is_gone() -> None:
    assert not hasattr(recotrack.errors, "Problems")
