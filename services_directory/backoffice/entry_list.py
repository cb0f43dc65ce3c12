"""`GET /admin/t/{slug}/entries`: a territory's entries, filtered and searched."""

from datetime import date
from urllib.parse import urlencode

from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from ..entries import Service
from ..text import fold
from ..vocabulary import KINDS, STATUSES, TOPICS
from .freshness import is_expired, is_stale
from .render import render
from .scope import territory_scope

PER_PAGE = 50


def _matches(service: Service, words: list[str]) -> bool:
    text = fold(" ".join((service.name, service.commune_name, service.address or "",
                          service.description, service.sector or "")))  # fmt: skip
    return all(word in text for word in words)


async def entry_list(request: web.Request) -> web.Response:
    """Filters: topic, kind, status (default: all but archived), stale, expired, q."""
    user, territory = await territory_scope(request)
    query = request.query
    topic = query.get("topic", "") if query.get("topic") in TOPICS else ""
    kinds = KINDS.get(topic) or {k: v for group in KINDS.values() for k, v in group.items()}
    kind = query.get("kind", "") if query.get("kind") in kinds else ""
    status = query.get("status", "") if query.get("status") in (*STATUSES, "all") else ""
    stale, expired = query.get("stale") == "1", query.get("expired") == "1"
    q = query.get("q", "")[:200]
    words = fold(q).split()
    today, stale_days = date.today(), request.app[SETTINGS].stale_days
    found = []
    for service in await request.app[STORAGE].list_services(territory.slug):
        if (topic and service.topic != topic) or (kind and service.kind != kind):
            continue
        if status == "" and service.status == "archived":
            continue
        if status not in ("", "all") and service.status != status:
            continue
        flags = {"stale": service.status != "archived" and is_stale(service, stale_days, today),
                 "expired": is_expired(service, today)}  # fmt: skip
        if (stale and not flags["stale"]) or (expired and not flags["expired"]):
            continue
        if words and not _matches(service, words):
            continue
        found.append((service, flags))
    page = max(1, int(query["page"])) if query.get("page", "").isdigit() else 1
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    params = {k: v for k, v in query.items() if k not in ("page", "ok")}
    context = {
        "territory": territory, "rows": shown, "total": len(found), "page": page,
        "prev_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
        "next_url": "?" + urlencode({**params, "page": page + 1})
        if page * PER_PAGE < len(found) else None,
        "filters": {"topic": topic, "kind": kind, "status": status, "stale": stale,
                    "expired": expired, "q": q},
        "topics": list(TOPICS.items()), "kinds": list(kinds.items()),
    }  # fmt: skip
    return render(request, "backoffice/entries.html", context)
