"""
Opening hours in OpenStreetMap syntax, read for the common forms agents write.

Covered: "24/7"; rules separated by ";" of weekdays (Mo-Fr, Mo,We,Fr, Sa) and time ranges
(07:30-18:30, 09:00-12:00,14:00-17:00), a later rule replacing the days it names (OSM's
rule); "<days> off"/"closed"; "PH off" (closed on public holidays, said as such). Not covered,
so `parse` gives None and the answer shows the text as written: months and dates (Jan-Jun,
Dec 25), week numbers, sunrise/sunset, "+" open ends, comments, "||" fallback rules, school
holidays (SH), ranges past midnight. Nothing here is French: follow_up_texts.py says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # index = datetime.weekday()
Range = tuple[int, int]  # minutes since midnight, start < end (end may be 24 * 60)

_TIME = r"(\d{1,2}):(\d{2})"
_RANGE = re.compile(rf"^{_TIME}-{_TIME}$")
_DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


@dataclass(frozen=True)
class Week:
    """Each weekday's opening ranges (empty: closed), and whether public holidays are off."""

    days: tuple[tuple[Range, ...], ...]
    holidays_off: bool = False
    always_open: bool = False

    def on(self, weekday: int) -> tuple[Range, ...]:
        return self.days[weekday]


@dataclass
class _Building:
    days: list[tuple[Range, ...]] = field(default_factory=lambda: [()] * 7)
    holidays_off: bool = False


def parse(text: Optional[str]) -> Optional[Week]:
    """The week an opening_hours value describes, or None when it is empty or not covered."""
    if not text or not text.strip():
        return None
    value = text.strip()
    if value == "24/7":
        return Week(days=tuple(((0, 24 * 60),) for _ in DAYS), always_open=True)
    week = _Building()
    for rule in (part.strip() for part in value.split(";")):
        if rule and not _apply(rule, week):
            return None
    return Week(days=tuple(week.days), holidays_off=week.holidays_off)


def _apply(rule: str, week: _Building) -> bool:
    """Apply one rule to the week; False when its form is not covered."""
    selector, _, times = rule.partition(" ")
    times = times.strip()
    if selector == "PH":
        if times in ("off", "closed"):
            week.holidays_off = True
            return True
        return False
    days = _days(selector)
    if days is None:  # no weekday: a bare time range applies to every day
        days, times = list(range(7)), rule
    if times in ("off", "closed"):
        ranges: Optional[tuple[Range, ...]] = ()
    else:
        ranges = _ranges(times)
    if ranges is None:
        return False
    for day in days:
        week.days[day] = ranges
    return True


def _days(selector: str) -> Optional[list[int]]:
    days: list[int] = []
    for part in selector.split(","):
        found = _DAY_PART.match(part)
        if not found:
            return None
        first = DAYS.index(found.group(1))
        last = DAYS.index(found.group(2) or found.group(1))
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        days += [d for d in span if d not in days]
    return days


def _ranges(times: str) -> Optional[tuple[Range, ...]]:
    ranges = []
    for part in times.replace(" ", "").split(","):
        found = _RANGE.match(part)
        if not found:
            return None
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < end <= 24 * 60 and m1 < 60 and m2 < 60):
            return None
        ranges.append((start, end))
    return tuple(sorted(ranges))


def is_open_at(week: Week, weekday: int, minute: int) -> bool:
    """Whether the week is open on that weekday at that minute (public holidays aside)."""
    return any(start <= minute < end for start, end in week.on(weekday))
