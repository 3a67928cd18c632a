"""The workbook written with openpyxl from the sheets: cells, fonts, widths, and the same bytes for the same input."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from recotrack.reporters import ReportContext
from recotrack.reporters.excluded import excluded_files, excluded_headline
from recotrack.reporters.synthetic import synthetic_headline, synthetic_lines
from recotrack.reporters.xlsx.sheets import Cell, Number, Sheet, method_lines, sheets

__all__ = ["workbook_bytes"]

_DATE = "d mmmm yyyy"
_DATETIME = "yyyy-mm-dd hh:mm:ss"
_MAX_WIDTH = 60
_MAX_TEXT = 32767
"""The most characters a spreadsheet cell holds."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters that XML (and so XLSX) cannot carry."""
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
"""The earliest date a zip entry can carry."""
_BASES = {"returns": "from per-unit returns", "tallies": "from published tallies"}
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")


def workbook_bytes(context: ReportContext) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    tables = sheets(context)
    _readme(workbook.create_sheet("README"), context, tables)
    for sheet in tables:
        _table(workbook.create_sheet(sheet.name), sheet)
    generated = context.provenance.generated
    when = (generated if generated.tzinfo else generated.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    properties = workbook.properties
    properties.creator = f"{context.provenance.generator} {context.provenance.version}"
    properties.title = _text(context.review.title)
    properties.created = properties.modified = when.replace(tzinfo=None)
    return _save(workbook, when)


def _save(workbook: Workbook, when: dt.datetime) -> bytes:
    """The workbook's bytes, the same for the same workbook: zip entries dated ``when``, not now."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not Workbook.save(), which stamps 'modified' with the clock
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def _text(value: str) -> str:
    text = _ILLEGAL.sub("\ufffd", value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _put(sheet: Worksheet, row: int, column: int, value: Cell, number_format: str | None = None) -> None:
    """Write one cell: text always as a string (never a formula), numbers as numbers with their format."""
    if value is None:
        return
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # a string even when it starts with '=': never run as a formula
        return
    if isinstance(value, Number):
        cell.value = value.value
        cell.number_format = value.format
    elif isinstance(value, dt.datetime):
        cell.value = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        cell.number_format = _DATETIME
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = _DATE
    else:
        cell.value = value
        if number_format is not None and not isinstance(value, bool):
            cell.number_format = number_format


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max(map(len, value.splitlines()), default=0)
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 17
    return 10


def _table(sheet: Worksheet, table: Sheet) -> None:
    row = 1
    for label, text in table.notices:
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, text)
        for place in (1, 2):
            sheet.cell(row=row, column=place).font = Font(bold=True, color="9C0006")
        row += 1
    for label, value in table.above:
        _put(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        _put(sheet, row, 2, value)
        row += 1
    if table.above or table.notices:
        row += 1
    header = row
    for index, column in enumerate(table.columns, 1):
        _put(sheet, header, index, column.header)
        cell = sheet.cell(row=header, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for offset, cells in enumerate(table.rows):
        for index, (value, column) in enumerate(zip(cells, table.columns, strict=True), 1):
            _put(sheet, header + 1 + offset, index, value, column.format)
            if offset in table.bold_rows:
                sheet.cell(row=header + 1 + offset, column=index).font = Font(bold=True)
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.auto_filter.ref = f"A{header}:{last}{header + max(1, len(table.rows))}"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToHeight = 0
    for index, column in enumerate(table.columns, 1):
        widest = max((_width(cells[index - 1]) for cells in table.rows), default=0)
        if index <= 2:
            widest = max(widest, *(_width(pair[index - 1]) for pair in table.above), 0) if table.above else widest
        fitted = column.width or min(_MAX_WIDTH, max(8, len(column.header) + 2, widest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = fitted


def _readme(sheet: Worksheet, context: ReportContext, tables: Sequence[Sheet]) -> None:
    results, review = context.results, context.review
    lines: list[tuple[str | None, Cell, bool]] = [
        (review.title, None, True),
        (f"{review.publisher}, {review.published}", None, False),
        (None, None, False),
    ]
    period = results.period + (f" ({_BASES[results.basis]})" if results.basis else "")
    lines.append(("Period", period, False))
    comparison = results.comparison
    if comparison is not None:
        baseline = comparison.baseline + (
            f" ({_BASES[comparison.baseline_basis]})" if comparison.baseline_basis else ""
        )
        if comparison.both_years_only:
            baseline += f", only the {comparison.units_in_both} units that responded in both"
        lines.append(("Compared with", baseline, False))
    lines.append(("Response", results.response.statement, False))
    if results.synthetic is not None:
        lines += [(None, None, False), ("Synthetic evidence", synthetic_headline(results.synthetic), True)]
        lines += [("", line, False) for line in synthetic_lines(results.synthetic)]
    if results.excluded is not None:
        lines += [(None, None, False), ("Left out", excluded_headline(results.excluded), True)]
        lines += [("", line, False) for line in excluded_files(results.excluded)]
    lines += [(None, None, False), ("Sheets", None, True)]
    lines += [(table.name, table.description, False) for table in tables]
    lines += [(None, None, False), ("Method", None, True)]
    lines += [(label, text, False) for label, text in method_lines(results)]
    lines += [(None, None, False), ("Sources", None, True)]
    for document in review.documents:
        where = document.url or document.file
        text = document.title + (f", {document.published}" if document.published else "")
        lines.append((document.id, text + (f" ({where})" if where else ""), False))
    if not review.documents:
        lines.append(("", "the catalog names no source documents", False))
    for row, (label, value, bold) in enumerate(lines, 1):
        if label is not None:
            _put(sheet, row, 1, label)
        _put(sheet, row, 2, value)
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=1).alignment = Alignment(vertical="top")
        if bold:
            sheet.cell(row=row, column=1).font = Font(bold=True, size=14 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    sheet.print_title_rows = "1:1"
