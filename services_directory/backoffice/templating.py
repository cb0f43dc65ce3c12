"""Jinja filters of the back-office templates (French dates, labels of codes)."""

from datetime import date, datetime
from typing import Any

from ..vocabulary import KIND_LABELS, TOPICS

STATUS_LABELS = {"draft": "Brouillon", "published": "Publiée", "archived": "Archivée"}
LEAD_LABELS = {"new": "Nouvelle", "contacted": "Contactée", "closed": "Close"}
ROLE_LABELS = {"gip": "Administration GIP", "agent": "Agent de territoire"}


def french_date(value: Any) -> str:
    """2026-10-12 (a date or ISO text) -> 12/10/2026; a timestamp keeps its time (UTC)."""
    if not value:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%d/%m/%Y à %H:%M") + " UTC"


FILTERS = {
    "fdate": french_date,
    "topic_label": lambda code: TOPICS.get(code, code),
    "kind_label": lambda code: KIND_LABELS.get(code, code),
    "status_label": lambda code: STATUS_LABELS.get(code, code),
    "lead_label": lambda code: LEAD_LABELS.get(code, code),
    "role_label": lambda code: ROLE_LABELS.get(code, code),
    "pairs": lambda codes: [(code, code) for code in codes],
}
