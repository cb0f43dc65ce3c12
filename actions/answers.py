"""What the assistant says: the contract payloads and the same answer as plain text."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from actions.directory_client import Commune, Contact, SearchPage, Service
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
    """The `directory_results` payload of CONTRACT.md, plus `kind` and `total`.

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


def results_text(
    topic: str,
    kind: Optional[str],
    near: Optional[Commune],
    page: SearchPage,
    territory_name: Optional[str],
    more_url: Optional[str],
) -> str:
    """The same answer for channels that cannot show cards."""
    what = KINDS[topic].get(kind or "", TOPIC_LABELS[topic]).lower()
    where = f"près de {near.name}" if near else (
        f"sur le territoire {territory_name}" if territory_name else "dans le Massif central"
    )
    if not page.items:
        return (
            f"Je n'ai trouvé aucune adresse « {what} » {where} dans l'annuaire. "
            "Essayez une autre commune ou un autre type de service, "
            "ou demandez à parler au service d'accueil."
        )
    lines = [f"Voici {_count(page, near)} pour « {what} » {where} :"]
    for number, service in enumerate(page.items, start=1):
        lines.append(f"{number}. {_line(service)}")
    if more_url and page.total > len(page.items):
        lines.append(f"Voir les {page.total} adresses : {more_url}")
    return "\n".join(lines)


def _count(page: SearchPage, near: Optional[Commune]) -> str:
    shown = len(page.items)
    if shown == 1:
        return "l'adresse trouvée"
    return f"les {shown} adresses les plus proches" if near else f"{shown} adresses"


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
        {"title": label, "payload": f'/{intent}{{"kind": "{code}"}}'}
        for code, label in KINDS[topic].items()
        if code != kind
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
