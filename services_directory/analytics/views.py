"""
The analytics pages under /admin/analytics: dashboard, review queue, one conversation, exports.

Every page needs a signed-in account; agents see their territories only (another's is 404).
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from ..backoffice.auth import require_territory, require_user
from ..backoffice.render import check_csrf, render
from . import charts
from .exports import table_csv
from .figures import PARIS, dashboard
from .reviews import mark, reviews
from .scope import Scope, scope_of, tracker
from .service import load, load_one
from .tables import Count, Table, page_cell


def when(at: float) -> str:
    """An epoch time as people in France read it: 29/11/2026 à 14:05."""
    return datetime.fromtimestamp(at, PARIS).strftime("%d/%m/%Y à %H:%M")


async def _tables(request: web.Request) -> tuple[Scope, list[Table]]:
    user = await require_user(request)
    scope = await scope_of(request, user)
    found = await load(tracker(request), scope.period, scope.allowed)
    return scope, dashboard(found, scope.period.days(), scope.names, scope.compare)


async def dashboard_page(request: web.Request) -> web.Response:
    """`GET /admin/analytics`: figures, charts and tables of the period and territory."""
    scope, tables = await _tables(request)
    by = {table.name: table for table in tables}
    context = {
        "scope": scope, "tables": tables, "summary": by["indicateurs"],
        "charts": _charts(by), "cell": page_cell,
        "territory_options": sorted(scope.names.items(), key=lambda item: item[1]),
    }  # fmt: skip
    return render(request, "analytics/dashboard.html", context)


def _charts(by: dict[str, Table]) -> dict[str, object]:
    daily = by["conversations-par-jour"]
    days = [str(row[0]) for row in daily.rows]

    def column(table: Table, index: int) -> list[int]:
        return [cell.n if isinstance(cell, Count) else 0 for cell in (r[index] for r in table.rows)]

    topics_daily = by["themes-par-jour"]
    return {
        "conversations-par-jour": charts.series(
            "Conversations par jour", days,
            [("Conversations", column(daily, 1)), ("Conversations engagées", column(daily, 2))],
        ),
        "themes-par-jour": charts.series(
            "Recherches par thème et par jour", days,
            [(name, column(topics_daily, i)) for i, name in enumerate(topics_daily.columns[1:], 1)],
        ),
        "themes": _bars(by["themes"], 1, "recherches"),
        "communes": _bars(by["communes"], 2, "recherches", limit=15),
        "besoins-non-satisfaits": _bars(by["besoins-non-satisfaits"], 4, "recherches sans résultat",
                                        limit=15, label=lambda r: " · ".join(map(str, r[:4]))),
    }  # fmt: skip


def _bars(table: Table, index: int, unit: str, limit: int = 20, label=None) -> object:
    items = [
        (label(row) if label else str(row[0]), row[index].n)
        for row in table.rows[:limit] if isinstance(row[index], Count)
    ]  # fmt: skip
    return charts.bars(table.title, items, unit)


async def export(request: web.Request) -> web.Response:
    """`GET /admin/analytics/export/{table}.csv`: one table, counts below 5 written "<5"."""
    scope, tables = await _tables(request)
    wanted = request.match_info["table"]
    table = next((t for t in tables if t.name == wanted), None)
    if table is None:
        raise web.HTTPNotFound()
    name = f"{wanted}_{scope.period.start.isoformat()}_{scope.period.end.isoformat()}.csv"
    return web.Response(
        text=table_csv(table), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip


async def queue(request: web.Request) -> web.Response:
    """
    `GET /admin/analytics/conversations`: the review queue.

    Conversations with failed turns, negative feedback or a flag; `tout=1` keeps those
    already reviewed.
    """
    user = await require_user(request)
    scope = await scope_of(request, user)
    store = tracker(request)
    marks = await reviews(store)
    rows = []
    for c in await load(store, scope.period, scope.allowed):
        review = marks.get(c.sender)
        if c.failed or c.not_useful or (review and review.flagged):
            rows.append({"conversation": c, "review": review,
                         "territory": scope.names.get(c.territory or "", c.territory or "—")})
    show_all = request.query.get("tout") == "1"
    if not show_all:
        rows = [r for r in rows if not (r["review"] and r["review"].reviewed)]
    rows.sort(key=lambda r: -r["conversation"].started)
    context = {"scope": scope, "rows": rows, "show_all": show_all, "when": when}
    return render(request, "analytics/queue.html", context)


async def _conversation(request: web.Request):  # type: ignore[no-untyped-def]
    user = await require_user(request)
    store = tracker(request)
    found = await load_one(store, request.match_info["sender"])
    if found is None:
        raise web.HTTPNotFound()
    if found.territory:
        await require_territory(request, user, found.territory)
    elif user.role != "gip":
        raise web.HTTPNotFound()
    return user, store, found


async def conversation(request: web.Request) -> web.Response:
    """`GET /admin/analytics/conversations/{sender}`: the transcript, masked, and its marks."""
    user, store, found = await _conversation(request)
    review = (await reviews(store)).get(found.sender)
    notice = {"flag": "Conversation signalée.", "unflag": "Signalement retiré.",
              "reviewed": "Conversation marquée relue.",
              "unreviewed": "Conversation remise à relire."}.get(request.query.get("fait", ""))
    context = {"c": found, "review": review, "notice": notice, "when": when}
    return render(request, "analytics/conversation.html", context)


ACTIONS = {
    "flag": {"flagged": True}, "unflag": {"flagged": False},
    "reviewed": {"reviewed": True}, "unreviewed": {"reviewed": False},
}  # fmt: skip


async def mark_conversation(request: web.Request) -> web.Response:
    """`POST /admin/analytics/conversations/{sender}`: flag, unflag, reviewed, unreviewed."""
    user, store, found = await _conversation(request)
    form = await check_csrf(request)
    action = str(form.get("action") or "")
    if action not in ACTIONS:
        raise web.HTTPBadRequest(reason="Action inconnue")
    await mark(store, found.sender, user.email, **ACTIONS[action])
    raise web.HTTPSeeOther(f"/admin/analytics/conversations/{found.sender}?fait={action}")
