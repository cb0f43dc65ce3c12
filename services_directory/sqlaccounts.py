"""Organisations, accounts with their territories, API token hashes and call-back requests."""

import uuid
from collections.abc import Iterable

from .errors import Conflict, InvalidEntry, NotFound
from .models import Lead, NewLead, Organisation, User
from .sqlbase import Row, SQLBase, insert, now
from .text import fold
from .vocabulary import ROLES

_ORGANISATION_COLUMNS = (
    "id", "territory", "name", "siret", "website", "phone", "email", "description",
)  # fmt: skip
_LEAD_COLUMNS = (
    "id", "territory", "name", "email", "phone", "question", "status", "consent_at", "created_at",
)  # fmt: skip


class AccountsMixin(SQLBase):
    """Organisations, users, tokens and leads, shared by both backends."""

    async def _known_territory(self, slug: str) -> None:
        row = await self._one("SELECT slug FROM territories WHERE slug = ?", slug)
        if row is None:
            raise InvalidEntry("territory", f"Territoire inconnu : « {slug} ».")

    async def add_organisation(self, organisation: Organisation) -> Organisation:
        async with self.transaction():
            await self._known_territory(organisation.territory)
            organisation = Organisation(
                **{**organisation.to_dict(), "id": organisation.id or str(uuid.uuid4())}
            )
            stamp = now()
            values = [getattr(organisation, column) for column in _ORGANISATION_COLUMNS]
            await self._run(
                insert("organisations", (*_ORGANISATION_COLUMNS, "created_at", "updated_at")),
                *values, stamp, stamp,
            )  # fmt: skip
        return organisation

    async def list_organisations(self, territory: str) -> list[Organisation]:
        columns = ", ".join(_ORGANISATION_COLUMNS)
        rows = await self._all(
            f"SELECT {columns} FROM organisations WHERE territory = ?", territory
        )
        found = [Organisation(**{c: row[c] for c in _ORGANISATION_COLUMNS}) for row in rows]
        return sorted(found, key=lambda o: fold(o.name))

    async def create_user(self, email: str, role: str, territories: Iterable[str]) -> User:
        territories = tuple(dict.fromkeys(territories))
        if role not in ROLES:
            raise InvalidEntry("role", f"Rôle inconnu : « {role} » (attendu : gip ou agent).")
        if role == "agent" and not territories:
            raise InvalidEntry("territory", "Un agent appartient à au moins un territoire.")
        email = email.strip().lower()
        async with self.transaction():
            if await self._one("SELECT id FROM users WHERE email = ?", email):
                raise Conflict(f"Un compte existe déjà pour « {email} ».")
            for slug in territories:
                await self._known_territory(slug)
            row = await self._one(
                "INSERT INTO users (email, role, disabled, created_at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                email, role, False, now(),
            )  # fmt: skip
            assert row is not None
            await self._run_many(
                "INSERT INTO user_territories (user_id, territory) VALUES (?, ?)",
                [(row["id"], slug) for slug in territories],
            )
        return User(int(row["id"]), email, role, territories)

    async def get_user(self, email: str) -> User:
        row = await self._one(
            "SELECT id, email, role FROM users WHERE email = ?", email.strip().lower()
        )
        if row is None:
            raise NotFound(f"Compte inconnu : « {email} ».")
        return await self._user(row)

    async def _user(self, row: Row) -> User:
        rows = await self._all(
            "SELECT territory FROM user_territories WHERE user_id = ? ORDER BY territory",
            row["id"],
        )
        territories = tuple(r["territory"] for r in rows)
        return User(int(row["id"]), row["email"], row["role"], territories)

    async def add_token(self, user_id: int, token_hash: str) -> None:
        async with self.transaction():
            await self._run(
                "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                token_hash, user_id, now(),
            )  # fmt: skip

    async def user_for_token(self, token_hash: str) -> User | None:
        row = await self._one(
            "SELECT u.id, u.email, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = ? AND u.disabled = ?",
            token_hash,
            False,
        )
        return None if row is None else await self._user(row)

    async def add_lead(self, lead: NewLead) -> Lead:
        stamp = now()
        found = Lead(
            id=str(uuid.uuid4()), territory=lead.territory, name=lead.name, email=lead.email,
            phone=lead.phone, question=lead.question, status="new", consent_at=stamp,
            created_at=stamp,
        )  # fmt: skip
        async with self.transaction():
            await self._known_territory(lead.territory)
            values = [getattr(found, column) for column in _LEAD_COLUMNS]
            await self._run(insert("leads", _LEAD_COLUMNS), *values)
        return found

    async def list_leads(self, territory: str) -> list[Lead]:
        rows = await self._all(
            f"SELECT {', '.join(_LEAD_COLUMNS)} FROM leads WHERE territory = ?"
            " ORDER BY created_at DESC, id",
            territory,
        )
        return [Lead(**{c: row[c] for c in _LEAD_COLUMNS}) for row in rows]
