"""The HTML reporter: one self-contained page to share, with inline CSS and HTML charts.

The page needs no JavaScript, makes no network requests and loads no fonts: everything is in the one
file. It is built for people who did not run the tool: a header saying what was reviewed and when,
who responded, the recommendations by level with their status, every question's answers as a chart
and as a table like the published report's ("16 (24%)"), what changed since the compared period,
milestones and numbers, data-quality flags, a short account of the method and the provenance of
every figure.

Every name and text from the inputs reaches the page through Jinja2's autoescaping (no ``|safe``
on input text), so markup in a catalog or a unit's name shows as text. The view built here holds
plain strings and numbers; chart geometry is worked out in Python, so the template only places it.
The same context always gives the same bytes: the page's date is the provenance's generation time
(which honours ``SOURCE_DATE_EPOCH``), never the clock.

The package has one module per section of the page (:mod:`.header`, :mod:`.recommendations`,
:mod:`.questions`, :mod:`.breakdowns`, :mod:`.comparison`, :mod:`.milestones`, :mod:`.flags`, :mod:`.method`,
:mod:`.provenance`), chart geometry in :mod:`.charts`, colours and contrast in :mod:`.palette`, and
every printed figure from :mod:`recotrack.display`. The page's markup is ``templates/report.html.j2``, its CSS
``templates/report.css``, included inline.
"""

from __future__ import annotations

from functools import cache

import jinja2

from recotrack.errors import without_bidi_controls
from recotrack.hookspecs import hookimpl
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters.excluded import excluded_view
from recotrack.reporters.html._base import BandView, Report, band_views, trend_view
from recotrack.reporters.html.breakdowns import breakdown_kinds
from recotrack.reporters.html.comparison import comparison
from recotrack.reporters.html.flags import flag_counts, flags
from recotrack.reporters.html.header import glance, header, response
from recotrack.reporters.html.history import history, questionnaire_changes
from recotrack.reporters.html.method import method
from recotrack.reporters.html.milestones import milestones, numeric
from recotrack.reporters.html.palette import PAGE, ink_on, option_colour
from recotrack.reporters.html.profile import IndexRow, index_view, profile_view
from recotrack.reporters.html.provenance import provenance
from recotrack.reporters.html.questions import question_groups
from recotrack.reporters.html.recommendations import levels
from recotrack.reporters.synthetic import synthetic_view

__all__ = [
    "TEMPLATE",
    "BandView",
    "band_views",
    "environment",
    "ink_on",
    "option_colour",
    "recotrack_register_reporters",
    "render",
    "render_index",
    "render_profile",
    "report_view",
    "trend_view",
]

TEMPLATE = "report.html.j2"
PROFILE_TEMPLATE = "profile.html.j2"
INDEX_TEMPLATE = "index.html.j2"


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment: templates from this package, HTML autoescaping, no silent blanks."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("recotrack.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )


def _visible(value: object) -> object:
    """Every value the template prints, with bidi overrides written out (``\\u202e``), so none can reorder the page."""
    return without_bidi_controls(value) if isinstance(value, str) else value


def notices(context: ReportContext) -> dict[str, object]:
    """What every page says before any figure: the invented evidence it rests on, the evidence it left out."""
    return {"synthetic": synthetic_view(context.results), "excluded": excluded_view(context.results)}


def report_view(context: ReportContext) -> dict[str, object]:
    """What the template receives (plain strings and numbers), for tests and other templates.

    The sections are built in page order, so that element ids are numbered in document order.
    """
    report = Report(context)
    flag_rows = flags(report)
    return {
        "header": header(report),
        **notices(context),
        "response": response(report),
        "glance": glance(report),
        "levels": levels(report),
        "comparison": comparison(report),
        "questionnaire_changes": questionnaire_changes(report),
        "groups": question_groups(report),
        "breakdowns": breakdown_kinds(report),
        "milestones": milestones(report),
        "numeric": numeric(report),
        "flags": flag_rows,
        "flag_counts": flag_counts(flag_rows),
        "history": history(report),
        "method": method(report),
        "provenance": provenance(report),
        "bands": tuple(report.bands.values()),
        "palette": tuple(PAGE.items()),
    }


def render(context: ReportContext) -> str:
    if context.profile is not None:
        return render_profile(context)
    return environment().get_template(TEMPLATE).render(report_view(context))


def render_profile(context: ReportContext) -> str:
    """A unit's profile page; ``options["index"]`` is the address of the index page to link back to."""
    assert context.profile is not None
    report = Report(context)
    view = profile_view(report, context.profile, context.options.get("index"))
    return (
        environment()
        .get_template(PROFILE_TEMPLATE)
        .render({**view, **notices(context), "palette": tuple(PAGE.items())})
    )


def render_index(context: ReportContext, rows: list[IndexRow]) -> str:
    """The index of every profile written by ``report --units ... -o DIR``."""
    report = Report(context)
    view = index_view(rows, context.review.title, context.results.period, {})
    return (
        environment()
        .get_template(INDEX_TEMPLATE)
        .render(
            {
                **view,
                **notices(context),
                "provenance": provenance(report),
                "bands": tuple(report.bands.values()),
                "palette": tuple(PAGE.items()),
            }
        )
    )


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [
        Reporter(
            "html",
            "a self-contained web page to share: charts, tables, comparison, method (no scripts, no network)",
            render,
            "html",
            "text/html",
        )
    ]
