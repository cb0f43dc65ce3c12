"""
data·inclusion v1 out: our entries as the national schema's structures and services.

The mapping of our topics and kinds to the schema's vocabulary lives here too, because the
importer (importers/data_inclusion.py) reads it back. docs/data-inclusion.md explains every
choice; tests/directory/test_data_inclusion.py validates the output with the schema's own
package (data-inclusion-schema 1.0.10, `data_inclusion.schema.v1`).
"""

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .entries import Service
from .models import Organisation, Territory
from .storage import Storage
from .vocabulary import KIND_LABELS

SOURCE = "accueil-massif-central"

_GARDE = "famille--garde-denfants"
_MOBILITE = "mobilite--mobilite-douce-partagee-collective"
_CONNEXION = "numerique--acceder-a-une-connexion-internet"
_OFFRES = "trouver-un-emploi--repondre-a-des-offres-demploi"

# Our kind -> the schema's (`type`, `thematiques`). `type` stays null when none of the six
# service types (written for return-to-work services) describes the entry. Telework has no
# national theme: its kinds take the digital themes nearest to a shared workspace.
KIND_VOCABULARY: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "job_offer": (None, (_OFFRES,)),
    "business_takeover": (
        None, ("creer-une-entreprise--definir-son-projet-de-creation-dentreprise",),
    ),
    "employment_support": (
        "accompagnement",
        (_OFFRES, "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi"),
    ),
    "coworking": (
        "aide-materielle", (_CONNEXION, "creer-une-entreprise--developper-son-entreprise"),
    ),
    "tiers_lieu": ("aide-materielle", (_CONNEXION, "remobilisation--lien-social")),
    "fablab": ("atelier", (_CONNEXION, "numerique--maitriser-les-fondamentaux-du-numerique")),
    "meeting_room": ("aide-materielle", (_CONNEXION,)),
    "creche": (None, (_GARDE,)),
    "micro_creche": (None, (_GARDE,)),
    "assistante_maternelle": (None, (_GARDE,)),
    "relais_petite_enfance": (
        "information", (_GARDE, "famille--soutien-a-la-parentalite-et-a-leducation"),
    ),
    "accueil_loisirs": (None, (_GARDE,)),
    "periscolaire": (None, (_GARDE,)),
    "bus": (None, (_MOBILITE,)),
    "transport_a_la_demande": (None, (_MOBILITE,)),
    "covoiturage": (None, (_MOBILITE,)),
    "gare": (None, (_MOBILITE,)),
    "location_velo": ("aide-materielle", ("mobilite--acceder-a-un-vehicule", _MOBILITE)),
    "transport_solidaire": (
        None, (_MOBILITE, "mobilite--etre-accompagne-dans-son-parcours-mobilite"),
    ),
}  # fmt: skip

# Our `fees` (data·inclusion's older five values) -> v1 `frais`, and what the three that v1
# dropped become in `frais_precisions` when the entry has no details of its own.
FRAIS = {
    "gratuit": "gratuit", "gratuit-sous-conditions": "gratuit", "payant": "payant",
    "adhesion": "payant", "pass-numerique": "payant",
}  # fmt: skip
FRAIS_PRECISIONS = {
    "gratuit-sous-conditions": "Gratuit sous conditions",
    "adhesion": "Adhésion",
    "pass-numerique": "Pass numérique accepté",
}
# The schema's `publics` (`tous-publics` stands alone: "no particular public").
PUBLICS = (
    "tous-publics", "actifs", "beneficiaires-des-minimas-sociaux", "demandeurs-emploi",
    "etudiants", "familles", "femmes", "jeunes", "personnes-en-situation-de-handicap",
    "personnes-en-situation-durgence", "personnes-en-situation-juridique-specifique",
    "personnes-exilees", "residents-qpv-frr", "seniors",
)  # fmt: skip
ALL_PUBLICS = "tous-publics"
# Offers are not places one is welcomed at.
NOT_WELCOMED = ("job_offer", "business_takeover")

_NAME_MIN, _NAME_MAX = 3, 150
_DESCRIPTION_MIN = 5
_URL_MAX = 2083  # pydantic's HttpUrl
# What the schema's e-mail check (email-validator) takes, kept plain: ASCII, a dotted domain
# whose last label is letters, no special-use domain. Others are left out, as the schema says
# data·inclusion itself does with a non-conforming address.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def service_id(service: Service) -> str:
    """The schema's id: the producer's code, two hyphens, our id."""
    return f"{SOURCE}--{service.id}"


def welcome_structure_id(territory: str) -> str:
    """The structure of a territory's welcome service (entries without an organisation)."""
    return f"{SOURCE}--accueil-{territory}"


def organisation_structure_id(organisation: str) -> str:
    """The structure of an organisation."""
    return f"{SOURCE}--{organisation}"


async def export(
    storage: Storage, services: list[Service]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """
    The entries as data·inclusion v1 (structures, services).

    Every service names an exported structure: its organisation's, else its territory's
    welcome service.
    """
    territories = {t.slug: t for t in await storage.list_territories()}
    organisations: dict[str, Organisation] = {}
    for slug in sorted({s.territory for s in services if s.organisation}):
        organisations.update({o.id: o for o in await storage.list_organisations(slug)})
    records = [to_service(s, _structure_of(s, organisations)) for s in services]
    return to_structures(records, services, territories, organisations), records


def _structure_of(service: Service, organisations: dict[str, Organisation]) -> str:
    if service.organisation in organisations:
        return organisation_structure_id(service.organisation)  # type: ignore[arg-type]
    return welcome_structure_id(service.territory)


def to_service(service: Service, structure_id: str) -> dict[str, Any]:
    """One entry as a data·inclusion v1 service."""
    type_, thematiques = KIND_VOCABULARY[service.kind]
    welcomed = service.kind not in NOT_WELCOMED
    email = checked_email(service.email)
    link = checked_url(service.website)
    return {
        "source": SOURCE,
        "structure_id": structure_id,
        "id": service_id(service),
        "nom": schema_name(service.name, KIND_LABELS[service.kind]),
        "description": _description(service),
        "date_maj": date_maj(service).isoformat(),
        "type": type_,
        "thematiques": sorted(thematiques),
        "frais": FRAIS.get(service.fees or ""),
        "frais_precisions": service.fees_details or FRAIS_PRECISIONS.get(service.fees or ""),
        "publics": publics(service.audience),
        "commune": service.commune_name,
        "code_insee": service.commune,
        "adresse": service.address,
        "latitude": service.lat,
        "longitude": service.lon,
        "telephone": service.phone,
        "courriel": email,
        "lien_mobilisation": link,
        "modes_mobilisation": _modes_mobilisation(service, email, link, welcomed),
        "mobilisable_par": ["usagers"],
        "modes_accueil": ["en-presentiel"] if welcomed else None,
        "zone_eligibilite": list(service.eligibility_zone) or None,
        "horaires_accueil": service.opening_hours,
    }


def to_structures(
    records: list[dict[str, Any]],
    services: list[Service],
    territories: dict[str, Territory],
    organisations: dict[str, Organisation],
) -> list[dict[str, Any]]:
    """The structures the service records name, each dated by its latest service."""
    latest: dict[str, str] = {}
    territory_of: dict[str, str] = {}
    for record, service in zip(records, services, strict=True):
        structure = record["structure_id"]
        latest[structure] = max(latest.get(structure, ""), record["date_maj"])
        territory_of[structure] = service.territory
    by_structure_id = {organisation_structure_id(o): org for o, org in organisations.items()}
    structures = []
    for structure in sorted(latest):
        organisation = by_structure_id.get(structure)
        if organisation is not None:
            item = organisation_structure(organisation)
        else:
            item = welcome_structure(territories[territory_of[structure]])
        structures.append({**item, "date_maj": latest[structure]})
    return structures


def organisation_structure(organisation: Organisation) -> dict[str, Any]:
    """An organisation as a structure (without `date_maj`, which its services give)."""
    description = organisation.description.strip()
    siret = organisation.siret or ""
    return {
        "source": SOURCE,
        "id": organisation_structure_id(organisation.id),
        "nom": schema_name(organisation.name, "Structure"),
        "description": description if len(description) >= _DESCRIPTION_MIN else None,
        "siret": siret if re.fullmatch(r"[0-9]{14}", siret) else None,
        "telephone": organisation.phone,
        "courriel": checked_email(organisation.email),
        "site_web": checked_url(organisation.website),
    }


def welcome_structure(territory: Territory) -> dict[str, Any]:
    """A territory's welcome service as a structure (without `date_maj`)."""
    contact = territory.welcome_contact
    return {
        "source": SOURCE,
        "id": welcome_structure_id(territory.slug),
        "nom": schema_name(f"Service d'accueil — {territory.name}", "Service d'accueil"),
        "description": (
            f"Accueil des nouveaux habitants du territoire « {territory.name} »"
            f" ({territory.department}) :"
            " emploi, télétravail, garde d'enfants, mobilité."
        ),
        "telephone": contact.phone or None,
        "courriel": checked_email(contact.email),
    }


def schema_name(name: str, label: str) -> str:
    """
    A name the schema takes: 3 to 150 characters, no final full stop ("etc." aside).

    A name too short is completed by the kind's label; one too long is cut with an ellipsis.
    """
    name = name.strip()
    while name.endswith(".") and not name.endswith("etc."):
        name = name[:-1].rstrip()
    if len(name) < _NAME_MIN:
        name = f"{label} {name}".strip()
    if len(name) > _NAME_MAX:
        name = name[: _NAME_MAX - 1].rstrip() + "…"
    return name


def _description(service: Service) -> str:
    # Required by the schema (5 characters at least): an empty one says what and where.
    text = service.description.strip()
    if len(text) >= _DESCRIPTION_MIN:
        return text
    what = f"{KIND_LABELS[service.kind]} à {service.commune_name}"
    return f"{what} : {text}" if text else what


def date_maj(service: Service) -> date:
    """The verification date, else the last update (the schema refuses a future or pre-2000 one)."""
    updated = date.fromisoformat(service.updated_at[:10]) if service.updated_at else date.today()
    verified = service.verified_on
    if verified is not None and date(2000, 1, 1) <= verified <= date.today():
        return verified
    return min(updated, date.today())


def publics(audience: tuple[str, ...]) -> list[str]:
    """Our audience in the schema's codes; none (or none known) is `tous-publics`."""
    known = [code for code in audience if code in PUBLICS and code != ALL_PUBLICS]
    return known or [ALL_PUBLICS]


def _modes_mobilisation(
    service: Service, email: str | None, link: str | None, welcomed: bool
) -> list[str] | None:
    modes = [
        mode for mode, available in (
            ("envoyer-un-courriel", email), ("se-presenter", welcomed and service.address),
            ("telephoner", service.phone), ("utiliser-lien-mobilisation", link),
        ) if available
    ]  # fmt: skip
    return modes or None  # the schema wants at least one, or nothing


def checked_email(email: str | None) -> str | None:
    """The address if the schema's e-mail check would take it, else None."""
    if not email or not _EMAIL.match(email) or len(email) > 254:
        return None
    top_level = email.rsplit(".", 1)[-1].lower()
    return None if top_level in _SPECIAL_USE_DOMAINS else email


def checked_url(url: str | None) -> str | None:
    """The address if it is a plain http(s) URL with a host name, else None."""
    if not url or len(url) > _URL_MAX:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and _HOST.match(host) else None


def kinds_exported_as(type_: str | None, themes: frozenset[str]) -> list[str]:
    """Our kinds whose export carries exactly this `type` and these `thematiques`."""
    return [
        kind for kind, (t, th) in KIND_VOCABULARY.items() if t == type_ and frozenset(th) == themes
    ]
