"""Names shared with domain.yml and the directory: one place to change them."""

from services_directory.vocabulary import KINDS as KINDS  # re-exported for the actions
from services_directory.vocabulary import TOPICS

# Slots
TERRITORY = "territory"
TOPIC = "topic"
KIND = "kind"
COMMUNE_INSEE = "commune_insee"
COMMUNE_NAME = "commune_name"
HOME_INSEE = "home_insee"  # where the newcomer lives or leaves from, kept for the conversation
HOME_NAME = "home_name"
# The last results (ids, in order), the search that found them, the one picked ("le 2"):
# what follow-ups are about (actions/last_results.py).
LAST_RESULTS = "last_results"
LAST_SEARCH = "last_search"
CHOSEN_RESULT = "chosen_result"

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

# Topic and kind codes, with their French labels, are one vocabulary for the whole product.
TOPIC_LABELS = {code: label.lower() for code, label in TOPICS.items()}
