"""
Exports: the agents' CSV template (data·inclusion v1 is in data_inclusion.py).

The CSV has the template's columns, so an export can be edited and imported back.
"""

from .entries import Service
from .importers.template import TEMPLATE_COLUMNS
from .safe_csv import csv_text


def to_csv(services: list[Service]) -> str:
    """
    The entries as the agents' CSV template (lists joined by commas), header first.

    Written by `safe_csv`: a text cell a spreadsheet would read as a formula gets a quote,
    which the template importer takes off again.
    """
    rows = []
    for service in services:
        data = service.to_dict()
        row = []
        for column in TEMPLATE_COLUMNS:
            value = data.get(column)
            row.append(", ".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return csv_text(TEMPLATE_COLUMNS, rows)

