"""Writing and reading entries, with their change log (one row per changed field)."""

import json
import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from .entries import WRITABLE_FIELDS, Change, NewService, Service, check_entry, logged_values
from .errors import InvalidEntry, NotFound
from .models import Commune
from .sqlbase import Row, SQLBase, insert, now
from .text import fold
from .validation import department_of
from .vocabulary import KIND_LABELS, TOPICS

SERVICE_COLUMNS = (
    "id", *WRITABLE_FIELDS, "zone_codes", "created_at", "updated_at", "created_by", "updated_by",
    "search_text", "sort_name",
)  # fmt: skip
_UNREAD = ("search_text", "sort_name", "zone_codes")
SELECT_SERVICE = (
    ", ".join(f"s.{column}" for column in SERVICE_COLUMNS if column not in _UNREAD)
    + ", c.name AS commune_name"
)
_LISTS = ("audience", "eligibility_zone")
_DATES = ("verified_on", "expires_on")


class ServicesMixin(SQLBase):
    """Entries: add, update (archive is an update of `status`), history, lookups."""

    async def get_service(self, service_id: str, published_only: bool = True) -> Service:
        row = await self._one(
            f"SELECT {SELECT_SERVICE} FROM services s JOIN communes c ON c.insee = s.commune"
            " WHERE s.id = ?",
            service_id,
        )
        if row is None or (published_only and row["status"] != "published"):
            raise NotFound(f"Fiche inconnue : « {service_id} ».")
        return service_from_row(row)

    async def find_by_source_id(self, source_id: str, territory: str) -> Service | None:
        row = await self._one(
            "SELECT id FROM services WHERE territory = ? AND source_id = ?", territory, source_id
        )
        return None if row is None else await self.get_service(row["id"], published_only=False)

    async def list_services(self, territory: str | None = None) -> list[Service]:
        where, params = ("WHERE s.territory = ?", [territory]) if territory else ("", [])
        rows = await self._all(
            f"SELECT {SELECT_SERVICE} FROM services s JOIN communes c ON c.insee = s.commune"
            f" {where} ORDER BY s.territory, s.sort_name, s.id",
            *params,
        )
        return [service_from_row(row) for row in rows]

    async def add_service(self, new: NewService, by: str = "system") -> Service:
        check_entry(new)
        async with self.transaction():
            commune = await self._entry_commune(new)
            await self._check_organisation(new)
            await self._check_source_id(new)
            stamp = now()
            new = replace(new, id=new.id or str(uuid.uuid4()), name=new.name.strip())
            new = _with_coordinates(new, commune)
            row = _row(new, commune) | {
                "created_at": stamp, "updated_at": stamp, "created_by": by, "updated_by": by,
            }  # fmt: skip
            await self._run(insert("services", SERVICE_COLUMNS), *(row[c] for c in SERVICE_COLUMNS))
            await self._log(new.id or "", {}, logged_values(new), by, stamp)
            await self._index_terms(row["search_text"])
        return await self.get_service(new.id or "", published_only=False)

    async def update_service(self, new: NewService, by: str = "system") -> Service:
        check_entry(new)
        if new.id is None:
            raise InvalidEntry("id", "Identifiant manquant.")
        async with self.transaction():
            before = await self.get_service(new.id, published_only=False)
            commune = await self._entry_commune(new)
            await self._check_organisation(new)
            await self._check_source_id(new)
            new = _with_coordinates(replace(new, name=new.name.strip()), commune)
            old, fresh = logged_values(before.as_new()), logged_values(new)
            if old == fresh:
                return before
            stamp = now()
            row = _row(new, commune) | {"updated_at": stamp, "updated_by": by}
            columns = [c for c in row if c != "id"]
            await self._run(
                f"UPDATE services SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                *(row[c] for c in columns),
                new.id,
            )
            await self._log(new.id, old, fresh, by, stamp)
            await self._index_terms(row["search_text"])
        return await self.get_service(new.id, published_only=False)

    async def service_history(self, service_id: str) -> list[Change]:
        rows = await self._all(
            "SELECT service_id, field, old_value, new_value, changed_by, changed_at"
            " FROM service_changes WHERE service_id = ? ORDER BY id",
            service_id,
        )
        return [Change(**dict(row)) for row in rows]

    async def _log(
        self, service_id: str, old: dict[str, str | None], new: dict[str, str | None], by: str,
        stamp: str,
    ) -> None:  # fmt: skip
        rows = [
            (service_id, name, old.get(name), value, by, stamp)
            for name, value in new.items()
            if old.get(name) != value
        ]
        await self._run_many(
            insert("service_changes", ("service_id", "field", "old_value", "new_value",
                                       "changed_by", "changed_at")),
            rows,
        )  # fmt: skip

    async def _index_terms(self, search_text: str) -> None:
        terms = sorted(set(search_text.split()))
        await self._run_many(
            "INSERT INTO search_terms (term, length) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(term, len(term)) for term in terms],
        )

    async def _entry_commune(self, new: NewService) -> Commune:
        """The entry's commune, once checked against the database."""
        row = await self._one("SELECT slug FROM territories WHERE slug = ?", new.territory)
        if row is None:
            raise InvalidEntry("territory", f"Territoire inconnu : « {new.territory} ».")
        row = await self._one(
            "SELECT c.* FROM territory_communes tc JOIN communes c ON c.insee = tc.insee"
            " WHERE tc.territory = ? AND tc.insee = ?",
            new.territory,
            new.commune,
        )
        if row is None:
            message = f"Commune « {new.commune} » hors du territoire « {new.territory} »."
            raise InvalidEntry("commune", message)
        return Commune(row["insee"], row["name"], row["postcode"], row["lat"], row["lon"])

    async def _check_organisation(self, new: NewService) -> None:
        if new.organisation is None:
            return
        row = await self._one(
            "SELECT 1 AS found FROM organisations WHERE id = ? AND territory = ?",
            new.organisation,
            new.territory,
        )
        if row is None:
            message = f"Organisation inconnue dans ce territoire : « {new.organisation} »."
            raise InvalidEntry("organisation", message)

    async def _check_source_id(self, new: NewService) -> None:
        """A source id names one entry of its territory (a 400, not the index's error)."""
        if new.source_id is None:
            return
        row = await self._one(
            "SELECT id FROM services WHERE territory = ? AND source_id = ? AND id <> ?",
            new.territory, new.source_id, new.id or "",
        )  # fmt: skip
        if row is not None:
            message = f"Identifiant source déjà pris dans ce territoire : « {new.source_id} »."
            raise InvalidEntry("source_id", message)


def _with_coordinates(new: NewService, commune: Commune) -> NewService:
    """An entry without coordinates takes its commune's."""
    if new.lat is None and new.lon is None:
        return replace(new, lat=commune.lat, lon=commune.lon)
    return new


def _row(new: NewService, commune: Commune) -> dict[str, Any]:
    """The stored form of an entry (lists as JSON, dates as ISO text, search columns)."""
    row = {name: getattr(new, name) for name in ("id", *WRITABLE_FIELDS)}  # asdict deep-copies
    for name in _LISTS:
        row[name] = json.dumps(list(row[name]), ensure_ascii=False)
    for name in _DATES:
        row[name] = row[name].isoformat() if row[name] else None
    zone = set(new.eligibility_zone)
    row["zone_codes"] = f" {' '.join(sorted(zone))} " if zone else ""
    searchable = [
        new.name, KIND_LABELS[new.kind], TOPICS[new.topic], commune.name, new.address or "",
        new.sector or "", new.description,
    ]  # fmt: skip
    row["search_text"] = fold(" ".join(searchable))
    row["sort_name"] = fold(new.name)
    return row


def service_from_row(row: Row) -> Service:
    """A `Service` from a row of `SELECT_SERVICE` (plus an optional `distance_km`)."""
    data = {key: row[key] for key in row.keys()}
    for name in _LISTS:
        data[name] = tuple(json.loads(data[name] or "[]"))
    for name in _DATES:
        data[name] = date.fromisoformat(data[name]) if data[name] else None
    data["to_verify"] = bool(data["to_verify"])
    return Service(**data)


def zone_codes_for(insee: str) -> list[str]:
    """The zone codes that cover a commune: itself, its département, the whole country."""
    return [insee, department_of(insee), "france"]
