"""
SQL shared by the SQLite and PostgreSQL backends.

Territories and communes here; entries, search and accounts in the mixins. A backend supplies
the primitives of sqlbase.py.
"""

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

from .errors import InvalidEntry, NotFound
from .models import Commune, Contact, Territory, Widget
from .search import INSEE
from .sqlaccounts import AccountsMixin
from .sqlbackoffice import BackofficeMixin
from .sqlbase import Row, upsert
from .sqlsearch import SearchMixin
from .sqlservices import ServicesMixin
from .storage import Storage
from .text import fold


class SQLStore(ServicesMixin, SearchMixin, AccountsMixin, BackofficeMixin, Storage):
    """Everything but the connection and the full-text dialect."""

    def batch(self) -> AbstractAsyncContextManager[None]:
        return self.transaction()

    # Territories and communes

    async def count_services(self, status: str = "published") -> int:
        row = await self._one("SELECT COUNT(*) AS n FROM services WHERE status = ?", status)
        return int(row["n"]) if row else 0

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
        return sorted((_commune(row) for row in rows), key=lambda c: fold(c.name))

    async def get_commune(self, insee: str) -> Commune:
        row = await self._one("SELECT * FROM communes WHERE insee = ?", insee)
        if row is None:
            raise NotFound(f"Commune inconnue : « {insee} ».")
        return _commune(row)

    async def commune_territories(self) -> dict[str, list[str]]:
        rows = await self._all("SELECT insee, territory FROM territory_communes ORDER BY territory")
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row["insee"], []).append(row["territory"])
        return found

    async def communes_by_postcode(self) -> dict[tuple[str, str], str]:
        rows = await self._all("SELECT insee, name, postcode FROM communes")
        return {(row["postcode"], fold(row["name"])): row["insee"] for row in rows}

    async def put_territory(self, territory: Territory) -> None:
        contact, widget = territory.welcome_contact, territory.widget
        values = (
            territory.slug, territory.name, territory.department, contact.name, contact.email,
            contact.phone, widget.greeting, widget.color,
        )  # fmt: skip
        async with self.transaction():
            await self._run(upsert("territories", TERRITORY_COLUMNS, "slug"), *values)

    async def put_communes(self, territory: str | None, communes: Iterable[Commune]) -> None:
        communes = list(communes)
        for commune in communes:
            if not INSEE.match(commune.insee):
                raise InvalidEntry("insee", f"Code INSEE invalide : « {commune.insee} ».")
        async with self.transaction():
            if territory is not None:
                await self.get_territory(territory)
            rows = [(c.insee, c.name, c.postcode, c.lat, c.lon) for c in communes]
            await self._run_many(upsert("communes", COMMUNE_COLUMNS, "insee"), rows)
            if territory is not None:
                await self._run_many(
                    "INSERT INTO territory_communes (territory, insee) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    [(territory, commune.insee) for commune in communes],
                )


TERRITORY_COLUMNS = tuple(
    "slug name department contact_name contact_email contact_phone widget_greeting widget_color"
    .split()
)  # fmt: skip
COMMUNE_COLUMNS = tuple("insee name postcode lat lon".split())


def _territory(row: Row) -> Territory:
    contact = Contact(row["contact_name"], row["contact_email"], row["contact_phone"])
    widget = Widget(row["widget_greeting"], row["widget_color"])
    return Territory(row["slug"], row["name"], row["department"], contact, widget)


def _commune(row: Row) -> Commune:
    return Commune(row["insee"], row["name"], row["postcode"], row["lat"], row["lon"])
