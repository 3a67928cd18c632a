"""The bundled example holds the whole 2018 review and every question of the 2019 report.

The expected list below is transcribed from the tables of the published report (October 2020,
'Findings from a questionnaire to health and wellbeing boards on local actions'), independently of
the example's own files.
"""

from __future__ import annotations

import pytest

import recotrack
from conftest import EXAMPLE
from recotrack import MilestoneIndicator, NumericIndicator, RecommendationKind, ScaleIndicator, slugify

F, YN, EPR = "frequency", "yes-no", "epr"
PARTNERS = [
    "Specialist children and young people's mental health services",
    "Local authorities",
    "Educational organisations",
    "Youth Offending Teams",
    "Justice system probation organisations",
    "Adult mental health services",
    "Primary healthcare services",
    "Acute secondary (physical) healthcare services, including emergency departments",
    "Clinical commissioning groups (CCGs)",
    "Sustainability and transformation partnerships (STPs)",
    "Third sector/charities",
    "Experts by experience - children, young people, their carers and families",
]
GRIDS = {
    "0.2a": PARTNERS,
    "0.2b": PARTNERS,
    "1.8": [
        "NHS commissioners",
        "Specialised commissioning",
        "NHS MH providers",
        "Voluntary/third sector",
        "Children's services (LA)",
        "Adult mental health services",
        "Adult MH services (LA)",
        "Acute physical services",
        "The Police",
        "Health and justice commissioners",
        "Primary care",
        "Schools, FE colleges",
    ],
    "2.1": ["Agreed", "Clear to understand", "Comprehensive", "Published"],
    "5.2": ["Joint meetings", "Locating teams in the same building", "Having a single point of contact"],
    "6.2": [
        "Planning and decision making around care and treatment",
        "Design of service",
        "Staff recruitment",
        "Developing corporate strategy",
        "Service audit and Quality Improvement projects",
        "Design of complaints and feedback processes",
    ],
    "6.3": [
        "Black and minority ethnic communities",
        "Lesbian, gay, bisexual and transgender children and young people",
        "Looked after children and care leavers",
        "Children with neurodevelopmental disorders or a learning disability",
    ],
}
PUBLISHED = {
    "0.1": YN,
    "0.2a": YN,
    "0.2b": YN,
    "1.1": F,
    "1.2": F,
    "1.3": F,
    "1.4": F,
    "1.5": F,
    "1.6": F,
    "1.7": F,
    "1.8": YN,
    "1.9": YN,
    "1.10": F,
    "1.11": F,
    "1.12": F,
    "2.1": YN,
    "2.2": F,
    "2.3": F,
    "2.3a": YN,
    "2.3b": YN,
    "2.4": F,
    "2.5": F,
    "2.6": F,
    "2.7": F,
    "2.8": F,
    "3.1": F,
    "3.2": F,
    "3.3": F,
    "3.4": F,
    "4.1": F,
    "4.2": F,
    "4.3": F,
    "5.1": F,
    "5.2": YN,
    "5.3": F,
    "5.4": EPR,
    "5.5": F,
    "5.6a": F,
    "5.6b": F,
    "5.7": F,
    "6.1.2": F,
    "6.1.3": F,
    "6.1.4": F,
    "6.2": F,
    "6.3": F,
    "7.1": F,
    "7.2": F,
    "7.3": F,
    "7.4": F,
    "8.1": F,
    "8.2": F,
    "8.3a": F,
    "8.3b": F,
    "8.3c": F,
    "8.4": F,
    "9.1": F,
    "9.2": F,
    "9.3": F,
    "9.4": F,
    "9.5": F,
    "9.6a": F,
    "9.6b": F,
    "9.6c": F,
    "9.6d": F,
}


@pytest.fixture(scope="module")
def catalog() -> recotrack.Catalog:
    return recotrack.load(EXAMPLE).catalog


def test_every_published_question_is_there_on_its_scale(catalog: recotrack.Catalog) -> None:
    questionnaire = {i.id: i for i in catalog.indicators if isinstance(i, ScaleIndicator) and i.asked_in("2019")}
    assert set(questionnaire) == set(PUBLISHED)
    for question_id, scale in PUBLISHED.items():
        assert questionnaire[question_id].scale == scale, question_id


def test_every_grid_item_is_there_with_its_printed_id(catalog: recotrack.Catalog) -> None:
    expected = {f"{q}/{slugify(label)}" for q, labels in GRIDS.items() for label in labels}
    expected |= {q for q in PUBLISHED if q not in GRIDS}
    assert set(catalog.questions_in("2019")) == expected
    assert len(catalog.questions_in("2019")) == 110
    for question_id, labels in GRIDS.items():
        indicator = catalog.indicator(question_id)
        assert isinstance(indicator, ScaleIndicator)
        assert [item.label for item in indicator.items] == labels


def test_identifiers_fixed_by_the_brief(catalog: recotrack.Catalog) -> None:
    for identifier in ("1.8/nhs-commissioners", "6.2/design-of-service", "0.2a/local-authorities", "6.1.2"):
        assert identifier in catalog.questions


def test_conditions_and_withdrawals(catalog: recotrack.Catalog) -> None:
    def scale_indicator(question_id: str) -> ScaleIndicator:
        indicator = catalog.indicator(question_id)
        assert isinstance(indicator, ScaleIndicator)
        return indicator

    for question_id, parent in (("1.3", "1.2"), ("2.3a", "2.3"), ("2.3b", "2.3")):
        condition = scale_indicator(question_id).applies_when
        assert condition is not None
        assert condition.indicator == parent
        assert set(condition.in_) == {"always", "sometimes"}
    for question_id in ("2.2", "2.7"):
        reason = scale_indicator(question_id).withdrawn
        assert reason is not None
        assert "duplicated" in reason
    withdrawn = {i.id for i in catalog.indicators if i.withdrawn}
    assert withdrawn == {"2.2", "2.7"}
    assert scale_indicator("0.2a").other is not None


def test_the_2018_recommendations_are_all_there(catalog: recotrack.Catalog) -> None:
    assert [level.id for level in catalog.levels] == ["national", "regional", "local"]
    by_level = {
        level.id: [r.id for r in catalog.recommendations if r.level == level.id and r.kind == "recommendation"]
        for level in catalog.levels
    }
    assert by_level["national"] == ["N1", "N2", "N3", "N4"]
    assert by_level["regional"] == ["R1"]
    assert set(by_level["local"]) == {"L1", "L2", "L3", *(f"L1.{n}" for n in range(1, 10))}
    assert [r.id for r in catalog.children("L1")] == [f"L1.{n}" for n in range(1, 10)]
    commitments = [r.id for r in catalog.recommendations if r.kind is RecommendationKind.COMMITMENT]
    assert commitments == ["C1", "C2", "C3"]
    joint = catalog.recommendation("L1.1")
    assert joint.text.startswith("Commissioners and service planners across health, social care, education")
    assert "Local Healthwatch can also support this process" in joint.text
    assert "19,000 new staff" in catalog.recommendation("L1.9").text


def test_every_theme_and_section_measures_its_recommendation(catalog: recotrack.Catalog) -> None:
    for section in range(1, 10):
        indicators = [i for i in catalog.indicators if i.id.startswith(f"{section}.")]
        assert indicators
        assert all(f"L1.{section}" in i.measures for i in indicators), section


def test_commitments_have_milestones_and_targets_are_numeric(catalog: recotrack.Catalog) -> None:
    milestones = [i for i in catalog.indicators if isinstance(i, MilestoneIndicator)]
    assert {m for i in milestones for m in i.measures} >= {"C1", "C2", "C3"}
    staff = [i for i in catalog.indicators if isinstance(i, NumericIndicator) and i.target and i.target.value == 19000]
    assert len(staff) == 1
    assert staff[0].unit


def test_invited_population(catalog: recotrack.Catalog) -> None:
    units = recotrack.load(EXAMPLE).units
    assert len(units.invited_in("2019")) == 152
    regions = {u.id for u in units.units if u.kind == "region"}
    assert len(regions) == 9
    assert all(units.by_id[b].parent in regions for b in units.invited_in("2019"))
