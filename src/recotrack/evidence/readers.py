"""The YAML evidence reader. It parses; the rules (:mod:`recotrack.evidence.rules`) check; the builder stores.

YAML files hold ``return`` / ``returns``, ``tallies``, ``milestones``, ``values``, ``lifecycle`` and
``column_map`` sections. CSV files are read by :mod:`recotrack.evidence.csv_reader`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from recotrack._sections import SectionReader
from recotrack._yaml import Origin, YamlDocument
from recotrack.errors import FieldPath, Finding, Severity, format_field
from recotrack.evidence import rules
from recotrack.evidence.builder import EvidenceBuilder, ReturnsLimit, Where
from recotrack.evidence.files import (
    LifecycleEntry,
    MilestoneEntry,
    ReturnEntry,
    TalliesEntry,
    TallyEntry,
    ValueEntry,
)
from recotrack.evidence.model import (
    LifecycleRecord,
    MilestoneRecord,
    OtherTally,
    PublishedTallies,
    ReturnInfo,
    SourceFile,
    Tally,
    ValueRecord,
)
from recotrack.limits import how_to_raise
from recotrack.model import normalise_label

EVIDENCE_MODELS: dict[str, type[BaseModel]] = {
    "return": ReturnEntry,
    "returns": ReturnEntry,
    "tallies": TalliesEntry,
    "tally": TallyEntry,
    "milestones": MilestoneEntry,
    "values": ValueEntry,
    "lifecycle": LifecycleEntry,
}


# -- YAML ---------------------------------------------------------------------------------------


def read_yaml_evidence(
    builder: EvidenceBuilder, sections: SectionReader, path: Path, default_period: str | None = None
) -> None:
    documents = sections.read([path], "evidence")
    if not documents:
        builder.left_out(sections.inputs.shown(path), "unreadable-file")
        return
    document = documents[0]
    builder.evidence.sources.append(SourceFile(document.file, "yaml", document.sha256, "utf-8"))
    collected = sections.collect(
        documents, ("return", "tallies", "column_map"), ("returns", "milestones", "values", "lifecycle")
    )

    def where(origin: Origin, rel: FieldPath = ()) -> Where:
        full = (*origin.path, *rel)
        line, column = document.position(full)
        return Where(document.file, line, column, format_field(full))

    items: list[tuple[str, Any, Origin]] = []
    if "return" in collected.singletons:
        items.append(("return", *collected.singletons["return"]))
    items += [("returns", raw, origin) for raw, origin in collected.lists["returns"]]
    try:
        for section, raw, origin in items:
            raw = _exact_keys(builder, raw, origin, where)
            entry = sections.validate(section, raw, origin, ReturnEntry.model_validate)
            if isinstance(entry, ReturnEntry):
                _add_return(builder, document, entry, origin, where, default_period)
            else:
                builder.left_out(document.file, "invalid-return", answers=_answer_count(raw), returns=1)
    except ReturnsLimit:
        builder.error(
            where(origin),
            f"more returns than the limit returns ({builder.limits.returns:,}); the rest of the file's returns "
            "are not read",
            expected=how_to_raise("returns"),
        )
        builder.left_out(document.file, "limit")
    if "tallies" in collected.singletons:
        raw, origin = collected.singletons["tallies"]
        raw = _valid_rows(builder, sections, raw, origin)
        tallies = sections.validate("tallies", raw, origin, TalliesEntry.model_validate)
        if isinstance(tallies, TalliesEntry):
            _add_tallies(builder, tallies, partial(where, origin))
        else:
            indicators = raw.get("indicators") if isinstance(raw, dict) else None
            builder.left_out(document.file, "invalid-tallies", len(indicators) if isinstance(indicators, dict) else 0)
    for raw, origin in collected.lists["milestones"]:
        milestone = sections.validate("milestones", raw, origin, MilestoneEntry.model_validate)
        if isinstance(milestone, MilestoneEntry):
            _add_milestone(builder, milestone, partial(where, origin))
        else:
            builder.left_out(document.file, "invalid-milestone", 1)
    for raw, origin in collected.lists["values"]:
        value = sections.validate("values", raw, origin, ValueEntry.model_validate)
        if isinstance(value, ValueEntry):
            _add_value(builder, value, partial(where, origin))
        else:
            builder.left_out(document.file, "invalid-value", 1)
    for raw, origin in collected.lists["lifecycle"]:
        statement = sections.validate("lifecycle", raw, origin, LifecycleEntry.model_validate)
        if isinstance(statement, LifecycleEntry):
            _add_lifecycle(builder, statement, partial(where, origin))
        else:
            builder.left_out(document.file, "invalid-lifecycle", 1)
    if "column_map" in collected.singletons:
        raw, origin = collected.singletons["column_map"]
        _add_column_map(builder, raw, partial(where, origin))


def _valid_rows(builder: EvidenceBuilder, sections: SectionReader, raw: Any, origin: Origin) -> Any:
    """Published tallies with each row (question) checked on its own: a wrong row is reported and taken out,
    so that it never takes the valid rows of the table with it."""
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), dict):
        return raw
    rows = {}
    for question, row in raw["indicators"].items():
        here = Origin(origin.document, (*origin.path, "indicators", question))
        if sections.validate("tally", row, here, TallyEntry.model_validate) is None:
            builder.left_out(origin.document.file, "invalid-tallies", 1)
            continue
        rows[question] = row
    return {**raw, "indicators": rows}


def _answer_count(raw: Any) -> int:
    """How many answers (and free-text entries) a return as written holds, for what was left out."""
    if not isinstance(raw, dict):
        return 0
    count = 0
    for name in ("answers", "other", "comments"):
        section = raw.get(name)
        if isinstance(section, dict):
            for value in section.values():
                count += len(value) if isinstance(value, list) else value is not None
    return count


def _exact_keys(builder: EvidenceBuilder, raw: Any, origin: Origin, where: Callable[[Origin, FieldPath], Where]) -> Any:
    """A return with each question id that has spaces around it reported and taken out.

    Ids are compared exactly as written: ``"1.1 "`` is not ``"1.1"``, and the two must never be merged
    into one answer in silence (the models strip spaces, so this is checked before them).
    """
    if not isinstance(raw, dict):
        return raw
    cleaned = None
    for name in ("answers", "other", "comments"):
        section = raw.get(name)
        if not isinstance(section, dict):
            continue
        for key in list(section):
            if key == key.strip():
                continue
            builder.report(where(origin, (name, key)), rules.spaced_id(key))
            value = section[key]
            builder.left_out(where(origin, ()).file, "unknown-question", len(value) if isinstance(value, list) else 1)
            if cleaned is None:
                cleaned = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
            del cleaned[name][key]
    return raw if cleaned is None else cleaned


def _add_return(
    builder: EvidenceBuilder,
    document: YamlDocument,
    entry: ReturnEntry,
    origin: Origin,
    where: Callable[[Origin, FieldPath], Where],
    default_period: str | None,
) -> None:
    here = where(origin, ("unit",))
    period = entry.period
    if period is None:
        period = builder.file_period(document.file, default_period)
        if period is None:
            builder.error(
                here,
                "this return names no period, and none is given for its file",
                expected="a `period:` in the return, or the file's period in the catalog's `evidence:` manifest",
            )
            builder.left_out(document.file, "no-period", _answers_in(entry), 1)
            return
    elif not builder.stated_period(document.file, period, where(origin, ("period",))):
        builder.left_out(document.file, "period-conflict", _answers_in(entry), 1)
        return
    info = ReturnInfo(entry.unit, period, here.location, entry.completed_by, entry.submitted, entry.supersedes)
    target = builder.start_return(info, here, entry.synthetic)
    if target is None:
        builder.left_out(document.file, None, _answers_in(entry))
        return
    evidence, position = target
    for question, value in entry.answers.items():
        path = (*origin.path, "answers", question)
        if value is None:
            continue
        text = value if isinstance(value, str) else document.raw_scalars.get(path, str(value))
        place = where(origin, ("answers", question))
        builder.answer(evidence, position, question, text.strip(), place.line, place)
    for question, texts in entry.other.items():
        for index, text in enumerate(texts):
            builder.text_entry(
                evidence, entry.unit, question, text, where(origin, ("other", question, index)), comment=False
            )
    for question, text in entry.comments.items():
        builder.text_entry(evidence, entry.unit, question, text, where(origin, ("comments", question)), comment=True)


def _answers_in(entry: ReturnEntry) -> int:
    answers = sum(1 for value in entry.answers.values() if value is not None)
    return answers + sum(len(texts) for texts in entry.other.values()) + len(entry.comments)


def _add_tallies(builder: EvidenceBuilder, entry: TalliesEntry, where: Callable[[FieldPath], Where]) -> None:
    file = where(()).file
    if not builder.period_known(entry.period, where(("period",))):
        builder.left_out(file, "undeclared-period", len(entry.indicators))
        return
    if entry.period in builder.evidence.published:
        first = builder.evidence.published[entry.period].location
        _report(builder, where, (), rules.tallies_twice(entry.period, first))
        builder.left_out(file, "duplicate-tallies", len(entry.indicators))
        return
    builder.contributed(entry.period, file)
    published = PublishedTallies(entry.period, where(()).location, entry.respondents)
    questions = builder.catalog.questions
    for question_id, tally in entry.indicators.items():
        here: FieldPath = ("indicators", question_id)
        question = questions.get(question_id)
        if question is None:
            builder.report(where(here), builder.rules.unanswerable(question_id))
            builder.left_out(file, "unknown-question", 1)
            continue
        counts, printed, findings = rules.check_tally(question, tally)
        errors = 0
        for finding in findings:
            _report(builder, where, here, finding)
            errors += finding.severity is Severity.ERROR
        if errors:
            builder.left_out(file, "tally", errors)
        derived = rules.derived_counts(question, tally, counts)
        published.tallies[question_id] = Tally(
            question_id, where(here).location, tally.base, counts, printed, tally.withheld, derived
        )
    for question_id, entries in entry.others.items():
        if not builder.rules.takes_other_entries(question_id):
            builder.report(where(("others", question_id)), builder.rules.no_other_entries(question_id))
            builder.left_out(file, "no-other-entries", len(entries))
            continue
        for text, other in entries.items():
            published.others.append(
                OtherTally(question_id, text, other.count, other.printed, where(("others", question_id, text)).location)
            )
    builder.evidence.published[entry.period] = published


def _report(builder: EvidenceBuilder, where: Callable[[FieldPath], Where], here: FieldPath, finding: Finding) -> None:
    """Report a rule's finding at its path inside the entry read at ``where``, below ``here``."""
    builder.report(where((*here, *finding.path)), finding)


def _add_lifecycle(builder: EvidenceBuilder, entry: LifecycleEntry, where: Callable[[FieldPath], Where]) -> None:
    file = where(()).file
    if not builder.period_known(entry.period, where(("period",))):
        builder.left_out(file, "undeclared-period", 1)
        return
    problems = builder.rules.lifecycle_statement(entry)
    for problem in problems:
        _report(builder, where, (), problem)
    if any(p.severity is Severity.ERROR for p in problems):
        builder.left_out(file, "invalid-lifecycle", 1)
        return
    builder.contributed(entry.period, file)
    scale = builder.catalog.implementation_scale
    builder.evidence.lifecycle.append(
        LifecycleRecord(
            subject=entry.recommendation or entry.indicator or "",
            milestone=entry.indicator is not None,
            period=entry.period,
            date=entry.date,
            location=where(()).location,
            response=builder.catalog.response_scale.resolve(entry.response) if entry.response else None,
            implementation=scale.resolve(entry.implementation) if entry.implementation else None,
            assessed_by=entry.assessed_by,
            target=entry.target,
            reason=entry.reason,
            superseded_by=entry.superseded_by,
            closed=entry.closed,
            source=entry.source.document if entry.source else None,
            note=entry.note,
        )
    )


def _unit_refused(
    builder: EvidenceBuilder, indicator_id: str, unit: str | None, where: Callable[[FieldPath], Where]
) -> bool:
    """Whether the ``unit:`` of a value or milestone is refused (unknown, or outside the indicator's audience)."""
    if unit is None:
        return False
    indicator = next((i for i in builder.catalog.indicators if i.id == indicator_id), None)
    audience = builder.catalog.audience_of(indicator) if indicator is not None else ()
    wrong = builder.rules.unit_of_kind(unit, audience, indicator_id)
    if wrong is not None:
        _report(builder, where, (), wrong)
    return wrong is not None


def _add_milestone(builder: EvidenceBuilder, entry: MilestoneEntry, where: Callable[[FieldPath], Where]) -> None:
    file = where(()).file
    if not builder.period_known(entry.period, where(("period",))):
        builder.left_out(file, "undeclared-period", 1)
        return
    status = builder.rules.milestone_status(entry.indicator, entry.status)
    if isinstance(status, Finding):
        _report(builder, where, (), status)
        builder.left_out(file, "unknown-status", 1)
        return
    if _unit_refused(builder, entry.indicator, entry.unit, where):
        builder.left_out(file, "unit-outside-audience", 1)
        return
    builder.contributed(entry.period, file)
    builder.evidence.milestones.append(
        MilestoneRecord(
            entry.indicator,
            entry.period,
            status,
            where(()).location,
            entry.date,
            entry.source.document if entry.source else None,
            entry.note,
            entry.unit,
        )
    )


def _add_value(builder: EvidenceBuilder, entry: ValueEntry, where: Callable[[FieldPath], Where]) -> None:
    file = where(()).file
    if not builder.period_known(entry.period, where(("period",))):
        builder.left_out(file, "undeclared-period", 1)
        return
    wrong = builder.rules.numeric_indicator(entry.indicator)
    if wrong is not None:
        _report(builder, where, (), wrong)
        builder.left_out(file, "not-numeric", 1)
        return
    if _unit_refused(builder, entry.indicator, entry.unit, where):
        builder.left_out(file, "unit-outside-audience", 1)
        return
    builder.contributed(entry.period, file)
    builder.evidence.values.append(
        ValueRecord(
            entry.indicator,
            entry.period,
            entry.value,
            where(()).location,
            entry.date,
            entry.source.document if entry.source else None,
            entry.note,
            entry.unit,
        )
    )


def _add_column_map(builder: EvidenceBuilder, raw: Any, where: Callable[[FieldPath], Where]) -> None:
    if not isinstance(raw, dict):
        _report(builder, where, (), rules.not_a_column_map())
        return
    for header, question in raw.items():
        wrong = builder.rules.column_map_entry(builder.column_map, header, question)
        if wrong is not None:
            _report(builder, where, (), wrong)
            continue
        builder.column_map[normalise_label(header)] = str(question)
