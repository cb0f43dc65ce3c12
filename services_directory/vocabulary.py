"""
Codes shared by every part of the product (see docs/architecture.md), with French labels.

Codes are stable identifiers; labels are for display only.
"""

TOPICS: dict[str, str] = {
    "jobs": "Emploi et activité",
    "telework": "Télétravail et tiers-lieux",
    "childcare": "Garde d'enfants",
    "transport": "Mobilité",
}

KINDS: dict[str, dict[str, str]] = {
    "jobs": {
        "job_offer": "Offre d'emploi",
        "business_takeover": "Reprise d'activité",
        "employment_support": "Accompagnement à l'emploi",
    },
    "telework": {
        "coworking": "Espace de coworking",
        "tiers_lieu": "Tiers-lieu",
        "fablab": "Fablab",
        "meeting_room": "Salle de réunion",
    },
    "childcare": {
        "creche": "Crèche",
        "micro_creche": "Micro-crèche",
        "assistante_maternelle": "Assistante maternelle",
        "relais_petite_enfance": "Relais petite enfance",
        "accueil_loisirs": "Accueil de loisirs",
        "periscolaire": "Périscolaire",
    },
    "transport": {
        "bus": "Ligne de bus ou de car",
        "transport_a_la_demande": "Transport à la demande",
        "covoiturage": "Covoiturage",
        "gare": "Gare",
        "location_velo": "Location de vélos",
        "transport_solidaire": "Transport solidaire",
    },
}

# kind code -> topic code
KIND_TOPICS: dict[str, str] = {kind: topic for topic, kinds in KINDS.items() for kind in kinds}

KIND_LABELS: dict[str, str] = {
    kind: label for kinds in KINDS.values() for kind, label in kinds.items()
}

STATUSES: tuple[str, ...] = ("draft", "published", "archived")

# data·inclusion `frais` codes.
FEES: tuple[str, ...] = (
    "gratuit",
    "gratuit-sous-conditions",
    "payant",
    "adhesion",
    "pass-numerique",
)

# Contract types of job offers (France Travail's `typeContrat`, in words).
CONTRACT_TYPES: tuple[str, ...] = (
    "cdi", "cdd", "interim", "saisonnier", "alternance", "stage", "independant", "benevolat",
)  # fmt: skip

ROLES: tuple[str, ...] = ("gip", "agent")
LEAD_STATUSES: tuple[str, ...] = ("new", "contacted", "closed")
