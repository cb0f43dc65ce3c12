"""Names shared with domain.yml and the directory: one place to change them."""

# Slots
TERRITORY = "territory"
TOPIC = "topic"
KIND = "kind"
COMMUNE_INSEE = "commune_insee"
COMMUNE_NAME = "commune_name"

# Entities
COMMUNE_ENTITY = "commune"
KIND_ENTITY = "kind"
JOB_KEYWORD_ENTITY = "job_keyword"
CONTRACT_ENTITY = "contract_type"
CHILD_AGE_ENTITY = "child_age"
DESTINATION_ENTITY = "destination"

# Intents that ask about a topic, and the topic code each one means.
TOPIC_BY_INTENT = {
    "ask_jobs": "jobs",
    "ask_telework": "telework",
    "ask_childcare": "childcare",
    "ask_transport": "transport",
}

TOPIC_LABELS = {
    "jobs": "emploi et activité",
    "telework": "télétravail et tiers-lieux",
    "childcare": "garde d'enfants",
    "transport": "mobilité",
}

# Kind codes by topic, with the label a newcomer reads on a refinement button.
KINDS = {
    "jobs": {
        "job_offer": "Offres d'emploi",
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
        "bus": "Lignes de bus et de car",
        "transport_a_la_demande": "Transport à la demande",
        "covoiturage": "Covoiturage",
        "gare": "Gare",
        "location_velo": "Location de vélos",
        "transport_solidaire": "Transport solidaire",
    },
}
