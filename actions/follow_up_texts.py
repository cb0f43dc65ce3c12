"""
What the assistant says about the last results, in French.

One place for these sentences, so that an English version can sit beside it.

Every sentence comes from the entry's own fields; when a field is empty, it says the directory
does not know and gives the entry's contact (never the previous list again).
"""

from __future__ import annotations

from typing import Optional

from actions import hours
from actions.answers import french_km
from actions.directory_client import Contact, Service
from actions.french import a, de, place_name

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def clock(minute: int) -> str:
    """510 → "8 h 30", 540 → "9 h", 1440 → "minuit"."""
    if minute in (0, 24 * 60):
        return "minuit"
    h, m = divmod(minute, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


def ranges_text(ranges: tuple[hours.Range, ...]) -> str:
    if ranges == ((0, 24 * 60),):
        return "24 h sur 24"
    return " et ".join(f"de {clock(start)} à {clock(end)}" for start, end in ranges)


def _days_text(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] → "du lundi au vendredi"; [0, 2] → "le lundi et le mercredi"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"du {DAY_NAMES[run[0]]} au {DAY_NAMES[run[-1]]}")
        else:
            parts += [f"le {DAY_NAMES[d]}" for d in run]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def week_text(week: hours.Week) -> str:
    """"du lundi au vendredi, de 7 h 30 à 18 h 30 ; fermé les jours fériés"."""
    if week.always_open:
        return "tous les jours, 24 h sur 24"
    groups: dict[tuple[hours.Range, ...], list[int]] = {}
    for day in range(7):
        if week.on(day):
            groups.setdefault(week.on(day), []).append(day)
    if not groups:
        return "fermé toute la semaine"
    parts = [
        ("tous les jours" if len(days) == 7 else _days_text(days)) + ", " + ranges_text(ranges)
        for ranges, days in groups.items()
    ]
    if week.holidays_off:
        parts.append("fermé les jours fériés")
    return " ; ".join(parts)


def contact_of(service: Service, fallback: Contact) -> str:
    """How to reach the entry itself; the welcome service when the entry gives no way."""
    ways = [w for w in (service.phone, service.email) if w]
    if ways:
        return " ou ".join(ways)
    if service.website:
        return service.website
    fallback_ways = " — ".join(w for w in (fallback.phone, fallback.email) if w)
    return f"le service d'accueil ({fallback.name}{' : ' + fallback_ways if fallback_ways else ''})"


# Each answer starts with the entry's name and a colon: no article to agree with a name
# ("à Relais…", "de Accueil…") and no gender to guess ("Crèche … est ouvert").


def unknown(service: Service, what: str, fallback: Contact) -> str:
    """The field is empty: say so, quote the description (it often says it), and who knows."""
    described = service.description.strip()
    quoted = f" Sa fiche dit : « {described.rstrip('.')} »." if described else ""
    return (f"{service.name} : l'annuaire n'indique pas {what}.{quoted} "
            f"Pour le savoir : {contact_of(service, fallback)}.")


def hours_text(service: Service, fallback: Contact) -> str:
    week = hours.parse(service.opening_hours)
    if week is not None:
        return f"{service.name} : ouvert {week_text(week)}."
    if service.opening_hours:  # a form the reader does not cover: as the territory wrote it
        return f"{service.name} : horaires « {service.opening_hours} » (tels qu'écrits)."
    return unknown(service, "les horaires", fallback)


def day_text(service: Service, weekday: int, fallback: Contact) -> str:
    """Answer "c'est ouvert le mercredi ?"."""
    week = hours.parse(service.opening_hours)
    if week is None:
        return hours_text(service, fallback)
    ranges = week.on(weekday)
    day = DAY_NAMES[weekday]
    if not ranges:
        return f"{service.name} : fermé le {day}."
    return f"{service.name} : ouvert le {day}, {ranges_text(ranges)}."


def now_text(service: Service, weekday: int, minute: int, fallback: Contact) -> str:
    """Answer "c'est ouvert maintenant ?" (public holidays are said, not known)."""
    week = hours.parse(service.opening_hours)
    if week is None:
        return hours_text(service, fallback)
    state = "ouvert" if hours.is_open_at(week, weekday, minute) else "fermé"
    today = week.on(weekday)
    said = f"{service.name} : {state} en ce moment"
    said += f" (aujourd'hui : {ranges_text(today)})." if today else " (fermé aujourd'hui)."
    if week.holidays_off:
        said += " Fermé les jours fériés."
    return said


def fees_text(service: Service, fallback: Contact) -> str:
    if service.fees_details:
        said = " ; ".join(x for x in (service.fees, service.fees_details.strip()) if x)
        return f"{service.name} : {said.rstrip('.')}."
    if service.fees == "gratuit":
        return f"{service.name} : gratuit."
    if service.fees == "payant":
        return (f"{service.name} : payant ; l'annuaire ne donne pas le détail des tarifs. "
                f"Pour le savoir : {contact_of(service, fallback)}.")
    return unknown(service, "les tarifs", fallback)


def address_text(service: Service, fallback: Contact) -> str:
    commune = service.commune_name or ""
    if service.address:
        where = f"{service.address}, {commune}" if commune else service.address
        return f"{service.name} : {where}."
    if commune:
        return (f"{service.name} : {a(commune)} ; l'annuaire n'a pas l'adresse précise. "
                f"Pour la connaître : {contact_of(service, fallback)}.")
    return unknown(service, "l'adresse", fallback)


def booking_text(service: Service, fallback: Contact) -> str:
    """Answer "comment je réserve ?": the entry's own contact, and its site."""
    with_site = service.website and (service.phone or service.email)
    site = f" Site : {service.website}." if with_site else ""
    return (f"{service.name} : pour réserver ou vous inscrire, contactez "
            f"{contact_of(service, fallback)}.{site}")


def places_text(service: Service, fallback: Contact) -> str:
    """Answer "il reste des places ?": the directory cannot know."""
    return (f"{service.name} : l'annuaire ne sait pas s'il reste des places. "
            f"Demandez directement : {contact_of(service, fallback)}.")


def contact_text(service: Service, fallback: Contact) -> str:
    ways = [w for w in (service.phone, service.email, service.website) if w]
    if ways:
        return f"{service.name} : {' — '.join(ways)}."
    return f"{service.name} : pas de contact dans l'annuaire ; {contact_of(service, fallback)}."


def description_text(service: Service, fallback: Contact) -> str:
    if service.description.strip():
        return f"{service.name} : {service.description.strip()}"
    return unknown(service, "de description", fallback)


def card_text(service: Service, fallback: Contact) -> str:
    """Everything the directory knows about one entry, for "le 2" or "celle de Condat"."""
    lines = [service.name]
    place = service.address + ", " if service.address else ""
    if service.commune_name:
        place += service.commune_name
        if service.distance_km is not None:
            place += f" ({french_km(service.distance_km)})"
    if place:
        lines.append(f"Adresse : {place}")
    if service.description.strip():
        lines.append(service.description.strip())
    week = hours.parse(service.opening_hours)
    if week is not None:
        lines.append(f"Horaires : {week_text(week)}")
    elif service.opening_hours:
        lines.append(f"Horaires : {service.opening_hours}")
    if service.fees or service.fees_details:
        fees = {"gratuit": "gratuit", "payant": "payant"}.get(service.fees or "", "")
        lines.append("Tarifs : " + " — ".join(x for x in (fees, service.fees_details) if x))
    lines.append(f"Contact : {contact_of(service, fallback)}")
    if service.website and (service.phone or service.email):
        lines.append(f"Site : {service.website}")
    lines.append("Demandez-moi les horaires, les tarifs, l'adresse ou comment réserver.")
    return "\n".join(lines)


def numbered(texts: list[str]) -> str:
    """One answer per result, numbered as the list was."""
    return "\n".join(f"{n}. {t}" for n, t in enumerate(texts, start=1))


def no_more_text(what: str, shown: int) -> str:
    return (f"Je n'ai pas d'autres adresses « {what} » : les {shown} que je connais vous ont "
            "été données. Essayez une autre commune ou un autre type de service, "
            "ou demandez à parler au service d'accueil.")


def more_heading(what: str, near_name: Optional[str], first: int, last: int, total: int) -> str:
    """"D'autres adresses « garde d'enfants » près de Murat (4 à 6 sur 7) :"."""
    where = f" près {de(near_name)}" if near_name else ""
    span = f"{first} à {last}" if last > first else f"{first}"
    return f"D'autres adresses « {what} »{where} ({span} sur {total}) :"


def same_results_text(count: int) -> str:
    """The same search again: said before the list, so it never reads as a new answer."""
    these = "C'est la même adresse" if count == 1 else f"Ces {count} adresses sont les mêmes"
    return (f"{these} que dans ma réponse précédente. Demandez-moi les horaires, les tarifs, "
            "l'adresse ou comment réserver (« la 2 », « c'est ouvert le mercredi ? »), "
            "« d'autres ? » pour la suite, ou « plus près de » une autre commune.")


def no_match_text(typed: str) -> str:
    return (f"Aucune des adresses que je vous ai données n'est à {place_name(typed)}. "
            "Dites « la 2 » ou son nom, ou « plus près de " + place_name(typed) + " ».")


def which_one_text(count: int) -> str:
    return (f"Laquelle des {count} adresses ? Dites par exemple « la 2 », ou son nom.")


def no_entry_text() -> str:
    return ("Je ne retrouve plus cette adresse dans l'annuaire. "
            "Reposez-moi votre question pour une liste à jour.")


def unknown_place_text(typed: str) -> str:
    return f"Je ne trouve pas « {place_name(typed)} » parmi les communes du territoire."
