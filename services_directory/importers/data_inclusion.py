"""
data·inclusion v1 services (JSON list, or CSV with the same field names).

The entries of our four topics are placed in the territory holding their commune, flagged to
verify; the others are skipped. Our own export (source `accueil-massif-central`) is read back
through its mapping (services_directory/data_inclusion.py, docs/data-inclusion.md).
"""

import json
from typing import Any

from .. import validation as v
from ..data_inclusion import ALL_PUBLICS, SOURCE, kinds_exported_as
from ..entries import NewService
from ..errors import InvalidEntry
from ..storage import Storage
from ..text import fold
from ..vocabulary import FEES, KIND_TOPICS
from .entries import save_entry, territory_of
from .report import Problem, Row, read_csv, read_text

# data·inclusion thematique prefix -> our topic (`accompagnement-emploi` and
# `creation-activite` are the names before v1). Telework has no national theme: only our own
# export's telework entries come back (by their `type` and `thematiques`).
THEMES = {
    "famille--garde-denfants": "childcare",
    "mobilite": "transport",
    "trouver-un-emploi": "jobs",
    "creer-une-entreprise": "jobs",
    "accompagnement-emploi": "jobs",
    "creation-activite": "jobs",
}
# Words in a name that tell the kind, by topic (first match wins; the last is the default).
KIND_WORDS = {
    "childcare": [("micro", "micro_creche"), ("assistant", "assistante_maternelle"),
                  ("relais", "relais_petite_enfance"), ("loisirs", "accueil_loisirs"),
                  ("periscolaire", "periscolaire"), ("", "creche")],
    "transport": [("covoiturage", "covoiturage"), ("velo", "location_velo"),
                  ("demande", "transport_a_la_demande"), ("gare", "gare"), ("bus", "bus"),
                  ("", "transport_solidaire")],
    "jobs": [("reprise", "business_takeover"), ("cession", "business_takeover"),
             ("", "employment_support")],
}  # fmt: skip


def read_items(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Services from JSON (a list, or `{"items": [...]}`) or CSV, with line or index numbers."""
    text = read_text(data).lstrip()
    if not text.startswith(("[", "{")):
        return [(line, dict(row)) for line, row in read_csv(data, ("id", "nom"))]
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidEntry("file", "JSON invalide.") from None
    if isinstance(parsed, dict):
        parsed = parsed.get("items")
    if not isinstance(parsed, list):
        raise InvalidEntry("file", "Attendu une liste de services data·inclusion.")
    return [
        (index + 1, item if isinstance(item, dict) else {}) for index, item in enumerate(parsed)
    ]


def topic_and_kind(item: dict[str, Any]) -> tuple[str, str] | None:
    """Our topic and kind for a service, or None when it is not one of our four topics."""
    themes = v.word_list("thematiques", item.get("thematiques"))
    name = fold(str(item.get("nom") or ""))
    if item.get("source") == SOURCE:  # our export: its type and themes name the kind
        kinds = kinds_exported_as(item.get("type"), frozenset(themes))
        if kinds:  # several kinds share some pairs (all crèches): the name tells them apart
            kind = next((k for words in KIND_WORDS.values() for word, k in words
                         if word and word in name and k in kinds), kinds[0])  # fmt: skip
            return KIND_TOPICS[kind], kind
    for theme in themes:
        for prefix, topic in THEMES.items():
            if theme == prefix or theme.startswith(prefix + "--"):
                kind = next(kind for word, kind in KIND_WORDS[topic] if word in name)
                if theme.startswith("creation-activite"):
                    kind = "business_takeover"
                return topic, kind
    return None


async def plan(
    storage: Storage, data: bytes, by: str, allowed: set[str] | None = None
) -> list[Row]:
    """The rows of a data·inclusion file, each ready to write or explained."""
    owners = await storage.commune_territories()
    rows = []
    for line, item in read_items(data):
        try:
            placed = topic_and_kind(item)
            if placed is None:
                rows.append(Row(line, skipped="thématique hors des quatre thèmes"))
                continue
            insee = v.insee("code_insee", item.get("code_insee"))
            territory = territory_of(insee, owners, allowed)
            if territory is None:
                rows.append(Row(line, skipped="commune hors des territoires"))
                continue
            new = _entry(item, territory, insee, *placed)
        except InvalidEntry as error:
            rows.append(Row(line, rejected=Problem(line, error.name, error.message)))
            continue
        rows.append(Row(line, write=_writer(new, by)))
    return rows


def _entry(item: dict[str, Any], territory: str, insee: str, topic: str, kind: str) -> NewService:
    fees = [fee for fee in v.word_list("frais", item.get("frais")) if fee in FEES]
    source = v.required("source", item.get("source"), 100)
    return NewService(
        territory=territory, topic=topic, kind=kind, commune=insee, status="published",
        name=v.required("nom", item.get("nom"), 200),
        description=v.text("description", item.get("description")
                           or item.get("presentation_resume"), max_length=v.MAX_LONG_TEXT) or "",
        address=v.text("adresse", item.get("adresse")),
        lat=v.latitude("latitude", item.get("latitude")),
        lon=v.longitude("longitude", item.get("longitude")),
        phone=v.phone("telephone", item.get("telephone")),
        email=v.email("courriel", item.get("courriel")),
        website=v.website("lien_mobilisation", item.get("lien_mobilisation")
                          or item.get("page_web") or item.get("lien_source")),
        opening_hours=v.text("horaires_accueil", item.get("horaires_accueil")),
        fees=fees[0] if fees else None,
        fees_details=v.text("frais_precisions", item.get("frais_precisions")),
        audience=tuple(code for code in v.word_list("publics", item.get("publics"))
                       if code != ALL_PUBLICS),
        eligibility_zone=v.word_list("zone_eligibilite", item.get("zone_eligibilite"), v.zone_code),
        source=f"data·inclusion ({source})",
        source_id=f"data-inclusion:{source}:{v.required('id', item.get('id'), 200)}",
        to_verify=True,
    )  # fmt: skip


def _writer(new: NewService, by: str):  # type: ignore[no-untyped-def]
    async def write(storage: Storage) -> str:
        return await save_entry(storage, new, by, keep_checked=True)

    return write
