"""SQLite storage, through aiosqlite: every query runs on aiosqlite's thread, off the event loop."""

import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import aiosqlite

from .errors import InvalidEntry, InvalidQuery, NotFound
from .geo import haversine_km
from .migrations import migrate
from .models import Commune, Contact, NewService, Page, Service, Territory, check_entry
from .search import INSEE, Point, SearchQuery
from .storage import Storage
from .text import fold, query_words, typo_match
from .vocabulary import KIND_LABELS, TOPICS

_SELECT_SERVICE = (
    "s.id, s.territory, s.topic, s.kind, s.name, s.description, s.commune, c.name AS commune_name, "
    "s.address, s.lat, s.lon, s.phone, s.email, s.website, s.verified_on, s.status"
)


class SQLiteStorage(Storage):
    """The directory in one SQLite file (or `:memory:`), over a single connection."""

    def __init__(self, path: Path | str) -> None:
        """Remember where the database lives; nothing is opened before `open()`."""
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._in_batch = False

    @property
    def _db(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("storage is not open")
        return self._connection

    async def open(self) -> None:
        if str(self.path) != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._connection = await aiosqlite.connect(self.path)
        self._connection.row_factory = aiosqlite.Row
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        await self._db.create_function("haversine_km", 4, haversine_km, deterministic=True)
        await self._db.create_function("typo_match", 2, typo_match, deterministic=True)
        await migrate(self._db)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        self._in_batch = True
        try:
            yield
        except BaseException:
            await self._db.rollback()
            raise
        else:
            await self._db.commit()
        finally:
            self._in_batch = False

    async def _commit(self) -> None:
        if not self._in_batch:
            await self._db.commit()

    async def _one(self, sql: str, *params: Any) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _all(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    # Reads

    async def count_services(self, status: str = "published") -> int:
        row = await self._one("SELECT COUNT(*) FROM services WHERE status = ?", status)
        return int(row[0]) if row else 0

    async def list_territories(self) -> list[Territory]:
        rows = await self._all("SELECT * FROM territories")
        return sorted((_territory(row) for row in rows), key=lambda t: fold(t.name))

    async def get_territory(self, slug: str) -> Territory:
        row = await self._one("SELECT * FROM territories WHERE slug = ?", slug)
        if row is None:
            raise NotFound(f"Territoire inconnu : « {slug} ».")
        return _territory(row)

    async def list_communes(self, territory: str) -> list[Commune]:
        await self.get_territory(territory)
        rows = await self._all(
            "SELECT c.* FROM communes c JOIN territory_communes tc ON tc.insee = c.insee"
            " WHERE tc.territory = ?",
            territory,
        )
        return sorted((Commune(**dict(row)) for row in rows), key=lambda c: fold(c.name))

    async def get_commune(self, insee: str) -> Commune:
        row = await self._one("SELECT * FROM communes WHERE insee = ?", insee)
        if row is None:
            raise NotFound(f"Commune inconnue : « {insee} ».")
        return Commune(**dict(row))

    async def get_service(self, service_id: str, published_only: bool = True) -> Service:
        row = await self._one(
            f"SELECT {_SELECT_SERVICE}, NULL AS distance_km FROM services s"
            " JOIN communes c ON c.insee = s.commune WHERE s.id = ?",
            service_id,
        )
        if row is None or (published_only and row["status"] != "published"):
            raise NotFound(f"Fiche inconnue : « {service_id} ».")
        return _service(row)

    async def search(self, query: SearchQuery) -> Page:
        where, params = ["s.status = ?"], [query.status]
        for column in ("topic", "kind", "territory", "commune"):
            value = getattr(query, column)
            if value is not None:
                where.append(f"s.{column} = ?")
                params.append(value)
        for word in query_words(query.q or ""):
            # Words are folded to [0-9a-z], so they hold no LIKE wildcard.
            where.append("(s.search_text LIKE ? OR typo_match(s.search_text, ?))")
            params += [f"%{word}%", word]
        point = await self._resolve_near(query.near)
        distance, distance_params = "NULL", []
        order = "s.sort_name, s.id"
        if point is not None:
            distance, distance_params = "haversine_km(?, ?, s.lat, s.lon)", list(point)
            order = "distance_km IS NULL, distance_km, s.sort_name, s.id"
            if query.radius_km is not None:
                where.append(f"{distance} <= ?")
                params += [*distance_params, query.radius_km]
        tables = "services s JOIN communes c ON c.insee = s.commune"
        condition = " AND ".join(where)
        total_row = await self._one(f"SELECT COUNT(*) FROM {tables} WHERE {condition}", *params)
        rows = await self._all(
            f"SELECT {_SELECT_SERVICE}, {distance} AS distance_km FROM {tables}"
            f" WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
            *distance_params,
            *params,
            query.per_page,
            query.offset,
        )
        return Page(
            items=[_service(row) for row in rows],
            total=int(total_row[0]) if total_row else 0,
            page=query.page,
            per_page=query.per_page,
            near=point,
        )

    async def _resolve_near(self, near: str | Point | None) -> Point | None:
        if near is None or isinstance(near, tuple):
            return near
        row = await self._one("SELECT lat, lon FROM communes WHERE insee = ?", near)
        if row is None or row["lat"] is None or row["lon"] is None:
            message = f"Paramètre « near » : commune inconnue ou sans coordonnées (« {near} »)."
            raise InvalidQuery("near", message)
        return (row["lat"], row["lon"])

    # Writes

    async def put_territory(self, territory: Territory) -> None:
        contact = {f"contact_{k}": v for k, v in asdict(territory.welcome_contact).items()}
        row = asdict(territory) | contact
        await self._db.execute(_upsert("territories", _TERRITORY_COLUMNS, "slug"), row)
        await self._commit()

    async def put_communes(self, territory: str, communes: Iterable[Commune]) -> None:
        await self.get_territory(territory)
        communes = list(communes)
        for commune in communes:
            if not INSEE.match(commune.insee):
                raise InvalidEntry("insee", f"Code INSEE invalide : « {commune.insee} ».")
        rows = [asdict(commune) for commune in communes]
        await self._db.executemany(_upsert("communes", _COMMUNE_COLUMNS, "insee"), rows)
        await self._db.executemany(
            "INSERT OR IGNORE INTO territory_communes VALUES (?, ?)",
            [(territory, commune.insee) for commune in communes],
        )
        await self._commit()

    async def add_service(self, new: NewService) -> Service:
        check_entry(new)
        commune = await self._entry_commune(new)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        searchable = [new.name, KIND_LABELS[new.kind], TOPICS[new.topic], commune.name]
        row = asdict(new) | {
            "id": new.id or str(uuid.uuid4()),
            "name": new.name.strip(),
            # An entry without coordinates takes its commune's.
            "lat": new.lat if new.lat is not None else commune.lat,
            "lon": new.lon if new.lon is not None else commune.lon,
            "verified_on": new.verified_on.isoformat() if new.verified_on else None,
            "created_at": now,
            "updated_at": now,
            "search_text": fold(" ".join([*searchable, new.address or "", new.description])),
            "sort_name": fold(new.name),
        }
        await self._db.execute(_insert("services", _SERVICE_COLUMNS), row)
        await self._commit()
        return await self.get_service(row["id"], published_only=False)

    async def _entry_commune(self, new: NewService) -> Commune:
        """The entry's commune, once checked against the database."""
        try:
            await self.get_territory(new.territory)
        except NotFound:
            raise InvalidEntry("territory", f"Territoire inconnu : « {new.territory} ».") from None
        row = await self._one(
            "SELECT 1 FROM territory_communes WHERE territory = ? AND insee = ?",
            new.territory,
            new.commune,
        )
        if row is None:
            message = f"Commune « {new.commune} » hors du territoire « {new.territory} »."
            raise InvalidEntry("commune", message)
        return await self.get_commune(new.commune)


_TERRITORY_COLUMNS = tuple("slug name department contact_name contact_email contact_phone".split())
_COMMUNE_COLUMNS = tuple("insee name postcode lat lon".split())
_SERVICE_COLUMNS = tuple(
    "id territory topic kind name description commune address lat lon phone email website"
    " verified_on status created_at updated_at search_text sort_name".split()
)


def _insert(table: str, columns: tuple[str, ...]) -> str:
    """INSERT with named parameters (`:column`), fed by a dict."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    )


def _upsert(table: str, columns: tuple[str, ...], key: str) -> str:
    """INSERT that updates every other column when the key exists."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    return f"{_insert(table, columns)} ON CONFLICT ({key}) DO UPDATE SET {updates}"


def _territory(row: sqlite3.Row) -> Territory:
    contact = Contact(row["contact_name"], row["contact_email"], row["contact_phone"])
    return Territory(row["slug"], row["name"], row["department"], contact)


def _service(row: sqlite3.Row) -> Service:
    data = dict(row)
    data["verified_on"] = date.fromisoformat(data["verified_on"]) if data["verified_on"] else None
    return Service(**data)
