"""CSV exports of the dashboard's tables, small counts suppressed (tables.export_cell)."""

from __future__ import annotations

import csv
import io

from .tables import Table, export_cell


def table_csv(table: Table) -> str:
    """The table as CSV (comma, header first); counts from 1 to 4 written "<5"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([export_cell(cell) for cell in row])
    return out.getvalue()
