"""recotrack.report: the whole pipeline from Python, with the rules the command line used to hold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import recotrack
from conftest import EXAMPLE
from recotrack.model import band_of
from recotrack.plugins import DEFAULT_PLUGINS, load_plugins
from recotrack.reporters import Reporter


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE)


def test_report_from_python_has_provenance_and_the_default_period(example: recotrack.Tracker) -> None:
    made = recotrack.report(example, format="json")
    document = json.loads(made.content)
    assert made.results.period == document["period"] == "2021"  # the latest with questionnaire evidence
    assert made.output is None
    paths = {i["path"] for i in document["meta"]["inputs"]}
    assert {"catalog/scales.yaml", "units.yaml", "evidence/2020-returns.csv"} <= paths


def test_report_writes_atomically_where_asked(example: recotrack.Tracker, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    made = recotrack.report(example, period="2019", format="json", output=target)
    assert made.output == target
    assert json.loads(target.read_text(encoding="utf-8"))["period"] == "2019"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


@pytest.mark.parametrize(
    ("period", "compare", "message"),
    [
        ("1999", None, "no evidence for period '1999'; the tracker's periods: 2019, 2020, 2021"),
        ("2020", "1066", "no evidence for period '1066'; the tracker's periods: 2019, 2020, 2021"),
        ("2019", "2020", "compare must be earlier than period"),
    ],
)
def test_unknown_or_reversed_periods_name_the_periods_that_exist(
    example: recotrack.Tracker, period: str, compare: str | None, message: str
) -> None:
    with pytest.raises(recotrack.PeriodError, match=message):
        recotrack.report(example, period=period, compare=compare)


def test_an_unknown_format_names_the_available_ones(example: recotrack.Tracker) -> None:
    with pytest.raises(
        recotrack.ReporterError, match="unknown report format 'nope'; available: csv, html, json, terminal, xlsx"
    ):
        recotrack.report(example, format="nope", plugins=load_plugins(autoload=False))


class _Misbehaving:
    """A plugin whose reporters fail in every way a reporter can."""

    @recotrack.hookspecs.hookimpl
    def recotrack_register_reporters(self) -> list[Reporter]:
        def raising(_: object) -> str:
            raise RuntimeError("boom")

        def exiting(_: object) -> str:
            sys.exit(0)

        return [
            Reporter("raises", "", raising),
            Reporter("exits", "", exiting),
            Reporter("none", "", lambda _: None),  # type: ignore[arg-type,return-value]
            Reporter("number", "", lambda _: 42),  # type: ignore[arg-type,return-value]
            Reporter("surrogate", "", lambda _: "\udc80"),
        ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("raises", "failed: RuntimeError('boom')"),
        ("exits", "failed: SystemExit(0)"),
        ("none", "returned NoneType, not the report's text"),
        ("number", "returned int, not the report's text"),
        ("surrogate", "cannot be written as UTF-8"),
    ],
)
def test_a_failing_reporter_is_an_error_naming_its_plugin(
    example: recotrack.Tracker, tmp_path: Path, name: str, message: str
) -> None:
    plugins = load_plugins(autoload=False)
    plugins.manager.register(_Misbehaving(), name="misbehaving")
    target = tmp_path / "report.txt"
    with pytest.raises(
        recotrack.ReporterError, match=rf"reporter '{name}' from plugin misbehaving .*{re.escape(message)}"
    ):
        recotrack.report(example, format=name, output=target, plugins=plugins)
    assert not target.exists()


def _scored_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "score" in node and not isinstance(node["score"], dict):
            yield node
        for value in node.values():
            yield from _scored_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _scored_objects(value)


@pytest.mark.parametrize(("period", "compare"), [("2019", None), ("2020", "2019")])
def test_every_printed_score_agrees_with_its_band(example: recotrack.Tracker, period: str, compare: str | None) -> None:
    document = json.loads(recotrack.report(example, period=period, compare=compare, format="json").content)
    bands = [recotrack.Band.model_validate(b) for b in document["method"]["bands"]]
    scored = list(_scored_objects(document))
    assert len(scored) > 100
    for found in scored:
        assert "score_printed" in found, found
        if found["score"] is None:
            assert found["score_printed"] is None
            continue
        printed = float(found["score_printed"].replace("\u2212", "-"))
        assert band_of(printed, bands) == band_of(found["score"], bands), found
        if "band" in found:
            expected = band_of(found["score"], bands)
            assert found["band"] == (expected.id if expected else None)


def test_every_built_in_report_shows_the_same_printed_figures(example: recotrack.Tracker) -> None:
    plugins = load_plugins(autoload=False)
    outputs = {
        name: str(
            recotrack.report(example, period="2020", compare="2019", format=name, width=160, plugins=plugins).content
        )
        for name in ("terminal", "html")
    }
    results = recotrack.score(example, "2020", compare="2019")
    assert results.comparison is not None
    for recommendation in results.recommendations:
        if recommendation.score_printed is not None:
            for name, text in outputs.items():
                assert recommendation.score_printed in text, (name, recommendation.id)
    moved = [c.score_change for c in results.comparison.recommendations if c.score_change is not None]
    assert moved
    for change in moved:
        for name, text in outputs.items():
            assert change.change_printed in text, (name, change.change_printed)


def test_reporters_import_neither_scoring_nor_evidence() -> None:
    reporters = [module for module in DEFAULT_PLUGINS if module.startswith("recotrack.reporters.")]
    assert len(reporters) >= 5
    for module in reporters:
        loaded = subprocess.run(
            [sys.executable, "-c", f"import sys, {module}; print(sorted(sys.modules))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "recotrack.scoring" not in loaded, module
        assert "recotrack.evidence" not in loaded, module
