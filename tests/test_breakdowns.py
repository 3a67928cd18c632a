"""Every question's answers by each kind of unit above its respondents, and the disclosure policy on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE
from recotrack.reporters import Provenance, ReportContext
from recotrack.reporters.html import render as render_html
from recotrack.reporters.json import report_document
from recotrack.reporters.terminal import render as render_terminal
from test_units import PARTNERSHIP

PROVENANCE = Provenance("recotrack", "test", recotrack.reporters.generation_time())


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def nhsd(tmp_path_factory: pytest.TempPathFactory) -> recotrack.Tracker:
    """The example with `disclosure: nhsd` in its catalog."""
    root = tmp_path_factory.mktemp("nhsd") / "cqc-cypmh"
    shutil.copytree(EXAMPLE, root)
    with (root / "catalog" / "review.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\ndisclosure: nhsd\n")
    return recotrack.load(root, strict=False)


def test_each_question_by_region_adds_up_to_the_national_figures(example: recotrack.Tracker) -> None:
    results = recotrack.score(example, "2019")
    assert {b.by for b in results.breakdowns} == {"region"}
    for breakdown in results.breakdowns:
        national = results.distribution(breakdown.question)
        assert len(breakdown.groups) == 9
        assert sum(g.base or 0 for g in breakdown.groups) == national.base
        for index, option in enumerate(national.options):
            assert sum(g.options[index].count or 0 for g in breakdown.groups) == option.count
    london = next(g for g in results.breakdown("1.1", "region").groups if g.name == "London")
    assert london.base == 15
    assert all(o.suppressed is None for o in london.options)
    assert london.options[0].interval is not None


def test_with_nhsd_every_published_count_is_zero_or_a_multiple_of_five_from_ten(nhsd: recotrack.Tracker) -> None:
    results = recotrack.score(nhsd, "2019")
    assert results.method.disclosure.preset == "nhsd"
    document = report_document(ReportContext(results, nhsd.catalog.review, PROVENANCE))
    counts = [o["count"] for b in document["breakdowns"] for g in b["groups"] for o in g["options"]]
    assert None in counts
    assert all(count is None or count == 0 or (count % 5 == 0 and count >= 10) for count in counts)
    suppressed = [o for b in document["breakdowns"] for g in b["groups"] for o in g["options"] if o["count"] is None]
    assert all(o["percent"] is None and o["suppressed"] for o in suppressed)
    assert {o["suppressed"] for o in suppressed} >= {"primary", "secondary-row"}
    rows = [r for g in document["response"]["groups"] for r in g["rows"]]
    assert all(r["responded"] is None or r["responded"] % 5 == 0 for r in rows)


def test_national_figures_do_not_change_with_a_policy(example: recotrack.Tracker, nhsd: recotrack.Tracker) -> None:
    plain, protected = recotrack.score(example, "2019"), recotrack.score(nhsd, "2019")
    assert protected.distributions == plain.distributions
    assert protected.recommendations == plain.recommendations
    assert protected.levels == plain.levels
    assert (protected.response.invited, protected.response.responded) == (152, 67)


def test_by_partnership_for_local_questions_only() -> None:
    results = recotrack.score(recotrack.load(PARTNERSHIP), "2021")
    by = {(b.question, b.by) for b in results.breakdowns}
    assert ("l1", "partnership") in by
    assert not any(question in ("r1", "r2") for question, _ in by)  # partnerships have nothing above them
    l1 = results.breakdown("l1", "partnership")
    assert [g.name for g in l1.groups][:2] == ["North partnership", "East partnership"]
    assert sum(g.base or 0 for g in l1.groups) == results.distribution("l1").base == 18


def test_reporters_show_breakdowns(nhsd: recotrack.Tracker) -> None:
    results = recotrack.score(nhsd, "2019")
    context = ReportContext(results, nhsd.catalog.review, PROVENANCE)
    page = render_html(context)
    assert "Answers by region" in page
    assert "1.1 Do commissioners and service planners" in page
    assert ">suppressed<" in page
    assert "counts from 1 to 7 suppressed, others rounded to the nearest 5" in page
    plain = render_terminal(context)
    assert "Answers by region" not in plain
    asked = render_terminal(
        ReportContext(results, nhsd.catalog.review, PROVENANCE, width=120, options={"breakdowns": "yes"})
    )
    assert "Answers by region" in asked
    assert "suppressed" in asked


def test_json_breakdown_shape(example: recotrack.Tracker, tmp_path: Path) -> None:
    results = recotrack.score(example, "2019")
    document = json.loads(json.dumps(report_document(ReportContext(results, example.catalog.review, PROVENANCE))))
    first = document["breakdowns"][0]
    assert {"question", "by", "groups"} <= set(first)
    group = first["groups"][0]
    assert {"unit", "name", "base", "options"} <= set(group)
    assert {"id", "count", "percent", "suppressed"} <= set(group["options"][0])
