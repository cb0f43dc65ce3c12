"""CSV exports of the dashboard's tables, small counts suppressed (tables.export_cell)."""

from __future__ import annotations

from ..safe_csv import csv_text
from .tables import Table, export_cell


def table_csv(table: Table) -> str:
    """
    The table as CSV (comma, header first); counts from 1 to 4 written "<5".

    Cells hold what newcomers typed (unanswered questions): `safe_csv` keeps a formula among
    them from running in the spreadsheet that opens the export.
    """
    return csv_text(table.columns, ([export_cell(cell) for cell in row] for row in table.rows))
