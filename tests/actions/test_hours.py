"""Opening hours in OSM syntax, read and said in plain French (actions/hours.py)."""

from actions import hours
from actions.follow_up_texts import week_text


def said(value: str) -> str:
    week = hours.parse(value)
    assert week is not None, value
    return week_text(week)


def test_weekdays_with_one_range():
    assert said("Mo-Fr 07:30-18:30") == "du lundi au vendredi, de 7 h 30 à 18 h 30"


def test_listed_days_with_a_lunch_break():
    assert said("Mo,We 09:00-12:00,14:00-17:00") == (
        "le lundi et le mercredi, de 9 h à 12 h et de 14 h à 17 h")


def test_public_holidays_off_is_said():
    assert said("Mo-Fr 08:00-18:00; PH off") == (
        "du lundi au vendredi, de 8 h à 18 h ; fermé les jours fériés")


def test_always_open():
    assert said("24/7") == "tous les jours, 24 h sur 24"


def test_a_later_rule_replaces_the_days_it_names():
    assert said("Mo-Sa 09:00-18:00; Sa 09:00-12:00; We off") == (
        "le lundi, le mardi, le jeudi et le vendredi, de 9 h à 18 h ; le samedi, de 9 h à 12 h")


def test_open_at_a_given_time():
    week = hours.parse("Mo-Fr 07:30-18:30")
    assert hours.is_open_at(week, 2, 8 * 60)
    assert not hours.is_open_at(week, 2, 19 * 60)
    assert not hours.is_open_at(week, 6, 10 * 60)


def test_forms_not_covered_are_not_guessed():
    for value in ("Jan-Jun Mo-Fr 09:00-12:00", "Mo-Fr 09:00+", "sunrise-sunset",
                  "Mo-Fr 09:00-12:00 || \"sur rendez-vous\"", "Mo 25:00-26:00", ""):
        assert hours.parse(value) is None, value
