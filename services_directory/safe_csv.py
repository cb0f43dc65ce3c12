"""
The one CSV writer of every download, safe to open in a spreadsheet (CSV injection).

A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula: a visitor's chat
message `=HYPERLINK("http://evil.example","Cliquez ici")` would become a live link in the
GIP's spreadsheet, and DDE formulas can run programs. So, following OWASP's rule, every text
cell that would start with a formula character gets a single quote in front of it, which
spreadsheets show as text. Beyond OWASP's first-character rule:

- the full-width and small forms (`＝＋－＠`, `﹦﹢﹣﹫`), which some spreadsheets fold;
- whitespace and double quotes before the character are looked through (`" =1+1"`, a tab
  then `=`): the quote goes right before the formula character; a lone leading tab or line
  break is harmless and kept as is;
- Excel in French splits a comma file on `;`, honours quotes only at a cell's very start, and
  ends a record at any line break, so a `;` or a line break inside a text starts a new cell:
  a formula character there gets its quote too (`"Crèche;=1+1"` -> `"Crèche;'=1+1"`).

Numbers we write as numbers (coordinates, counts) stay as they are: they are not text a
visitor typed, and `-1.5` is a number to a spreadsheet, not a formula. Text that looks like a
number (`+33 4 71 …`, `-1`) is text and gets its quote, as OWASP says.

The quote is reversible: `restore` removes exactly the quotes `neutralise` added (a text
that already had quotes there gets one more on the way out), so the agents' template export
imports back unchanged (`importers/template.py`). NUL characters, which no spreadsheet
holds and the csv module cannot write, are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Union

Cell = Union[str, int, float, None]

FORMULA_CHARACTERS = "=+-@＝＋－＠﹦﹢﹣﹫"
# Where a spreadsheet may begin a cell, then what it may skip before reading a formula.
_CELL_START = r"((?:^|[;\r\n])[\s\"]*)"
_FORMULA_AHEAD = rf"(?='*[{re.escape(FORMULA_CHARACTERS)}])"
_UNSAFE = re.compile(_CELL_START + _FORMULA_AHEAD)
_ADDED_QUOTE = re.compile(_CELL_START + "'" + _FORMULA_AHEAD)


def neutralise(text: str) -> str:
    """The text with a single quote before every formula character that may start a cell."""
    return _UNSAFE.sub(r"\1'", text)


def restore(text: str) -> str:
    """The text `neutralise` was given: one quote fewer where it added one."""
    return _ADDED_QUOTE.sub(r"\1", text)


def safe_cell(value: Cell) -> str | int | float:
    """A cell ready for the CSV writer: numbers as they are, text neutralised, None empty."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # The csv module cannot write NUL (a chat message may hold one): it would fail the export.
    return neutralise(str(value).replace("\x00", ""))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV file: comma-separated, header first, one line per row, every cell safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
