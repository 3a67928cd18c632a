"""A small tracker written for each test: two levels, a frequency question, a grid, a withdrawn question."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

CATALOG = """
review:
  id: mini
  title: A small review
  publisher: Test regulator
  published: 2018-03-08
levels:
  - {id: national, label: National}
  - {id: local, label: Local}
recommendations:
  - {id: N1, level: national, owners: [Government], title: Lead nationally, text: Government must lead.}
  - {id: L1, level: local, owners: [Boards], title: Local offer, text: Boards must publish a local offer.}
  - {id: L1.1, level: local, owners: [Boards], title: Joint commissioning, text: Commission jointly., parent: L1}
scales:
  - id: frequency
    options:
      - {id: always, label: "Yes, always", score: 1}
      - {id: sometimes, label: "Yes, sometimes", score: 0.5}
      - {id: never, label: "No, never", score: 0}
      - {id: dont-know, label: "Don't know", role: dont_know}
  - id: yes-no
    options:
      - {id: "yes", label: "Yes", score: 1}
      - {id: "no", label: "No", score: 0}
indicators:
  - {id: "1.1", kind: scale, measures: [L1.1], text: "Do commissioners plan jointly?", scale: frequency}
  - id: "1.8"
    kind: scale
    measures: [L1.1, L1]
    text: "Which agencies take part?"
    scale: yes-no
    items: [NHS commissioners, The Police]
  - {id: "2.2", kind: scale, measures: [L1], text: "Is there an open access point?", scale: yes-no,
     withdrawn: Duplicated in the questionnaire.}
"""

UNITS = """
kinds:
  - {id: region, label: Region}
  - {id: board, label: Board}
units:
  - {id: north, name: North, kind: region}
  - {id: b1, name: Board One, kind: board, parent: north}
  - {id: b2, name: Board Two, kind: board, parent: north}
  - {id: b3, name: Board Three, kind: board, parent: north}
  - {id: b4, name: Board Four, kind: board, parent: north}
invited:
  - {period: "2019", kind: board}
  - {period: "2020", kind: board}
"""

RETURNS = """
returns:
  - {unit: b1, period: "2019", answers: {"1.1": never, "1.8/nhs-commissioners": "yes", "1.8/the-police": "no"}}
  - {unit: b2, period: "2019", answers: {"1.1": sometimes, "1.8/nhs-commissioners": "yes", "1.8/the-police": "no"}}
  - {unit: b3, period: "2019", answers: {"1.1": dont-know, "1.8/nhs-commissioners": "no", "1.8/the-police": "no"}}
  - {unit: b1, period: "2020", answers: {"1.1": always, "1.8/nhs-commissioners": "yes", "1.8/the-police": "yes"}}
  - {unit: b2, period: "2020", answers: {"1.1": always, "1.8/nhs-commissioners": "yes", "1.8/the-police": "no"}}
  - {unit: b3, period: "2020", answers: {"1.1": sometimes, "1.8/nhs-commissioners": "yes", "1.8/the-police": "no"}}
  - {unit: b4, period: "2020", answers: {"1.1": always, "1.8/nhs-commissioners": "no", "1.8/the-police": "yes"}}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def tracker_dir(tmp_path: Path) -> Path:
    """A writable small tracker; tests may edit its files before loading it."""
    root = tmp_path / "tracker"
    write(root / "catalog.yaml", CATALOG)
    write(root / "units.yaml", UNITS)
    write(root / "evidence" / "returns.yaml", RETURNS)
    return root
