"""Tables in and out: reading an uploaded xlsx or CSV file into rows of strings, and writing xlsx and CSV
exports. Every writer neutralises formula-like text (OWASP's CSV-injection guidance), because anything users
type — a report summary, a narrative, a staff name — may end up in an export that someone opens in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A cell that starts with one of these is read by spreadsheet programs as a formula (or a DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- reading ----------------------------------------------------------------------------------------


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ValidationError(_("无法读取xlsx文件：%(e)s") % {"e": exc.__class__.__name__}) from exc
    rows: list[list[str]] = []
    # Read-only workbooks parse the sheet lazily, row by row: a bad cell (a number cell holding "abc", a date
    # cell holding "notadate") or truncated XML fails here, while iterating, so it is caught here too.
    while True:
        try:
            row = next(rows_iter)
        except StopIteration:
            break
        except Exception as exc:
            raise ValidationError(
                _("无法读取xlsx文件第%(n)d行（单元格内容与类型不符或文件已损坏）。") % {"n": len(rows) + 1}
            ) from exc
        rows.append(["" if v is None else str(v) for v in row])
    workbook.close()
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("CSV文件编码无法识别，请使用UTF-8。")) from exc
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KiB limit, a stray NUL
        raise ValidationError(_("无法读取CSV文件：%(e)s") % {"e": exc}) from exc


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """Read an uploaded CSV or xlsx file into rows of strings; a file that cannot be read is a ValidationError
    (naming the row where it can), never a server error."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".csv"):
        return _csv_rows(content)
    raise ValidationError(_("只支持 .xlsx 或 .csv 文件。"))


# --- writing ----------------------------------------------------------------------------------------


def xlsx_append(sheet, row: Sequence) -> None:
    """Append a row to an openpyxl sheet with every text cell written as text: openpyxl stores a string that
    starts with "=" as a live formula, so such cells are turned back into plain strings."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def new_workbook(title: str):
    """An empty workbook whose first sheet has the title (Excel allows 31 characters)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = title[:31]
    return workbook


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: Iterable[Sequence], *, title: str, text_columns: Iterable[str] = ()) -> bytes:
    """One sheet of rows as xlsx; `text_columns` (letters) are formatted as text, so that spreadsheet programs
    keep 18-digit IDs and leading zeros as typed."""
    workbook = new_workbook(title)
    sheet = workbook.active
    for row in rows:
        xlsx_append(sheet, row)
    for column in text_columns:
        for cell in sheet[column]:
            cell.number_format = "@"
    return workbook_bytes(workbook)


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """Rows as UTF-8 CSV with a byte-order mark (so Excel reads the Chinese), formula-like text neutralised."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
