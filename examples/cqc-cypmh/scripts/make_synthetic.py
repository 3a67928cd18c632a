#!/usr/bin/env python3
"""Generate the SYNTHETIC per-board evidence of the cqc-cypmh example.

The 2019 questionnaire report publishes only totals (evidence/2019-published-tallies.yaml); the
per-board returns behind them are not public. This script constructs stand-ins:

* evidence/2019/hwb-XXX.yaml: 67 synthetic 2019 returns whose answers add up, row by row and grid
  item by grid item, exactly to the published counts, and which respect the questionnaire's
  conditions (1.3 only where 1.2 was "Yes, always/sometimes"; 2.3a and 2.3b only where 2.3 was).
* evidence/2020-returns.csv: a synthetic 2020 year (wide CSV), about 80 boards, with plausible
  modest changes from 2019 and a few large ones.
* evidence/2021-returns.csv: a synthetic 2021 year (wide CSV) on the revised, equally synthetic
  questionnaire of catalog/questionnaire-2021.yaml: reworded, split, rescaled, replaced and new
  questions, answered by boards that mostly answered in 2020 too.

It is deterministic (fixed seeds, standard library plus ruamel.yaml for reading), so running it again
rewrites the same files byte for byte:

    python examples/cqc-cypmh/scripts/make_synthetic.py

Inputs: catalog/questionnaire-2019.yaml, catalog/scales.yaml, units.yaml and
evidence/2019-published-tallies.yaml. See evidence/README.md for every modelling decision.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

SEED = 20191217
"""Base seed; every random choice uses its own generator seeded from this and a fixed label."""

EXAMPLE = Path(__file__).resolve().parent.parent
EVIDENCE = EXAMPLE / "evidence"
RETURNS_2019 = EVIDENCE / "2019"
CSV_2020 = EVIDENCE / "2020-returns.csv"
CSV_2021 = EVIDENCE / "2021-returns.csv"

FIRST_DAY = dt.date(2019, 9, 17)
"""First and last days on which the report says returns arrived."""
LAST_DAY = dt.date(2019, 12, 17)
DEADLINE = dt.date(2019, 10, 31)
"""Boards were asked to reply "by the end of October"; each synthetic date falls by then with chance 0.8."""

LONDON_ONLY_OTHERS = {"Ealing Community and Voluntary Service"}
"""'Others' entries that name a place: given only to boards in that region (Ealing is in London)."""

# --- 2019: the withdrawn duplicate questions 2.2 / 2.7 -------------------------------------------
# The report withholds both, so there is nothing to match. The questions *were* asked, so every
# synthetic board answers 2.2, and 2.7 repeats 2.2 except for a few boards that answer the duplicate
# differently or skip it -- the kind of inconsistency that made the results unusable.
WITHDRAWN_2019_WEIGHTS = {"always": 30, "sometimes": 26, "never": 7, "dont-know": 3, "not-applicable": 1}
WITHDRAWN_DUPLICATE_CHANGED = 6
WITHDRAWN_DUPLICATE_SKIPPED = 3

# --- 2020 --------------------------------------------------------------------------------------------
CONTINUING_2020 = 60
"""How many of the 67 boards of 2019 answer again in 2020."""
NEW_2020 = 20
"""How many boards that did not answer in 2019 answer in 2020."""
STAY = 0.7
"""Chance that a continuing board gives the same answer as in 2019 (for an item without a shift)."""
STAY_SHIFTED = 0.4
"""The same for items with a deliberate shift: more boards move, so the shift can show."""
BLANK_BOARDS_2020 = 3
"""Boards that leave a few applicable questions unanswered in 2020 (item non-response)."""

SHIFTS_2020: dict[str, dict[str, float]] = {
    # Large, statistically clear changes.
    "6.1.2": {"always": 0.62, "sometimes": 0.35, "never": 0.01, "dont-know": 0.02, "not-applicable": 0.0},
    "4.2": {"always": 0.15, "sometimes": 0.50, "never": 0.20, "dont-know": 0.10, "not-applicable": 0.05},
    "7.1": {"always": 0.55, "sometimes": 0.45, "never": 0.0, "dont-know": 0.0, "not-applicable": 0.0},
    # Modest improvements.
    "5.4": {"comprehensive": 0.24, "partially": 0.50, "planned": 0.05, "no": 0.21},
    "7.3": {"always": 0.33, "sometimes": 0.35, "never": 0.24, "dont-know": 0.08, "not-applicable": 0.0},
    "1.6": {"always": 0.15, "sometimes": 0.68, "never": 0.12, "dont-know": 0.05, "not-applicable": 0.0},
    "1.8/the-police": {"yes": 0.42, "no": 0.58},
    # Modest deteriorations.
    "8.2": {"always": 0.15, "sometimes": 0.71, "never": 0.05, "dont-know": 0.09, "not-applicable": 0.0},
    "9.2": {"always": 0.48, "sometimes": 0.45, "never": 0.02, "dont-know": 0.05, "not-applicable": 0.0},
    "6.2/staff-recruitment": {
        "always": 0.10,
        "sometimes": 0.74,
        "never": 0.08,
        "dont-know": 0.08,
        "not-applicable": 0.0,
    },
}

_YAML11_WORDS = {"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}


# --- 2021 --------------------------------------------------------------------------------------------
CONTINUING_2021 = 64
"""How many of the 2020 boards answer again in 2021."""
NEW_2021 = 12
SHIFTS_2021: dict[str, dict[str, float]] = {
    # The 2020 improvements carry on, so that three points show a trend.
    "6.1.2": {"always": 0.80, "sometimes": 0.19, "never": 0.0, "dont-know": 0.01, "not-applicable": 0.0},
    "7.1": {"always": 0.75, "sometimes": 0.25, "never": 0.0, "dont-know": 0.0, "not-applicable": 0.0},
    # New questions.
    "8.2n": {"always": 0.30, "sometimes": 0.55, "never": 0.10, "dont-know": 0.05, "not-applicable": 0.0},
    "9.7": {"always": 0.45, "sometimes": 0.40, "never": 0.05, "dont-know": 0.10, "not-applicable": 0.0},
}
RENAMED_2021 = {"3.4r": "3.4", "4.2a": "4.2", "4.2b": "4.2"}
"""2021 questions answered like the 2020 question they replace (the crosswalk's comparable pairs)."""
RECODED_2021 = {"5.4y": ("5.4", {"comprehensive": "yes", "partially": "no", "planned": "no", "no": "no"})}


def slugify(label: str) -> str:
    """The loader's rule for grid item ids: lower case, runs of [^a-z0-9] as one '-', trimmed."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def rng_for(*labels: object) -> random.Random:
    """A generator of its own for one decision (string seeds are hashed with SHA-512: stable)."""
    return random.Random(":".join([str(SEED), *map(str, labels)]))


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return YAML(typ="safe", pure=True).load(handle)


@dataclass(frozen=True)
class Question:
    """One answerable id: a scale indicator, or one item of a grid."""

    id: str
    indicator: str
    options: tuple[str, ...]
    applies_when: tuple[str, tuple[str, ...]] | None
    withdrawn: bool
    periods: tuple[str, ...] = ()

    def asked_in(self, period: str) -> bool:
        return not self.periods or period in self.periods


def questions(catalog: dict, scales: dict) -> list[Question]:
    found = []
    for indicator in catalog["indicators"]:
        if indicator.get("kind", "scale") != "scale":
            continue
        options = tuple(str(option["id"]) for option in scales[indicator["scale"]]["options"])
        condition = indicator.get("applies_when")
        applies = (str(condition["indicator"]), tuple(map(str, condition["in"]))) if condition else None
        ids = [f"{indicator['id']}/{slugify(item)}" for item in indicator.get("items", [])] or [indicator["id"]]
        for qid in ids:
            periods = tuple(str(p) for p in indicator.get("periods", ()))
            found.append(
                Question(qid, str(indicator["id"]), options, applies, bool(indicator.get("withdrawn")), periods)
            )
    return found


def allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over groups in proportion to their sizes (largest remainder)."""
    whole = sum(sizes.values())
    shares = {key: total * size / whole for key, size in sizes.items()}
    result = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(sizes, key=lambda key: (-(shares[key] - result[key]), list(sizes).index(key)))
    for key in by_remainder[: total - sum(result.values())]:
        result[key] += 1
    return result


def yaml_scalar(value: str) -> str:
    if value.lower() in _YAML11_WORDS or re.fullmatch(r"[0-9][0-9.]*", value):
        return f'"{value}"'
    return value


def yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def counts_of(tally: dict, options: tuple[str, ...]) -> dict[str, int]:
    """Counts per option; a tally that prints only the 'yes' column gets the rest as 'no'."""
    counts = {str(key): int(value) for key, value in tally["counts"].items()}
    base = int(tally["base"])
    if set(counts) != set(options):
        missing = [option for option in options if option not in counts]
        if len(missing) != 1:
            raise SystemExit(f"cannot complete a partial tally over {options}: {counts}")
        counts[missing[0]] = base - sum(counts.values())
    if sum(counts.values()) != base:
        raise SystemExit(f"tally does not add up to its base {base}: {counts}")
    return {option: counts[option] for option in options}


def qualifies(answers: dict[str, str], question: Question) -> bool:
    if question.applies_when is None:
        return True
    parent, allowed = question.applies_when
    return answers.get(parent) in allowed


# --- 2019 ---------------------------------------------------------------------------------------------


def choose_respondents(hwbs: dict[str, list[str]], total: int) -> list[str]:
    quota = allocate(total, {region: len(boards) for region, boards in hwbs.items()})
    chosen: list[str] = []
    for region, boards in hwbs.items():
        chosen += rng_for("respondents", region).sample(boards, quota[region])
    return sorted(chosen)


def submitted_dates(boards: list[str]) -> dict[str, dt.date]:
    rng = rng_for("submitted")
    early = (DEADLINE - FIRST_DAY).days
    late = (LAST_DAY - DEADLINE).days
    days = [FIRST_DAY, LAST_DAY]
    while len(days) < len(boards):
        if rng.random() < 0.8:
            days.append(FIRST_DAY + dt.timedelta(days=rng.randint(0, early)))
        else:
            days.append(DEADLINE + dt.timedelta(days=rng.randint(1, late)))
    rng.shuffle(days)
    return dict(zip(boards, days, strict=True))


def make_2019(qs: list[Question], tallies: dict, boards: list[str], region_of: dict[str, str]):
    answers: dict[str, dict[str, str]] = {board: {} for board in boards}
    for q in qs:
        if q.withdrawn:
            continue
        tally = tallies["indicators"][q.id]
        counts = counts_of(tally, q.options)
        eligible = [board for board in boards if qualifies(answers[board], q)]
        if len(eligible) != int(tally["base"]):
            raise SystemExit(f"{q.id}: {len(eligible)} boards qualify, the published base is {tally['base']}")
        values = [option for option in q.options for _ in range(counts[option])]
        rng_for("2019", q.id).shuffle(values)
        for board, value in zip(eligible, values, strict=True):
            answers[board][q.id] = value
    withdrawn = [q for q in qs if q.withdrawn]
    if withdrawn:
        first, *duplicates = withdrawn
        weights = WITHDRAWN_2019_WEIGHTS
        rng = rng_for("2019", "withdrawn")
        for board in boards:
            answers[board][first.id] = rng.choices(list(weights), weights=list(weights.values()))[0]
        for duplicate in duplicates:
            rng = rng_for("2019", "withdrawn", duplicate.id)
            odd = rng.sample(boards, WITHDRAWN_DUPLICATE_CHANGED + WITHDRAWN_DUPLICATE_SKIPPED)
            changed, skipped = set(odd[:WITHDRAWN_DUPLICATE_CHANGED]), set(odd[WITHDRAWN_DUPLICATE_CHANGED:])
            for board in boards:
                if board in skipped:
                    continue
                value = answers[board][first.id]
                if board in changed:
                    value = rng.choice([option for option in duplicate.options if option != value])
                answers[board][duplicate.id] = value
    # Free-text 'Others' entries, given to as many boards as the report counts.
    others: dict[str, dict[str, list[str]]] = {board: {} for board in boards}
    for indicator, entries in tallies.get("others", {}).items():
        for label, entry in entries.items():
            pool = boards
            if label in LONDON_ONLY_OTHERS:
                pool = [board for board in boards if region_of[board] == "region-london"]
            for board in sorted(rng_for("2019", "others", indicator, label).sample(pool, int(entry["count"]))):
                others[board].setdefault(indicator, []).append(label)
    # Order every board's answers as the catalog does.
    order = {q.id: index for index, q in enumerate(qs)}
    for board in boards:
        answers[board] = dict(sorted(answers[board].items(), key=lambda kv: order[kv[0]]))
    return answers, others


def check_2019(qs: list[Question], tallies: dict, answers: dict, others: dict) -> None:
    """Re-count the synthetic returns: every published count must come out exactly."""
    for q in qs:
        if q.withdrawn:
            continue
        got = Counter(board_answers[q.id] for board_answers in answers.values() if q.id in board_answers)
        want = counts_of(tallies["indicators"][q.id], q.options)
        if any(got.get(option, 0) != want[option] for option in q.options) or sum(got.values()) != sum(want.values()):
            raise SystemExit(f"{q.id}: synthetic counts {dict(got)} differ from the published {want}")
        for board_answers in answers.values():
            if (q.id in board_answers) != qualifies(board_answers, q):
                raise SystemExit(f"{q.id}: answered where the condition does not hold (or skipped where it does)")
    for indicator, entries in tallies.get("others", {}).items():
        got = Counter(label for board in others.values() for label in board.get(indicator, []))
        for label, entry in entries.items():
            if got.get(label, 0) != int(entry["count"]):
                raise SystemExit(f"others {indicator} {label!r}: {got.get(label, 0)} != {entry['count']}")


def write_2019(answers: dict, others: dict, dates: dict[str, dt.date]) -> None:
    RETURNS_2019.mkdir(parents=True, exist_ok=True)
    for stale in RETURNS_2019.glob("hwb-*.yaml"):
        stale.unlink()
    for board, board_answers in answers.items():
        lines = [
            "# yaml-language-server: $schema=../../../../schemas/evidence.schema.json",
            "# SYNTHETIC RETURN -- not a real board's answers. Constructed by scripts/make_synthetic.py so that",
            "# the 67 synthetic 2019 returns add up exactly to the published tallies",
            "# (evidence/2019-published-tallies.yaml); real per-board returns are not public.",
            "return:",
            f"  unit: {board}",
            '  period: "2019"',
            '  completed_by: "Synthetic respondent"',
            f"  submitted: {dates[board].isoformat()}",
            "  answers:",
        ]
        lines += [f'    "{qid}": {yaml_scalar(value)}' for qid, value in board_answers.items()]
        if others[board]:
            lines.append("  other:")
            for indicator, labels in others[board].items():
                lines.append(f'    "{indicator}": [{", ".join(yaml_string(label) for label in labels)}]')
        (RETURNS_2019 / f"{board}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- 2020 ---------------------------------------------------------------------------------------------


def target(q: Question, counts: dict[str, int]) -> tuple[dict[str, float], dict[str, float], float]:
    """(2020 marginal to aim at, distribution a moving board draws from, chance a board stays)."""
    total = sum(counts.values())
    before = {option: counts[option] / total for option in q.options}
    aim = SHIFTS_2020.get(q.id, before)
    stay = STAY_SHIFTED if q.id in SHIFTS_2020 else STAY
    move = {option: max(aim.get(option, 0.0) - stay * before[option], 0.0) for option in q.options}
    mass = sum(move.values())
    move = {option: value / mass for option, value in move.items()} if mass else before
    return aim, move, stay


def draw(rng: random.Random, distribution: dict[str, float]) -> str:
    options = [option for option, weight in distribution.items() if weight > 0]
    return rng.choices(options, weights=[distribution[option] for option in options])[0]


def make_2020(qs: list[Question], tallies: dict, answers_2019: dict, hwbs: list[str]) -> dict[str, dict[str, str]]:
    respondents_2019 = sorted(answers_2019)
    continuing = rng_for("2020", "continuing").sample(respondents_2019, CONTINUING_2020)
    newcomers = rng_for("2020", "new").sample([b for b in hwbs if b not in answers_2019], NEW_2020)
    boards = sorted(continuing + newcomers)
    answers: dict[str, dict[str, str]] = {board: {} for board in boards}
    for q in qs:
        if q.withdrawn:
            continue  # not asked in 2020
        aim, move, stay = target(q, counts_of(tallies["indicators"][q.id], q.options))
        rng = rng_for("2020", q.id)
        for board in boards:
            roll, fresh, moved = rng.random(), draw(rng, aim), draw(rng, move)
            if not qualifies(answers[board], q):
                continue
            before = answers_2019.get(board, {}).get(q.id)
            if before is None:
                answers[board][q.id] = fresh
            else:
                answers[board][q.id] = before if roll < stay else moved
    # A few boards leave some questions blank (never a question another one depends on).
    parents = {q.applies_when[0] for q in qs if q.applies_when}
    rng = rng_for("2020", "blank")
    for board in rng.sample(boards, BLANK_BOARDS_2020):
        blankable = [qid for qid in answers[board] if qid not in parents]
        for qid in rng.sample(blankable, rng.randint(1, 4)):
            del answers[board][qid]
    return answers


def write_2020(qs: list[Question], answers: dict[str, dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "period", *(q.id for q in qs)])
    for board, board_answers in answers.items():
        writer.writerow([board, "2020", *(board_answers.get(q.id, "") for q in qs)])
    CSV_2020.write_text(buffer.getvalue(), encoding="utf-8")


def make_2021(
    qs: list[Question], answers_2020: dict[str, dict[str, str]], hwbs: list[str]
) -> dict[str, dict[str, str]]:
    continuing = rng_for("2021", "continuing").sample(sorted(answers_2020), CONTINUING_2021)
    newcomers = rng_for("2021", "new").sample([b for b in hwbs if b not in answers_2020], NEW_2021)
    boards = sorted(continuing + newcomers)
    answers: dict[str, dict[str, str]] = {board: {} for board in boards}
    for q in qs:
        if q.withdrawn or not q.asked_in("2021"):
            continue
        rng = rng_for("2021", q.id)
        old_id, recode = RECODED_2021.get(q.id, (RENAMED_2021.get(q.id, q.id), {}))
        earlier = [a[old_id] for a in answers_2020.values() if old_id in a]
        before = Counter(recode.get(answer, answer) for answer in earlier)
        total = sum(before.values())
        marginal = {o: before[o] / total for o in q.options} if total else {o: 1 / len(q.options) for o in q.options}
        aim = SHIFTS_2021.get(q.id, marginal)
        stay = STAY_SHIFTED if q.id in SHIFTS_2021 else STAY
        for board in boards:
            roll, fresh = rng.random(), draw(rng, aim)
            if not qualifies(answers[board], q):
                continue
            previous = answers_2020.get(board, {}).get(old_id)
            kept = recode.get(previous, previous) if previous is not None else None
            answers[board][q.id] = kept if kept is not None and roll < stay else fresh
    return answers


def write_2021(qs: list[Question], answers: dict[str, dict[str, str]]) -> None:
    asked = [q for q in qs if not q.withdrawn and q.asked_in("2021")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "period", *(q.id for q in asked)])
    for board, board_answers in answers.items():
        writer.writerow([board, "2021", *(board_answers.get(q.id, "") for q in asked)])
    CSV_2021.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> int:
    catalog = load(EXAMPLE / "catalog" / "questionnaire-2019.yaml")
    scales = {scale["id"]: scale for scale in load(EXAMPLE / "catalog" / "scales.yaml")["scales"]}
    units = load(EXAMPLE / "units.yaml")
    tallies = load(EVIDENCE / "2019-published-tallies.yaml")["tallies"]
    qs = questions(catalog, scales)

    region_of = {u["id"]: u.get("parent") for u in units["units"] if u["kind"] == "hwb"}
    by_region: dict[str, list[str]] = {}
    for unit in units["units"]:
        if unit["kind"] == "hwb":
            by_region.setdefault(unit["parent"], []).append(unit["id"])

    respondents = choose_respondents(by_region, int(tallies["respondents"]))
    answers_2019, others_2019 = make_2019(qs, tallies, respondents, region_of)
    check_2019(qs, tallies, answers_2019, others_2019)
    write_2019(answers_2019, others_2019, submitted_dates(respondents))

    answers_2020 = make_2020(qs, tallies, answers_2019, sorted(region_of))
    write_2020(qs, answers_2020)
    revised = questions(load(EXAMPLE / "catalog" / "questionnaire-2021.yaml"), scales)
    answers_2021 = make_2021([*qs, *revised], answers_2020, sorted(region_of))
    write_2021([*qs, *revised], answers_2021)
    print(
        f"wrote {len(answers_2019)} synthetic 2019 returns to {RETURNS_2019.relative_to(EXAMPLE)}/, "
        f"{len(answers_2020)} synthetic 2020 rows to {CSV_2020.relative_to(EXAMPLE)} "
        f"and {len(answers_2021)} synthetic 2021 rows to {CSV_2021.relative_to(EXAMPLE)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
