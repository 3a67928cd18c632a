"""The XLSX reporter: the results as a workbook, one sheet per section of the report.

Sheets: README (what the workbook holds, the method from ``results.method``, the sources),
Response (with each region), Recommendations (levels, themes, recommendations), Milestones and
numbers, Questions (every question's table as published: count, exact percent, printed percent and
the published text "16 (24%)"), Comparison (when compared), Flags and Provenance. Each table has a
frozen, repeated-on-print header row, an autofilter, number formats and fitted column widths.

Figures are numbers in cells; their number format shows them as the report prints them (a score
printed 0.7496 gets four decimals). Text from the inputs is always a string cell, never a formula
(see ``_spreadsheet``). Same input, same bytes: the document properties take the provenance's
generation time (which honours ``SOURCE_DATE_EPOCH``) and so do the dates of the zip entries.

This module only registers the reporter: openpyxl is imported when a workbook is written, so that
every other report starts without it. The sheets are plain data (:mod:`.sheets`); the workbook is
written from them by :mod:`._workbook`.
"""

from __future__ import annotations

from recotrack.hookspecs import hookimpl
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters.xlsx.sheets import Column, Number, Sheet, sheets

__all__ = ["MEDIA_TYPE", "Column", "Number", "Sheet", "render", "sheets"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(context: ReportContext) -> bytes:
    from recotrack.reporters.xlsx._workbook import workbook_bytes

    return workbook_bytes(context)


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [
        Reporter(
            "xlsx",
            "a workbook with one sheet per section, figures as numbers (Excel, LibreOffice)",
            render,
            "xlsx",
            MEDIA_TYPE,
        )
    ]
