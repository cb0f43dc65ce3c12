"""
Every figure of the dashboard, computed from masked conversations (conversations.py).

Definitions (docs/analytics.md): a conversation counts on the day of its first message in the
period; it is engaged with two messages from the newcomer or more; a failed turn is a message
answered by the fallback or as out of scope; the hand-off rate is the share of conversations
that were given the welcome contact; a lead is a call-back request sent with consent; an unmet
need is a look-up that found nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..vocabulary import KIND_LABELS, TOPICS
from .conversations import Conversation, Lookup
from .tables import Count, Rate, Table

PARIS = ZoneInfo("Europe/Paris")


def day_of(at: float) -> date:
    """The day (in France) of an epoch time."""
    return datetime.fromtimestamp(at, PARIS).date()


def topic_label(code: str | None) -> str:
    return TOPICS.get(code or "", code or "non précisé")


def kind_label(code: str | None) -> str:
    return KIND_LABELS.get(code or "", code or "tous types")


def dashboard(
    found: list[Conversation], days: list[date], territory_names: Mapping[str, str],
    compare: bool,
) -> list[Table]:  # fmt: skip
    """
    The dashboard's tables, in the order the page shows them.

    Args:
        found: the conversations of the period and territories chosen (already masked).
        days: every day of the period, in order (days without conversations show zeros).
        territory_names: slug -> name, for display.
        compare: add the comparison between territories (GIP administrators).
    """
    name = _namer(territory_names)
    lookups = [lookup for c in found for lookup in c.lookups]
    tables = [
        summary(found),
        daily(found, days),
        topics_daily(lookups, days),
        topics(lookups),
        kinds(lookups),
        communes(lookups),
        unmet(found, name),
        unanswered(found, name),
    ]
    if compare:
        tables.append(territories(found, name))
    return tables


def _namer(names: Mapping[str, str]) -> Callable[[str | None], str]:
    return lambda slug: names.get(slug or "", slug or "sans territoire")


def summary(found: list[Conversation]) -> Table:
    messages = sum(len(c.user_messages) for c in found)
    failed = sum(len(c.failed) for c in found)
    handed = sum(1 for c in found if c.handoffs)
    lookups = [lookup for c in found for lookup in c.lookups]
    rows: list[list] = [
        ["Conversations", Count(len(found))],
        ["Conversations engagées (2 messages ou plus)", Count(sum(c.engaged for c in found))],
        ["Messages des nouveaux arrivants", Count(messages)],
        ["Messages non compris ou hors sujet", Count(failed)],
        ["Taux d'incompréhension (par message)", Rate(failed, messages)],
        ["Conversations orientées vers l'accueil", Count(handed)],
        ["Taux d'orientation vers l'accueil", Rate(handed, len(found))],
        ["Demandes de rappel transmises", Count(sum(c.leads for c in found))],
        ["Avis « utile »", Count(sum(c.useful for c in found))],
        ["Avis « pas utile »", Count(sum(c.not_useful for c in found))],
        ["Recherches dans l'annuaire", Count(len(lookups))],
        ["Recherches sans résultat", Count(sum(1 for lookup in lookups if lookup.total == 0))],
    ]
    return Table("indicateurs", "Indicateurs", ["Indicateur", "Valeur"], rows)


def daily(found: list[Conversation], days: list[date]) -> Table:
    started = Counter(day_of(c.started) for c in found)
    engaged = Counter(day_of(c.started) for c in found if c.engaged)
    messages = Counter(day_of(m.at) for c in found for m in c.user_messages)
    rows = [
        [d.isoformat(), Count(started[d]), Count(engaged[d]), Count(messages[d])] for d in days
    ]
    columns = ["Jour", "Conversations", "Conversations engagées", "Messages"]
    return Table("conversations-par-jour", "Conversations par jour", columns, rows)


def topics_daily(lookups: list[Lookup], days: list[date]) -> Table:
    counts = Counter((day_of(lookup.at), lookup.topic) for lookup in lookups)
    rows = [[d.isoformat(), *(Count(counts[(d, t)]) for t in TOPICS)] for d in days]
    columns = ["Jour", *TOPICS.values()]
    return Table("themes-par-jour", "Recherches par thème et par jour", columns, rows)


def topics(lookups: list[Lookup]) -> Table:
    asked = Counter(lookup.topic for lookup in lookups)
    empty = Counter(lookup.topic for lookup in lookups if lookup.total == 0)
    rows = [[topic_label(t), Count(asked[t]), Count(empty[t])] for t in TOPICS]
    columns = ["Thème", "Recherches", "Sans résultat"]
    return Table("themes", "Recherches par thème", columns, rows)


def kinds(lookups: list[Lookup]) -> Table:
    asked = Counter((lookup.topic, lookup.kind) for lookup in lookups)
    empty = Counter((lookup.topic, lookup.kind) for lookup in lookups if lookup.total == 0)
    rows = [
        [topic_label(t), kind_label(k), Count(n), Count(empty[(t, k)])]
        for (t, k), n in sorted(asked.items(), key=lambda item: (-item[1], str(item[0])))
    ]
    columns = ["Thème", "Type de service", "Recherches", "Sans résultat"]
    note = "« tous types » : la recherche portait sur le thème entier."
    return Table("types", "Recherches par type de service", columns, rows, note)


def communes(lookups: list[Lookup]) -> Table:
    asked = Counter((lookup.commune_insee, lookup.commune_name) for lookup in lookups
                    if lookup.commune_insee)  # fmt: skip
    rows = [
        [str(place), str(insee), Count(n)]
        for (insee, place), n in sorted(asked.items(), key=lambda i: (-i[1], str(i[0][1])))
    ]
    columns = ["Commune", "Code INSEE", "Recherches"]
    return Table("communes", "Communes demandées", columns, rows)


def unmet(found: list[Conversation], name: Callable[[str | None], str]) -> Table:
    empty = Counter(
        (c.territory, lookup.topic, lookup.kind, lookup.commune_name or "")
        for c in found for lookup in c.lookups if lookup.total == 0
    )  # fmt: skip
    rows = [
        [name(t), topic_label(topic), kind_label(k), place or "toute la zone", Count(n)]
        for (t, topic, k, place), n in sorted(empty.items(), key=lambda i: (-i[1], str(i[0])))
    ]
    columns = ["Territoire", "Thème", "Type de service", "Commune", "Recherches sans résultat"]
    return Table("besoins-non-satisfaits", "Besoins non satisfaits", columns, rows)


def unanswered(found: list[Conversation], name: Callable[[str | None], str]) -> Table:
    rows: list[list] = [
        [day_of(m.at).isoformat(), name(c.territory), m.text]
        for c in found for m in c.failed
    ]  # fmt: skip
    rows.sort(key=lambda row: row[0], reverse=True)
    columns = ["Jour", "Territoire", "Question (données personnelles masquées)"]
    return Table("questions-sans-reponse", "Questions sans réponse", columns, rows)


def territories(found: list[Conversation], name: Callable[[str | None], str]) -> Table:
    by: dict[str | None, list[Conversation]] = {}
    for conversation in found:
        by.setdefault(conversation.territory, []).append(conversation)
    rows: list[list] = []
    for slug, group in sorted(by.items(), key=lambda item: name(item[0])):
        messages = sum(len(c.user_messages) for c in group)
        rows.append([
            name(slug), Count(len(group)), Count(sum(c.engaged for c in group)), Count(messages),
            Rate(sum(len(c.failed) for c in group), messages),
            Rate(sum(1 for c in group if c.handoffs), len(group)),
            Count(sum(c.leads for c in group)),
            Count(sum(1 for c in group for lookup in c.lookups if lookup.total == 0)),
        ])  # fmt: skip
    columns = [
        "Territoire", "Conversations", "Engagées", "Messages", "Taux d'incompréhension",
        "Taux d'orientation", "Demandes de rappel", "Recherches sans résultat",
    ]  # fmt: skip
    return Table("territoires", "Comparaison des territoires", columns, rows)
