"""
The shape every dashboard figure takes: a table of cells, shown on the page and exported as CSV.

Counts and rates stay numbers until shown, so each output formats them its own way: the
back-office shows them exactly; exports suppress small counts (`export_cell`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# Below this, a count leaves the back-office as "<5" (small villages re-identify people).
SMALL = 5


@dataclass(frozen=True)
class Count:
    n: int


@dataclass(frozen=True)
class Rate:
    """part / whole, shown as a percentage."""

    part: int
    whole: int


Cell = Union[str, Count, Rate]


@dataclass
class Table:
    """One table of the dashboard; `name` is its export's file name."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""


def percent(rate: Rate) -> str:
    """12.5 % in French ("12,5 %"); a dash when there is nothing to divide."""
    if rate.whole == 0:
        return "—"
    return f"{100 * rate.part / rate.whole:.1f}".replace(".", ",") + " %"


def page_cell(cell: Cell) -> str:
    """A cell as the back-office shows it: exact."""
    if isinstance(cell, Count):
        return str(cell.n)
    if isinstance(cell, Rate):
        return percent(cell)
    return cell


def export_cell(cell: Cell) -> str:
    """
    A cell as it leaves the back-office: counts from 1 to 4 become "<5".

    A rate whose part is such a count is not published either ("<5" too): the rate and its
    base would give the count back. Zero stays zero: it designates nobody.
    """
    if isinstance(cell, Count):
        return "<5" if 0 < cell.n < SMALL else str(cell.n)
    if isinstance(cell, Rate):
        return "<5" if 0 < cell.part < SMALL else percent(cell)
    return cell
