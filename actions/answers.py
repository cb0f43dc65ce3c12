"""What the assistant says: the contract payloads and the same answer as plain text."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from actions.directory_client import Commune, Contact, SearchPage, Service
from actions.french import a, de, de_noun, place_name
from actions.kinds import close_kinds
from actions.names import KINDS, TOPIC_LABELS


def french_date(iso_day: Optional[str]) -> Optional[str]:
    """"2026-10-12" → "12/10/2026"; None or garbage stays None."""
    try:
        return date.fromisoformat(iso_day).strftime("%d/%m/%Y") if iso_day else None
    except ValueError:
        return None


def french_km(distance_km: float) -> str:
    return f"{distance_km:.1f}".replace(".", ",") + " km"


def results_payload(
    topic: str,
    territory: Optional[str],
    near: Optional[Commune],
    page: SearchPage,
    more_url: Optional[str],
    kind: Optional[str] = None,
) -> dict[str, Any]:
    """The `directory_results` payload of CONTRACT.md, plus `kind`, `total` and `kind_found`.

    Kept in the conversation store, it is also the log of directory look-ups that the
    analytics read (unmet needs are look-ups with a total of 0).
    """
    return {
        "type": "directory_results",
        "topic": topic,
        "kind": kind,
        "territory": territory,
        "near": {"insee": near.insee, "name": near.name} if near else None,
        "results": [_result(service) for service in page.items],
        "total": page.total,
        # The asked kind first, however far: none in the results means none in the territory
        # (an unmet need even when the topic's other entries fill the answer).
        "kind_found": any(s.kind == kind for s in page.items) if kind else None,
        "more_url": more_url,
    }


def _result(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "kind": service.kind,
        "commune": service.commune_name,
        "distance_km": service.distance_km,
        "phone": service.phone,
        "email": service.email,
        "url": service.website,
        "verified_on": service.verified_on,
    }


# Each kind as a noun, and whether it is feminine: "Pas de crèche à Condat ; la plus proche…"
KIND_NOUNS: dict[str, tuple[str, bool]] = {
    "job_offer": ("offre d'emploi", True),
    "business_takeover": ("activité à reprendre", True),
    "employment_support": ("accompagnement à l'emploi", False),
    "coworking": ("espace de coworking", False),
    "tiers_lieu": ("tiers-lieu", False),
    "fablab": ("fablab", False),
    "meeting_room": ("salle de réunion", True),
    "creche": ("crèche", True),
    "micro_creche": ("micro-crèche", True),
    "assistante_maternelle": ("assistante maternelle", True),
    "relais_petite_enfance": ("relais petite enfance", False),
    "accueil_loisirs": ("accueil de loisirs", False),
    "periscolaire": ("accueil périscolaire", False),
    "bus": ("ligne de bus ou de car", True),
    "transport_a_la_demande": ("transport à la demande", False),
    "covoiturage": ("solution de covoiturage", True),
    "gare": ("gare", True),
    "location_velo": ("location de vélos", True),
    "transport_solidaire": ("transport solidaire", False),
}
# Kinds that serve an area (a line, a door-to-door service): where they are listed says
# little of where they go, so no "Pas de ligne de car à Murat" for the line that serves it.
AREA_KINDS = frozenset({"bus", "transport_a_la_demande", "transport_solidaire"})
# The heading of the topic's other entries, after those of the kind asked.
OTHERS = {
    "jobs": "Autres adresses pour l'emploi",
    "telework": "Autres lieux pour télétravailler",
    "childcare": "Autres services de garde",
    "transport": "Autres solutions pour se déplacer",
}


def results_text(
    topic: str,
    kind: Optional[str],
    near: Optional[Commune],
    page: SearchPage,
    territory_name: Optional[str],
    more_url: Optional[str],
    trade: Optional[str] = None,
    trade_found: bool = True,
) -> str:
    """The same answer for channels that cannot show cards.

    With a kind asked, its entries come first, then the topic's others under their own
    heading; when the kind is missing there, the text says so before anything else. A trade
    that matched no offer is said too, and employment support comes first.
    """
    what = KINDS[topic].get(kind or "", TOPIC_LABELS[topic]).lower()
    where = f"près {de(near.name)}" if near else (
        f"sur le territoire {territory_name}" if territory_name else "dans le Massif central"
    )
    lines: list[str] = []
    if trade and not trade_found:
        lines.append(f"Je n'ai trouvé aucune offre pour « {trade} » {where}.")
        kind, what = "employment_support", KINDS[topic]["employment_support"].lower()
    elif trade:
        what = trade
    if not page.items:
        lines.append(
            f"Je n'ai trouvé aucune adresse « {what} » {where} dans l'annuaire. "
            "Essayez une autre commune ou un autre type de service, "
            "ou demandez à parler au service d'accueil."
        )
        return "\n".join(lines)
    first = [s for s in page.items if kind and s.kind == kind]
    others = [s for s in page.items if s not in first]
    if kind and not first:
        lines.append(_missing_kind(kind, near, territory_name))
        lines.append(f"Voici d'autres adresses « {TOPIC_LABELS[topic]} » {where} :")
    elif kind and near and first[0].commune_name != near.name and kind not in AREA_KINDS:
        noun = (f"offre « {trade} »", True) if trade and trade_found else KIND_NOUNS[kind]
        lines.append(_nearest_elsewhere(noun, near, first[0]))
        if len(first) > 1:
            lines.append(f"Voici les {len(first)} adresses « {what} » les plus proches :")
    else:
        lines.append(f"Voici {_count(len(first or others), near)} pour « {what} » {where} :")
    number = 0
    for group in (first, others):
        if group is others and first and others:
            lines.append(f"{OTHERS[topic]} :")
        for service in group:
            number += 1
            lines.append(f"{number}. {_line(service)}")
    if more_url and page.total > len(page.items):
        lines.append(f"Voir les {page.total} adresses : {more_url}")
    return "\n".join(lines)


def _missing_kind(kind: str, near: Optional[Commune], territory_name: Optional[str]) -> str:
    noun, _ = KIND_NOUNS[kind]
    where = f"sur le territoire {territory_name}" if territory_name else "dans l'annuaire"
    if near:
        where = f"{a(near.name)} ni ailleurs {where}"
    return f"Pas {de_noun(noun)} {where}."


def _nearest_elsewhere(noun: tuple[str, bool], near: Commune, nearest: Service) -> str:
    """Say that the kind is missing there, and the nearest of that kind.

    "Pas de crèche à Condat ; la plus proche est Crèche Les Petits Volcans, à Murat (27 km)."
    """
    word, feminine = noun
    place = a(nearest.commune_name) if nearest.commune_name else ""
    if nearest.distance_km is not None:
        place += f" ({french_km(nearest.distance_km)})"
    the_nearest = "la plus proche" if feminine else "le plus proche"
    return f"Pas {de_noun(word)} {a(near.name)} ; {the_nearest} est {nearest.name}, {place}."


def _count(shown: int, near: Optional[Commune]) -> str:
    if shown == 1:
        return "l'adresse la plus proche" if near else "une adresse"
    return f"les {shown} adresses les plus proches" if near else f"{shown} adresses"


def result_line(service: Service) -> str:
    """One entry on one line: name — commune (distance) — contact — verified on."""
    return _line(service)


def _line(service: Service) -> str:
    parts = [service.name]
    if service.commune_name:
        place = service.commune_name
        if service.distance_km is not None:
            place += f" ({french_km(service.distance_km)})"
        parts.append(place)
    parts += [value for value in (service.phone, service.email, service.website) if value]
    verified = french_date(service.verified_on)
    if verified:
        parts.append(f"vérifié le {verified}")
    return " — ".join(parts)


def outside_text(typed: str, territory_name: Optional[str], near: Optional[Commune]) -> str:
    """A place named outside the territory: said so, and where the answer looks instead."""
    shown = place_name(typed)
    if territory_name is None:
        return f"Je ne trouve pas « {shown} » parmi les communes que je connais."
    instead = f" : je cherche plutôt près {de(near.name)}" if near else ""
    return f"{shown} n'est pas une commune du territoire {territory_name}{instead}."


TOPIC_BUTTONS = [
    {"title": "Un emploi", "payload": "/ask_jobs"},
    {"title": "Un espace de télétravail", "payload": "/ask_telework"},
    {"title": "Une garde d'enfants", "payload": "/ask_childcare"},
    {"title": "Se déplacer", "payload": "/ask_transport"},
]
HUMAN_BUTTON = {"title": "Parler à l'accueil", "payload": "/ask_human"}


def refinement_buttons(topic: str, kind: Optional[str]) -> list[dict[str, str]]:
    """Buttons to narrow the answer down, then a way to reach a person."""
    intent = f"ask_{topic}"
    buttons = [
        {"title": KINDS[topic][code], "payload": f'/{intent}{{"kind": "{code}"}}'}
        for code in close_kinds(kind, topic)
    ][:3]
    buttons.append(HUMAN_BUTTON)
    return buttons


def handoff_payload(territory: Optional[str], contact: Contact) -> dict[str, Any]:
    """The `handoff` payload of CONTRACT.md."""
    return {
        "type": "handoff",
        "territory": territory,
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone},
    }


def contact_text(contact: Contact) -> str:
    ways = [value for value in (contact.phone, contact.email) if value]
    return f"{contact.name} : {' — '.join(ways)}" if ways else contact.name


def unavailable_text(contact: Contact, what: str = "l'annuaire ne répond pas") -> str:
    """The apology when a part of the service is down: never silence, always a person to call."""
    return (
        f"Désolé, {what} pour le moment. Le service d'accueil peut vous répondre directement : "
        f"{contact_text(contact)}. Vous pouvez aussi réessayer dans quelques minutes."
    )


def notice_text(territory_name: Optional[str]) -> str:
    """The information notice shown on the first turn (RGPD, CNIL guidance on chatbots)."""
    who = f"du territoire {territory_name}" if territory_name else "du Massif central"
    return (
        f"Je suis l'assistant automatique d'accueil {who}. Mes réponses viennent de l'annuaire "
        "tenu par le service d'accueil. Vos messages sont conservés de façon limitée pour "
        "améliorer le service : n'y mettez pas d'informations sensibles."
    )
