"""
Search over entries: filters, free text (dialect's full-text index + typo fallback), distance.

Distances are ordered with an equirectangular approximation in SQL (portable, index-free
arithmetic); the page's `distance_km` values are then computed exactly (haversine).
"""

import math
from dataclasses import replace
from datetime import date
from typing import Any

from . import textsearch
from .errors import NotFound
from .geo import haversine_km
from .models import Page
from .search import Point, SearchQuery
from .sqlbase import SQLBase
from .sqlservices import SELECT_SERVICE, service_from_row, zone_codes_for

KM_PER_DEGREE = 111.195


class SearchMixin(SQLBase):
    """`search`, shared by both backends."""

    _vocabulary: tuple[int, list[str]] | None = None

    async def search(self, query: SearchQuery) -> Page:
        where, params = ["s.status = ?"], [query.status]
        if query.status == "published":  # expired job offers leave public search
            where.append("(s.expires_on IS NULL OR s.expires_on >= ?)")
            params.append(date.today().isoformat())
        for column in ("topic", "kind", "territory", "commune"):
            value = getattr(query, column)
            if value is not None:
                where.append(f"s.{column} = ?")
                params.append(value)
        if query.zone is not None:
            codes = zone_codes_for(query.zone)
            where.append(
                "(s.zone_codes = '' OR " + " OR ".join("s.zone_codes LIKE ?" for _ in codes) + ")"
            )
            params += [f"% {code} %" for code in codes]
        join, join_params, rank = "", [], None
        groups = await self._with_typos(textsearch.parse(query.q))
        if groups:
            ranked = query.near is None
            join, join_params, condition, condition_params, rank = self._text_search(groups, ranked)
            if condition:
                where.append(condition)
                params += condition_params
        point = await self._resolve_near(query.near)
        order, order_params = "s.sort_name, s.id", []
        if point is not None:
            distance2, distance_params = _distance2(point)
            order, order_params = f"{distance2} ASC NULLS LAST, s.sort_name, s.id", distance_params
            if query.radius_km is not None:
                where.append(f"{distance2} <= ?")
                params += [*distance_params, query.radius_km**2]
        elif rank is not None:
            order = f"{rank}, s.sort_name, s.id"
        if query.prefer_kind is not None:
            order = f"CASE WHEN s.kind = ? THEN 0 ELSE 1 END, {order}"
            order_params = [query.prefer_kind, *order_params]
        condition = " AND ".join(where)
        total = await self._one(
            f"SELECT COUNT(*) AS n FROM services s {join} WHERE {condition}", *join_params, *params
        )
        # Two steps: order narrow rows (ids) first, then read the page's entries whole.
        ranked_ids = await self._all(
            f"SELECT s.id FROM services s {join} WHERE {condition}"
            f" ORDER BY {order} LIMIT ? OFFSET ?",
            *join_params, *params, *order_params, query.per_page, query.offset,
        )  # fmt: skip
        ids = [row["id"] for row in ranked_ids]
        rows = []
        if ids:
            rows = await self._all(
                f"SELECT {SELECT_SERVICE} FROM services s JOIN communes c ON c.insee = s.commune"
                f" WHERE s.id IN ({', '.join('?' for _ in ids)})",
                *ids,
            )
        rows.sort(key=lambda row: ids.index(row["id"]))
        items = [service_from_row(row) for row in rows]
        if point is not None:
            items = [
                replace(item, distance_km=haversine_km(*point, item.lat, item.lon))
                for item in items
            ]
        return Page(
            items=items,
            total=int(total["n"]) if total else 0,
            page=query.page,
            per_page=query.per_page,
            near=point,
        )

    async def _resolve_near(self, near: str | Point | None) -> Point | None:
        if near is None or isinstance(near, tuple):
            return near
        row = await self._one("SELECT lat, lon FROM communes WHERE insee = ?", near)
        if row is None or row["lat"] is None or row["lon"] is None:
            # A well-formed code naming no commune we can place: unknown, as a wrong id is.
            message = f"Paramètre « near » : commune inconnue ou sans coordonnées (« {near} »)."
            raise NotFound(message)
        return (row["lat"], row["lon"])

    async def _with_typos(self, groups: list[textsearch.Group]) -> list[textsearch.Group]:
        """Add typo alternatives to the first words no entry contains (as a word or its start)."""
        lookups = 0  # each scans the whole vocabulary: capped (textsearch.MAX_TYPO_LOOKUPS)
        for group in groups:
            if group.word is None or lookups >= textsearch.MAX_TYPO_LOOKUPS:
                continue
            known = await self._one(
                "SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT 1",
                group.word,
                group.word + "{",  # '{' sorts right after 'z'
            )
            if known is None:
                lookups += 1
                vocabulary = await self._vocabulary_terms()
                for alternative in textsearch.typo_alternatives(group.word, vocabulary):
                    group.add(alternative)
        return groups

    async def _vocabulary_terms(self) -> list[str]:
        """Every word of the entries (cached; the table only grows, so its size is a version)."""
        count = await self._one("SELECT COUNT(*) AS n FROM search_terms")
        size = int(count["n"]) if count else 0
        if self._vocabulary is not None and self._vocabulary[0] == size:
            return self._vocabulary[1]
        rows = await self._all("SELECT term FROM search_terms")
        terms = [row["term"] for row in rows]
        self._vocabulary = (len(terms), terms)
        return terms


def _distance2(point: Point) -> tuple[str, list[Any]]:
    """Squared distance in km² (equirectangular), and its parameters."""
    lat, lon = point
    k_lon = (KM_PER_DEGREE * math.cos(math.radians(lat))) ** 2
    expression = (
        f"((s.lat - ?) * (s.lat - ?) * {KM_PER_DEGREE**2!r} + (s.lon - ?) * (s.lon - ?) * ?)"
    )
    return expression, [lat, lat, lon, lon, k_lon]
