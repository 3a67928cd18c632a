"""A profile for each unit: its own figures next to its parent's and the national ones, in every format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.model import Polarity
from recotrack.pipeline import report, report_units
from recotrack.reporters.html.charts import spine_chart
from recotrack.results import Interval, ProfileShare, Spine
from recotrack.scoring.profile import Profiler, Ranking, compare, percentile
from test_units import PARTNERSHIP

COMPARISONS = {"better", "similar", "worse", "higher", "lower", "not compared"}


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def profiler(example: recotrack.Tracker) -> Profiler:
    return Profiler(example, recotrack.score(example, "2019"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "recotrack", "report", *args], capture_output=True, text=True, check=False, env=env
    )


# -- the arithmetic -----------------------------------------------------------------------------


def test_ranks_share_ties_and_quintiles_need_five_values() -> None:
    high = Ranking((0.0, 0.5, 0.5, 0.5, 1.0, 1.0), Polarity.HIGH_IS_GOOD)
    assert [high.rank(v) for v in (1.0, 0.5, 0.0)] == [1, 3, 6]
    assert high.tied(0.5) == 2
    assert high.quintile(1.0) == 1
    assert high.quintile(0.5) == 3  # the middle of ranks 3 to 5
    assert high.quintile(0.0) == 5
    low = Ranking((0.0, 0.5, 1.0, 2.0, 3.0), Polarity.LOW_IS_GOOD)
    assert low.rank(0.0) == 1
    assert low.quintile(3.0) == 5
    assert Ranking((0.1, 0.2, 0.3, 0.4), Polarity.HIGH_IS_GOOD).quintile(0.4) is None


def test_percentiles_interpolate_between_ranks() -> None:
    values = (1.0, 2.0, 3.0, 4.0, 5.0)
    assert percentile(values, 0.25) == 2.0
    assert percentile(values, 0.5) == 3.0
    assert percentile((0.0, 1.0), 0.25) == 0.25


def _share(low: float, high: float) -> ProfileShare:
    return ProfileShare(
        count=1,
        base=2,
        percent=50,
        printed=50,
        interval=Interval(low=low, high=high),
        interval_998=Interval(low=low - 10, high=high + 10),
    )


def test_comparison_with_national_follows_polarity() -> None:
    share = _share(40, 60)
    assert compare(share, 0.5, Polarity.HIGH_IS_GOOD) == "similar"
    assert compare(share, 0.3, Polarity.HIGH_IS_GOOD) == "better"
    assert compare(share, 0.3, Polarity.HIGH_IS_GOOD, strict=True) == "similar"
    assert compare(share, 0.25, Polarity.HIGH_IS_GOOD, strict=True) == "better"
    assert compare(share, 0.3, Polarity.LOW_IS_GOOD) == "worse"
    assert compare(share, 0.7, Polarity.LOW_IS_GOOD) == "better"
    assert compare(share, 0.7, Polarity.NONE) == "lower"
    assert compare(None, 0.7, Polarity.NONE) == "not compared"
    assert compare(share, None, Polarity.NONE) == "not compared"


def test_a_spine_chart_is_flipped_where_low_is_good() -> None:
    spine = Spine(worst=0.0, q25=0.25, national=0.5, q75=0.75, best=1.0, unit=0.9, low_is_good=False)
    chart = spine_chart("s", spine, "t")
    assert chart.national_x == "100"
    assert float(chart.unit_x or 0) > 100  # better is to the right
    flipped = spine_chart("s", spine.model_copy(update={"worst": 1.0, "best": 0.0, "low_is_good": True}), "t")
    assert float(flipped.unit_x or 0) < 100  # 0.9 is bad when low is good: to the left


# -- the example's profiles -------------------------------------------------------------------


def test_a_board_s_profile(profiler: Profiler) -> None:
    profile = profiler.profile("hwb-002")
    assert (profile.id, profile.name, profile.kind, profile.parent_name) == (
        "hwb-002",
        "Board 002",
        "hwb",
        "North East",
    )
    assert profile.responded
    assert profile.return_location == "evidence/2019/hwb-002.yaml:6"
    answer = next(a for a in profile.answers if a.question == "1.1")
    assert (answer.status, answer.answer) == ("answered", "sometimes")
    assert answer.location is not None
    path, line = answer.location.rsplit(":", 1)
    assert '"1.1": sometimes' in (EXAMPLE / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert answer.national_share is not None
    assert (answer.national_share.count, answer.national_share.base) == (16, 67)
    assert answer.parent_share is not None
    assert answer.parent_share.base == 5
    benchmark = next(b for b in profile.benchmarks if b.indicator == "1.1")
    assert benchmark.unit_value == 0.5
    assert benchmark.of == 67
    assert benchmark.spine is not None
    assert benchmark.comparison == "not compared"  # a single board's own answer is not a sample
    assert benchmark.parent_comparison in COMPARISONS - {"not compared"}
    assert all(b.comparison in COMPARISONS for b in profile.benchmarks)
    recommendation = next(r for r in profile.recommendations if r.id == "L1.1")
    assert recommendation.unit_score is not None
    assert recommendation.rank is not None


def test_a_board_that_did_not_respond(profiler: Profiler) -> None:
    profile = profiler.profile("hwb-001")
    assert not profile.responded
    assert {a.status for a in profile.answers} <= {"no return", "withdrawn"}
    assert all(b.rank is None and b.unit_value is None for b in profile.benchmarks)
    assert "sent no return" in profile.notes[0]


def test_a_region_s_profile_compares_its_boards_with_national(profiler: Profiler) -> None:
    profile = profiler.profile("region-london")
    assert profile.respondents_below == 15
    single = next(b for b in profile.benchmarks if b.indicator == "1.1")
    assert single.unit_share is not None
    assert single.unit_share.base == 15
    assert single.comparison in COMPARISONS - {"not compared"}


def test_profiles_in_every_format(example: recotrack.Tracker, tmp_path: Path) -> None:
    document = json.loads(report(example, period="2019", format="json", unit="hwb-002").content)
    unit = document["unit"]
    assert {"id", "name", "kind", "benchmarks"} <= set(unit)
    assert unit["id"] == "hwb-002"
    first = unit["benchmarks"][0]
    assert {"indicator", "unit_value", "national", "comparison"} <= set(first)
    assert all(b["comparison"] in COMPARISONS for b in unit["benchmarks"])
    assert (document["format"], document["period"], document["method"]["version"]) == (3, "2019", "2")
    assert "distributions" not in document  # the national report is not repeated in every profile
    schema = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert not errors, [e.message for e in errors[:3]]
    terminal = report(example, period="2019", unit="hwb-002", width=120).content
    assert isinstance(terminal, str)
    assert "Board 002" in terminal
    assert "Where it stands among all units of its kind" in terminal
    page = report(example, period="2019", format="html", unit="hwb-002").content
    assert isinstance(page, str)
    assert "<h1>Board 002</h1>" in page
    assert 'class="spine"' in page
    assert "<script" not in page


def test_the_command_writes_a_profile_and_every_profile(tmp_path: Path) -> None:
    out = tmp_path / "hwb-002.json"
    result = run(str(EXAMPLE), "--period", "2019", "--unit", "hwb-002", "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["unit"]["name"] == "Board 002"
    wrong = run(str(EXAMPLE), "--period", "2019", "--unit", "hwb-999")
    assert wrong.returncode == 1
    assert "unknown unit 'hwb-999'" in wrong.stderr
    folder = tmp_path / "profiles"
    result = run(str(EXAMPLE), "--period", "2019", "--units", "all", "--format", "html", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    assert "wrote 152 profiles and index.html" in result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 153
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert index.count('href="hwb-') == 152
    assert 'href="index.html"' in (folder / "hwb-002.html").read_text(encoding="utf-8")
    assert run(str(EXAMPLE), "--units", "all").returncode == 2  # needs -o DIR


def test_every_profile_is_made_from_one_scoring_quickly(example: recotrack.Tracker, tmp_path: Path) -> None:
    started = time.perf_counter()
    written = report_units(example, tmp_path / "all", period="2019", format="json")
    elapsed = time.perf_counter() - started
    assert len(written.profiles) == 152
    assert written.index is None
    assert elapsed < 30, f"{elapsed:.1f} s"


# -- the partnership tracker and the disclosure policy ----------------------------------------------


def test_units_are_ranked_among_their_own_kind() -> None:
    tracker = recotrack.load(PARTNERSHIP)
    profile = Profiler(tracker, recotrack.score(tracker, "2021")).profile("p1")
    shared = next(r for r in profile.recommendations if r.id == "R2")  # answered by partnerships and areas
    assert shared.of == 4  # the partnerships with a score on it, not the 23 units of both kinds
    local = next(b for b in profile.benchmarks if b.indicator == "l1")
    assert local.from_units_below
    assert local.rank is None
    assert local.spine is not None


def test_an_area_and_its_partnership() -> None:
    tracker = recotrack.load(PARTNERSHIP)
    profiler = Profiler(tracker, recotrack.score(tracker, "2021"))
    area = profiler.profile("a01")
    assert (area.parent, area.parent_kind_label) == ("p1", "Regional partnership")
    statuses = {a.question: a.status for a in area.answers}
    assert statuses["r1"] == "not asked"
    assert statuses["l1"] == "answered"
    waiting = next(b for b in area.benchmarks if b.indicator == "waiting")
    assert waiting.unit_value == pytest.approx(1 / 9)
    assert next(n for n in area.numbers if n.indicator == "waiting").unit is not None
    partnership = profiler.profile("p1")
    assert partnership.respondents_below == 4
    assert next(a for a in partnership.answers if a.question == "r1").status == "answered"
    plan = next(m for m in partnership.milestones if m.indicator == "plan")
    assert plan.unit is not None
    assert plan.unit.status == "agreed"
    assert profiler.units("partnership") == ["p1", "p2", "p3", "p4", "p5"]
    assert len(profiler.units("all")) == 26


def test_peers_only_through_the_policy(tmp_path: Path) -> None:
    root = tmp_path / "cqc"
    shutil.copytree(EXAMPLE, root)
    with (root / "catalog" / "review.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\ndisclosure: nhsd\n")
    tracker = recotrack.load(root, strict=False)
    profile = Profiler(tracker, recotrack.score(tracker, "2019")).profile("hwb-002")
    own = next(a for a in profile.answers if a.question == "1.1")
    assert own.answer == "sometimes"  # its own answer, as given
    shares = [a.parent_share for a in profile.answers if a.parent_share is not None]
    assert any(s.count is None and s.suppressed for s in shares)
    assert all(s.count is None or s.count % 5 == 0 for s in shares)
    assert any("disclosure policy" in note for note in profile.notes)
