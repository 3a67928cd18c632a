"""Hypothesis strategies that build random valid trackers: catalogs, units and evidence.

A drawn :class:`RandomTracker` is plain data; :func:`write_tracker` writes it as a tracker directory
(YAML catalog and units, evidence as YAML returns or tidy CSV) so that properties exercise the
whole pipeline: load → score → report.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Words with the characters users put in labels: markup, quotes, ampersands, accents.
WORDS = st.sampled_from(["care", "<b>plan</b>", "Zoë", "[bold]x[/]", "A & B", "it's", '"q"', "=1+1", "ÉLAN", "no"])


@dataclass
class RandomTracker:
    catalog: dict[str, Any]
    units: dict[str, Any]
    returns: list[dict[str, Any]] = field(default_factory=list)
    """Each: unit, period, answers (question id → option id or label)."""


@st.composite
def scales(draw: st.DrawFn, index: int) -> dict[str, Any]:
    count = draw(st.integers(2, 5))
    options = [
        {"id": f"o{i}", "label": f"{draw(WORDS)} {i}", "score": draw(st.sampled_from([0, 0.25, 0.5, 1]))}
        for i in range(count)
    ]
    if draw(st.booleans()):
        options.append({"id": "dk", "label": "Don't know", "role": "dont_know"})
    return {"id": f"s{index}", "options": options}


@st.composite
def trackers(draw: st.DrawFn) -> RandomTracker:
    drawn_scales = [draw(scales(i)) for i in range(draw(st.integers(1, 3)))]
    recommendations = [
        {"id": f"R{i}", "level": draw(st.sampled_from(["national", "local"])), "owners": ["Boards"],
         "title": f"{draw(WORDS)} {i}", "text": draw(WORDS)}
        for i in range(draw(st.integers(1, 4)))
    ]  # fmt: skip
    indicators: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 6))):
        scale = draw(st.sampled_from(drawn_scales))
        indicator: dict[str, Any] = {
            "id": f"{i + 1}.1", "kind": "scale", "scale": scale["id"], "text": f"{draw(WORDS)} question {i}",
            "measures": draw(st.lists(st.sampled_from([r["id"] for r in recommendations]), min_size=1,
                                      max_size=2, unique=True)),
        }  # fmt: skip
        if draw(st.booleans()):
            indicator["items"] = [f"Item {chr(65 + j)} {draw(WORDS)}" for j in range(draw(st.integers(1, 3)))]
        plain = [x for x in indicators if "items" not in x]
        if plain and draw(st.booleans()):
            parent = draw(st.sampled_from(plain))
            parent_scale = next(s for s in drawn_scales if s["id"] == parent["scale"])
            allowed = draw(st.lists(st.sampled_from([o["id"] for o in parent_scale["options"]]), min_size=1,
                                    unique=True))  # fmt: skip
            indicator["applies_when"] = {"indicator": parent["id"], "in": allowed}
        if draw(st.integers(0, 9)) == 0:
            indicator["withdrawn"] = "Asked twice."
        indicators.append(indicator)
    catalog = {
        "review": {"id": "random", "title": draw(WORDS), "publisher": "Tests", "published": "2020-01-01"},
        "levels": [{"id": "national", "label": "National"}, {"id": "local", "label": "Local"}],
        "recommendations": recommendations,
        "scales": drawn_scales,
        "indicators": indicators,
    }
    unit_ids = [f"u{i}" for i in range(draw(st.integers(1, 8)))]
    units = {
        "kinds": [{"id": "board", "label": "Board"}],
        "units": [{"id": u, "name": f"{draw(WORDS)} {u}", "kind": "board"} for u in unit_ids],
        "invited": [{"period": "2019", "kind": "board"}, {"period": "2020", "kind": "board"}],
    }
    tracker = RandomTracker(catalog, units)
    scale_of = {s["id"]: s for s in drawn_scales}
    for period in ("2019", "2020"):
        for unit in draw(st.lists(st.sampled_from(unit_ids), min_size=1, unique=True)):
            answers: dict[str, str] = {}
            for indicator in indicators:
                options = scale_of[indicator["scale"]]["options"]
                ids = [f"{indicator['id']}/{_slug(x)}" for x in indicator.get("items", [])] or [indicator["id"]]
                for question in ids:
                    if draw(st.integers(0, 4)) == 0:
                        continue  # item non-response
                    option = draw(st.sampled_from(options))
                    answers[question] = option["id"] if draw(st.booleans()) else option["label"].upper()
            if not answers:  # a return with no answer at all cannot be written in tidy CSV (a row per answer)
                first = indicators[0]
                question = f"{first['id']}/{_slug(first['items'][0])}" if "items" in first else first["id"]
                answers[question] = scale_of[first["scale"]]["options"][0]["id"]
            tracker.returns.append({"unit": unit, "period": period, "answers": answers})
    return tracker


def _slug(label: str) -> str:
    from recotrack import slugify

    return slugify(label)


def write_tracker(tracker: RandomTracker, root: Path, *, csv_periods: tuple[str, ...] = (), reverse: bool = False,
                  ) -> Path:  # fmt: skip
    """Write the tracker: JSON is valid YAML, so catalog and units are written as JSON documents."""
    (root / "evidence").mkdir(parents=True)
    (root / "catalog.yaml").write_text(json.dumps(tracker.catalog, ensure_ascii=False), encoding="utf-8")
    (root / "units.yaml").write_text(json.dumps(tracker.units, ensure_ascii=False), encoding="utf-8")
    returns = list(reversed(tracker.returns)) if reverse else tracker.returns
    rows = [r for r in returns if r["period"] in csv_periods]
    with (root / "evidence" / "tidy.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["unit", "period", "indicator", "answer"])
        for entry in rows:
            answers = list(entry["answers"].items())
            for question, answer in reversed(answers) if reverse else answers:
                writer.writerow([entry["unit"], entry["period"], question, answer])
    yaml_returns = [{"return": r} for r in returns if r["period"] not in csv_periods]
    for index, document in enumerate(yaml_returns):
        name = f"r{len(yaml_returns) - index:03}.yaml" if reverse else f"r{index:03}.yaml"
        (root / "evidence" / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return root
