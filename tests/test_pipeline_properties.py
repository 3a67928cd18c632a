"""Properties of the whole pipeline on random valid trackers: load → score → JSON report."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

import recotrack
from conftest import ROOT
from recotrack.reporters import Provenance, ReportContext, generation_time
from recotrack.reporters.json import report_document
from strategies import RandomTracker, trackers, write_tracker

SCHEMA = Draft202012Validator(json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8")))
PROVENANCE = Provenance("tests", "0", generation_time())
PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def document(tracker: RandomTracker, **layout: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        loaded = recotrack.load(write_tracker(tracker, Path(folder) / "t", **layout))
        results = recotrack.score(loaded, "2020", compare="2019")
        return report_document(ReportContext(results, loaded.catalog.review, PROVENANCE))


@PROPERTIES
@given(trackers())
def test_random_trackers_load_score_and_report_valid_json(tracker: RandomTracker) -> None:
    report = document(tracker)
    errors = [e.message for e in SCHEMA.iter_errors(json.loads(json.dumps(report)))]
    assert not errors, errors[:3]
    for question in report["distributions"]:
        if question["withdrawn"]:
            continue
        assert sum(o["count"] for o in question["options"]) == question["base"]
        assert question["base"] <= report["response"]["responded"]


@PROPERTIES
@given(trackers())
def test_same_answers_in_any_order_and_format_give_the_same_report(tracker: RandomTracker) -> None:
    plain = document(tracker)
    shuffled = document(tracker, reverse=True, csv_periods=("2020",))
    assert shuffled == plain
