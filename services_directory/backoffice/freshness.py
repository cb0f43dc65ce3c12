"""
Freshness of entries: stale after a period set per kind, and job offers that expire.

An entry is stale when not verified for its kind's period (DIRECTORY_STALE_DAYS by default,
about six months); job offers expire by themselves at `expires_on`.
"""

from datetime import date, timedelta

from ..entries import Service

# Kinds whose facts change faster than the default period.
STALE_DAYS_BY_KIND = {"job_offer": 30, "business_takeover": 90}
JOB_OFFER_LIFETIME = timedelta(days=60)  # a job offer saved without an end date gets one


def stale_days_for(kind: str, default_days: int) -> int:
    """How many days an entry of this kind stays fresh after its last verification."""
    return STALE_DAYS_BY_KIND.get(kind, default_days)


def last_checked(service: Service) -> date | None:
    """The verification date, else the day of the last change."""
    if service.verified_on:
        return service.verified_on
    return date.fromisoformat(service.updated_at[:10]) if service.updated_at else None


def is_stale(service: Service, default_days: int, today: date) -> bool:
    """True when the entry has not been verified for longer than its kind's period."""
    checked = last_checked(service)
    if checked is None:
        return True
    return (today - checked).days > stale_days_for(service.kind, default_days)


def is_expired(service: Service, today: date) -> bool:
    """True when a job offer (or any entry with an end date) is past it."""
    return service.expires_on is not None and service.expires_on < today
