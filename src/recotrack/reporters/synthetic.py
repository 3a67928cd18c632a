"""How every reporter says that figures rest on invented evidence (``results.synthetic``): one wording.

A demonstration year, or per-unit returns made up to add up to published tallies, must never pass for
a real finding. Every format says so at its top, before any figure, with the periods and files concerned.
"""

from __future__ import annotations

import posixpath

from recotrack.results import Results, Synthetic, SyntheticPeriod

__all__ = ["period_line", "synthetic_headline", "synthetic_lines", "synthetic_view"]


def synthetic_headline(synthetic: Synthetic) -> str:
    """One sentence for the top of a report: these figures are not real findings, and from which periods."""
    periods = ", ".join(p.period for p in synthetic.periods)
    return (
        f"These figures rest in part on invented evidence ({periods}): they show how the method works and "
        "are not real findings."
    )


def _files(files: tuple[str, ...]) -> str:
    if len(files) <= 2:
        return " and ".join(files)
    folder = posixpath.commonpath(files)
    if folder and folder not in files:
        return f"{len(files):,} files under {folder}/"
    return f"{len(files):,} files, {files[0]} first"


def period_line(period: SyntheticPeriod) -> str:
    """One period: 'a synthetic period (evidence/2020-returns.csv)', '2019: 67 files under evidence/2019/'."""
    if period.declared:
        return f"{period.period}: a synthetic period" + (f" ({_files(period.files)})" if period.files else "")
    return f"{period.period}: synthetic evidence in {_files(period.files)}"


def synthetic_lines(synthetic: Synthetic) -> list[str]:
    """A line per period with synthetic evidence, in time order."""
    return [period_line(p) for p in synthetic.periods]


def synthetic_view(results: Results) -> dict[str, object] | None:
    """What an HTML page's notice shows (plain strings, escaped by the template); None: nothing is synthetic."""
    synthetic = results.synthetic
    if synthetic is None:
        return None
    return {"headline": synthetic_headline(synthetic), "lines": tuple(synthetic_lines(synthetic))}
